// wc for WASI: counts the lines, words and bytes of each file named on the
// command line (or of stdin without one), like POSIX wc. A plain C program
// built with wasi-libc (clang --target=wasm32-wasi); under `wgi run` it can
// open only what the directories given with --dir hold.
//
//   wgi run --dir examples::/examples build/examples/wasi/wc.wasm /examples/wasi/wc.c
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int count(FILE* f, const char* name, long totals[3]) {
  long lines = 0, words = 0, bytes = 0;
  int in_word = 0, c;
  while ((c = getc(f)) != EOF) {
    ++bytes;
    if (c == '\n') ++lines;
    const int space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  if (ferror(f)) {
    fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
    return 1;
  }
  printf("%7ld %7ld %7ld %s\n", lines, words, bytes, name);
  totals[0] += lines;
  totals[1] += words;
  totals[2] += bytes;
  return 0;
}

int main(int argc, char** argv) {
  long totals[3] = {0, 0, 0};
  if (argc < 2) return count(stdin, "", totals);
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    FILE* f = fopen(argv[i], "r");
    if (!f) {
      fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    status |= count(f, argv[i], totals);
    fclose(f);
  }
  if (argc > 2) printf("%7ld %7ld %7ld total\n", totals[0], totals[1], totals[2]);
  return status;
}
