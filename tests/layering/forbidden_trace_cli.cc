// Nothing below the CLI uses it.
#include "cli/cli.h"
