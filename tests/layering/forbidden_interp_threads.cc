// interp must not use threads (above it).
#include "threads/threadlink.h"
