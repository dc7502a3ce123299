// interp must not use trace (above it): traced code records through
// interp/event_log.h, which trace implements.
#include "trace/recorder.h"
