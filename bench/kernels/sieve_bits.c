/* sieve_bits: a bit-packed sieve of Eratosthenes over the odd numbers,
 * repeated. Measures i32 shifts, masks and read-modify-write stores.
 *
 * Bit j stands for the odd number 2j+1. A repetition with polarity p (0 or
 * 1) starts with every bit equal to p ("still a candidate") and leaves every
 * bit equal to 1-p: composites are flipped when marked, and each prime is
 * flipped when it is counted. The next repetition then runs with the other
 * polarity, so the array never needs a clearing pass (which the compiler
 * would turn into a memset call; there is no libc to provide one).
 * Freestanding (no libc, no imports); exports int run(void). */
#ifndef SIEVE_LIMIT
#define SIEVE_LIMIT 8000000u /* odd numbers below this are sieved */
#endif
#ifndef SIEVE_REPS
#define SIEVE_REPS 16
#endif

#define NBITS (SIEVE_LIMIT / 2)
static unsigned bits[(NBITS + 31) / 32];

static inline unsigned get_bit(unsigned j)
{
    return (bits[j >> 5] >> (j & 31)) & 1u;
}

/* Sets bit j to the value of `to` (0 or ~0u), whatever it was. */
static inline void put_bit(unsigned j, unsigned to)
{
    unsigned m = 1u << (j & 31);
    bits[j >> 5] = (bits[j >> 5] & ~m) | (m & to);
}

int run(void)
{
    unsigned acc = 0;
    for (unsigned rep = 0; rep < SIEVE_REPS; rep++) {
        const unsigned p = rep & 1u;   /* candidate value this repetition */
        const unsigned done = p - 1u;  /* ~0u when p == 0, else 0: the value 1-p */
        unsigned count = 1;            /* the prime 2 */
        for (unsigned j = 1; j < NBITS; j++) {
            if (get_bit(j) != p)
                continue;  /* marked composite earlier in this repetition */
            count++;
            put_bit(j, done);
            const unsigned n = 2 * j + 1;
            if (n <= SIEVE_LIMIT / n) {
                /* odd multiples of n from n*n: bit step n */
                for (unsigned k = (n * n) >> 1; k < NBITS; k += n)
                    put_bit(k, done);
            }
        }
        acc = acc * 31u + count + rep;
    }
    return (int)(acc & 0x7fffffff);
}
