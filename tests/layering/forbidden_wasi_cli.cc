// wasi is below the CLI: it never sees the command line.
#include "cli/run_options.h"
