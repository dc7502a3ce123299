/* sha256: SHA-256 (FIPS 180-4) of a generated message, chained: each round
 * hashes the message with the previous digest written into its first 32
 * bytes. Measures i32 rotates, shifts and adds, and byte loads.
 * Freestanding (no libc, no imports); exports int run(void). */
#ifndef SHA_MSG_BYTES
#define SHA_MSG_BYTES 65536
#endif
#ifndef SHA_ROUNDS
#define SHA_ROUNDS 800
#endif

typedef unsigned u32;
typedef unsigned char u8;

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static u8 msg[SHA_MSG_BYTES];
static u8 tail[128]; /* the last partial block plus padding */

static inline u32 rotr(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(u32 h[8], const u8 *p)
{
    u32 w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (u32)p[4 * t] << 24 | (u32)p[4 * t + 1] << 16 | (u32)p[4 * t + 2] << 8 | p[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        u32 s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        u32 s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
        u32 t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        u32 t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const u8 *data, unsigned len, u32 h[8])
{
    static const u32 init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (int i = 0; i < 8; i++)
        h[i] = init[i];
    unsigned full = len & ~63u;
    for (unsigned off = 0; off < full; off += 64)
        compress(h, data + off);
    /* The last partial block, 0x80, zeros, then the bit length as 64-bit
     * big-endian: one byte at a time, computed rather than copied or
     * zero-filled (either loop would become a memcpy or memset call). */
    unsigned rest = len - full;
    unsigned blocks = rest + 1 + 8 <= 64 ? 1 : 2;
    unsigned end = blocks * 64;
    unsigned long long bitlen = (unsigned long long)len * 8;
    for (unsigned n = 0; n < end; n++) {
        u8 v;
        if (n < rest)
            v = data[full + n];
        else if (n == rest)
            v = 0x80;
        else if (n >= end - 8)
            v = (u8)(bitlen >> (8 * (end - 1 - n)));
        else
            v = 0;
        tail[n] = v;
    }
    for (unsigned b = 0; b < blocks; b++)
        compress(h, tail + 64 * b);
}

int run(void)
{
    u32 s = 2463534242u;
    for (unsigned i = 0; i < SHA_MSG_BYTES; i++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        msg[i] = (u8)(s >> 24);
    }
    u32 h[8];
    u32 acc = 0;
    for (int r = 0; r < SHA_ROUNDS; r++) {
        /* odd lengths exercise the padding path with one and two blocks */
        sha256(msg, SHA_MSG_BYTES - (r & 63), h);
        for (int i = 0; i < 8; i++) {
            msg[4 * i] = (u8)(h[i] >> 24); msg[4 * i + 1] = (u8)(h[i] >> 16);
            msg[4 * i + 2] = (u8)(h[i] >> 8); msg[4 * i + 3] = (u8)h[i];
        }
        acc = acc * 31u + h[0];
    }
    return (int)(acc & 0x7fffffff);
}
