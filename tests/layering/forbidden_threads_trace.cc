// threads and trace are siblings: neither uses the other.
#include "trace/recorder.h"
