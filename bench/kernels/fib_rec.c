/* fib_rec: doubly recursive Fibonacci in i64, summed over a range of n.
 * Measures call and return: nearly every instruction is a call, a compare,
 * an add or a return. The sum makes the compiler keep every call.
 * Freestanding (no libc, no imports); exports int run(void). */
#ifndef FIB_LO
#define FIB_LO 30
#endif
#ifndef FIB_HI
#define FIB_HI 37
#endif

__attribute__((noinline)) static unsigned long long fib(unsigned n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

int run(void)
{
    unsigned long long sum = 0;
    for (unsigned n = FIB_LO; n <= FIB_HI; n++)
        sum = sum * 3 + fib(n);
    return (int)((sum ^ (sum >> 31)) & 0x7fffffff);
}
