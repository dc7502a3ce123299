// The wait of wgi's spin locks (the race checker's shadow cells and clocks,
// the block registry): held for a few dozen instructions, so a waiter
// spins; but a holder may have lost its core (more Wasm threads than
// cores), so a waiter that has spun a while gives its core away instead of
// burning its slice.
#pragma once

#include <thread>

namespace wgi {

// One round of waiting; `spins` counts the rounds so far.
inline void spin_pause(int& spins) {
  if (spins++ < 64) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

}  // namespace wgi
