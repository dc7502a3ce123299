// decoder may use util.
#include "decoder/module.h"
#include "util/result.h"
