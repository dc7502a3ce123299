// deadlock may use util.
#include "deadlock/predictor.h"
#include "util/json.h"
