// trace may use interp.
#include "interp/event_log.h"
#include "trace/writer.h"
