// decoder must not use interp (the layer above it).
#include "interp/code.h"
