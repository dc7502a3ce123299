// args_get, args_sizes_get, environ_get, environ_sizes_get: through
// wasi-libc (argv, environ, getenv) and through the raw calls.
// Run with arguments and variables (differential_test.cc's table).
#include <stdlib.h>

#include "wasi_test.h"

extern char** environ;

static int compare_strings(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

int main(int argc, char** argv) {
  say("argc", "%d", argc);
  for (int i = 0; i < argc; ++i) {
    char check[32];
    snprintf(check, sizeof check, "argv[%d]", i);
    say(check, "[%s] (%zu bytes)", argv[i], strlen(argv[i]));
  }
  say("argv[argc] is NULL", "%s", argv[argc] == NULL ? "yes" : "no");

  // The raw calls: the sizes must agree with what libc got.
  __wasi_size_t count = 0, bytes = 0;
  say_wasi("args_sizes_get", __wasi_args_sizes_get(&count, &bytes));
  size_t want_bytes = 0;
  for (int i = 0; i < argc; ++i) want_bytes += strlen(argv[i]) + 1;
  say("args_sizes_get count", "%u (argc %d)", (unsigned)count, argc);
  say("args_sizes_get bytes", "%u (sum of strlen+1 %zu)", (unsigned)bytes, want_bytes);
  {
    uint8_t** ptrs = calloc(count + 1, sizeof *ptrs);
    uint8_t* buf = malloc(bytes + 1);
    memset(buf, 0xAA, bytes + 1);
    say_wasi("args_get", __wasi_args_get(ptrs, buf));
    int same = 1;
    for (unsigned i = 0; i < count; ++i)
      if (i >= (unsigned)argc || strcmp((char*)ptrs[i], argv[i]) != 0) same = 0;
    say("args_get matches argv", "%s", same ? "yes" : "no");
    int inside = 1;
    for (unsigned i = 0; i < count; ++i)
      if (ptrs[i] < buf || ptrs[i] >= buf + bytes) inside = 0;
    say("args_get pointers point into the buffer", "%s", inside ? "yes" : "no");
    say("args_get writes no more than bytes", "%s", buf[bytes] == 0xAA ? "yes" : "no");
    free(ptrs);
    free(buf);
  }

  // The environment, sorted (the harness passes only its --env variables).
  size_t n = 0;
  while (environ && environ[n]) ++n;
  say("environ count", "%zu", n);
  char** sorted = malloc((n + 1) * sizeof *sorted);
  for (size_t i = 0; i < n; ++i) sorted[i] = environ[i];
  qsort(sorted, n, sizeof *sorted, compare_strings);
  for (size_t i = 0; i < n; ++i) say("environ entry", "[%s]", sorted[i]);
  free(sorted);
  const char* names[] = {"GREETING", "EMPTY", "WITH_EQUALS", "UNICODE", "NOT_SET"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    char check[64];
    snprintf(check, sizeof check, "getenv %s", names[i]);
    const char* v = getenv(names[i]);
    if (v) say(check, "[%s]", v);
    else say(check, "not set");
  }

  __wasi_size_t ecount = 0, ebytes = 0;
  say_wasi("environ_sizes_get", __wasi_environ_sizes_get(&ecount, &ebytes));
  size_t want_ebytes = 0;
  for (size_t i = 0; i < n; ++i) want_ebytes += strlen(environ[i]) + 1;
  say("environ_sizes_get count", "%u (environ %zu)", (unsigned)ecount, n);
  say("environ_sizes_get bytes", "%u (sum of strlen+1 %zu)", (unsigned)ebytes, want_ebytes);
  {
    uint8_t** ptrs = calloc(ecount + 1, sizeof *ptrs);
    uint8_t* buf = malloc(ebytes + 1);
    memset(buf, 0xAA, ebytes + 1);
    say_wasi("environ_get", __wasi_environ_get(ptrs, buf));
    int same = 1;
    for (unsigned i = 0; i < ecount; ++i)
      if (i >= n || strcmp((char*)ptrs[i], environ[i]) != 0) same = 0;
    say("environ_get matches environ (same order)", "%s", same ? "yes" : "no");
    say("environ_get writes no more than bytes", "%s", buf[ebytes] == 0xAA ? "yes" : "no");
    free(ptrs);
    free(buf);
  }
  return 0;
}
