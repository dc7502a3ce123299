// wasi is a host module on the interpreter and the program runtime (the
// threads layer runs its programs and wasi-threads).
#include "threads/threadlink.h"
