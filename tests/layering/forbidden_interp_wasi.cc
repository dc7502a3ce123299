// The interpreter knows nothing of WASI (a host module on top of it).
#include "wasi/wasi.h"
