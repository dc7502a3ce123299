// tl_no_thread_start.c: a program that imports thread_create but does not
// export thread_start. It runs until it creates its first thread, where the
// runtime must stop it with a clear error. Part of threadlink_test.cc.
#define WGI_OMIT_THREAD_START 1
#include "wgi_threads.h"

static void nothing(void* unused) { (void)unused; }

// Needs no thread: works.
WGI_EXPORT("no_threads") uint32_t no_threads(void) { return 5; }

WGI_EXPORT("one_thread") uint32_t one_thread(void) {
  wgi_join(wgi_spawn(nothing, NULL));
  return 6;
}
