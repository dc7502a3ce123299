// deadlock works on plain numbers: it does not see the interpreter (the CLI
// turns frames into its Frames), so online and offline feed it alike.
#include "interp/thread.h"
