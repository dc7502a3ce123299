// proc_exit and the exit status. The first argument says how to end:
//
//   exit       exit(7): atexit handlers run, stdio is flushed, status 7
//   proc_exit  __wasi_proc_exit(9) straight away: no atexit handlers, and
//              stdio's unflushed output is lost
//   return     main returns 3 (wasi-libc's _start calls proc_exit(3))
//   zero       main returns 0 (_start returns; no proc_exit)
//
// Each writes to stdout and stderr first.
#include <unistd.h>

#include "wasi_test.h"

static void at_exit(void) { printf("atexit handler: ran\n"); }

int main(int argc, char** argv) {
  const char* how = argc > 1 ? argv[1] : "(none)";
  atexit(at_exit);
  say("mode", "%s", how);
  fprintf(stderr, "exit_status: ending by %s\n", how);
  if (strcmp(how, "exit") == 0) {
    printf("before exit, no newline yet (flushed by exit)");
    exit(7);
  }
  if (strcmp(how, "proc_exit") == 0) {
    say("before proc_exit", "flushed");
    printf("this text is never flushed");
    __wasi_proc_exit(9);
  }
  if (strcmp(how, "return") == 0) return 3;
  if (strcmp(how, "zero") == 0) return 0;
  say("unknown mode", "%s", how);
  return 2;
}
