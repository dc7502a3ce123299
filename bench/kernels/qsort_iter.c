/* qsort_iter: quicksort with an explicit stack instead of recursion
 * (Hoare partition around the median of three, insertion sort for short
 * ranges), over pseudo-random i32 keys, repeated with new keys. Measures
 * data-dependent branches and i32 loads and stores.
 * Freestanding (no libc, no imports); exports int run(void). */
#ifndef QS_KEYS
#define QS_KEYS 300000
#endif
#ifndef QS_ROUNDS
#define QS_ROUNDS 12
#endif
#define QS_SMALL 12

static int keys[QS_KEYS];
/* Pending ranges. The larger half is pushed and the smaller one processed
 * next, so the depth stays below log2(QS_KEYS) + 1. */
static int stack_lo[64], stack_hi[64];

static void sort(int *a, int n)
{
    int sp = 0;
    int lo = 0, hi = n - 1;
    for (;;) {
        while (hi - lo > QS_SMALL) {
            int mid = lo + (hi - lo) / 2;
            int x = a[lo], y = a[mid], z = a[hi];
            /* median of x, y, z */
            int pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
            int i = lo - 1, j = hi + 1;
            for (;;) {
                do i++; while (a[i] < pivot);
                do j--; while (a[j] > pivot);
                if (i >= j)
                    break;
                int t = a[i]; a[i] = a[j]; a[j] = t;
            }
            /* [lo, j] and [j+1, hi] */
            if (j - lo < hi - j) {
                stack_lo[sp] = j + 1; stack_hi[sp] = hi; sp++;
                hi = j;
            } else {
                stack_lo[sp] = lo; stack_hi[sp] = j; sp++;
                lo = j + 1;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            int v = a[i], k = i;
            while (k > lo && a[k - 1] > v) {
                a[k] = a[k - 1];
                k--;
            }
            a[k] = v;
        }
        if (sp == 0)
            return;
        sp--;
        lo = stack_lo[sp];
        hi = stack_hi[sp];
    }
}

int run(void)
{
    unsigned long long s = 88172645463325252ull;
    unsigned acc = 0;
    for (int r = 0; r < QS_ROUNDS; r++) {
        for (int i = 0; i < QS_KEYS; i++) {
            s ^= s << 7; s ^= s >> 9;  /* xorshift64 */
            keys[i] = (int)(unsigned)(s >> 17) % (QS_KEYS * 4);  /* some duplicates */
        }
        sort(keys, QS_KEYS);
        unsigned ordered = 1;
        for (int i = 1; i < QS_KEYS; i++)
            ordered &= keys[i - 1] <= keys[i];
        for (int i = r; i < QS_KEYS; i += 101)
            acc = acc * 33u ^ (unsigned)keys[i];
        acc += ordered;
    }
    return (int)(acc & 0x7fffffff);
}
