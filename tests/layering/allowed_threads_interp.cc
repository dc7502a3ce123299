// threads may use interp.
#include "interp/instantiate.h"
#include "threads/threadlink.h"
