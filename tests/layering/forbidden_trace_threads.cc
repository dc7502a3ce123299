// threads and trace are siblings: neither uses the other.
#include "threads/threadlink.h"
