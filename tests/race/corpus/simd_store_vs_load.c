// simd_store_vs_load: one thread writes all 16 bytes of `vec` with one
// v128.store; another reads bytes 4-7 with a plain 4-byte load: racy on
// those 4 bytes (the intersection). Both also read `coeffs` (the storer
// with v128.load), written before the spawns: read-read, no race.
//
// expect-race: vec 4 4
// corpus-cflags: -msimd128
#include <wasm_simd128.h>

#include "corpus.h"

_Alignas(16) uint8_t vec[16];
_Alignas(16) static int32_t coeffs[4];
static volatile int32_t seen;

WGI_NOINLINE static void store16(void* unused) {
  (void)unused;
  rendezvous();
  v128_t c = wasm_v128_load(coeffs);
  wasm_v128_store(vec, wasm_i32x4_add(c, wasm_i32x4_splat(1)));
}

WGI_NOINLINE static void load4(void* unused) {
  (void)unused;
  rendezvous();
  v128_t c = wasm_v128_load(coeffs);
  seen = *(volatile int32_t*)&vec[4] + wasm_i32x4_extract_lane(c, 0);
}

TEST_EXPORT void test(void) {
  for (int i = 0; i < 4; ++i) coeffs[i] = 10 * i;
  rendezvous_init(2);
  uint32_t a = wgi_spawn(store16, NULL);
  uint32_t b = wgi_spawn(load4, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(seen == 0 || seen == 11);
  CHECK(*(volatile int32_t*)&vec[12] == 31);
}
