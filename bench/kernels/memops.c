/* memops: memmove and memset of pseudo-random sizes and offsets within a
 * 1 MiB buffer. Compiled with -mbulk-memory, so every call is one
 * memory.copy or memory.fill; most are short (per-instruction overhead),
 * some long (bulk bandwidth). Natively they are glibc's memmove/memset.
 * Freestanding (no libc, no imports); exports int run(void). */
#ifndef MEM_OPS
#define MEM_OPS 5000000
#endif
#define BUF_BYTES (1u << 20)

static unsigned char buf[BUF_BYTES];

int run(void)
{
    for (unsigned i = 0; i < BUF_BYTES; i++)
        buf[i] = (unsigned char)(i * 2654435761u >> 24);
    unsigned s = 0x2545f491u;
    unsigned acc = 0;
    for (unsigned n = 0; n < MEM_OPS; n++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        /* size classes: 1/2 up to 64 bytes, 3/8 up to 1 KiB, 1/8 up to 32 KiB */
        unsigned cls = s & 7, len;
        if (cls < 4)
            len = 1 + (s >> 8) % 64;
        else if (cls < 7)
            len = 1 + (s >> 8) % 1024;
        else
            len = 1 + (s >> 8) % 32768;
        unsigned r = s * 0x9e3779b1u;
        unsigned dst = (r >> 12) % (BUF_BYTES - len);
        if (s & 0x10) {
            unsigned src = (r * 7u + n) % (BUF_BYTES - len);  /* may overlap dst */
            __builtin_memmove(buf + dst, buf + src, len);
        } else {
            __builtin_memset(buf + dst, (int)(n & 0xff), len);
        }
        acc = acc * 31u + buf[dst] + buf[dst + len - 1] + buf[(dst + len / 2)];
    }
    return (int)(acc & 0x7fffffff);
}
