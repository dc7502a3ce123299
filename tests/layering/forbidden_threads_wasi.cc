// The program runtime knows nothing of WASI: it links what it is given.
#include "wasi/wasi.h"
