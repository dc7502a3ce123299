// interp may use decoder and util.
#include "decoder/opcodes.h"
#include "interp/code.h"
