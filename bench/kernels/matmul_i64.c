/* matmul_i64: i64 matrix multiply, C = A * B^T as rows of dot products,
 * repeated with one input element changed each time. Measures i64
 * multiply-add and sequential loads.
 * Freestanding (no libc, no imports); exports int run(void). */
#ifndef MAT_N
#define MAT_N 100
#endif
#ifndef MAT_REPS
#define MAT_REPS 500
#endif

typedef long long i64;

static i64 A[MAT_N][MAT_N], BT[MAT_N][MAT_N], C[MAT_N][MAT_N];

int run(void)
{
    unsigned long long s = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            A[i][j] = (i64)(s >> 40) - (1 << 23);
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            BT[j][i] = (i64)(s >> 40) - (1 << 23);
        }
    }
    unsigned long long acc = 0;
    for (int rep = 0; rep < MAT_REPS; rep++) {
        A[rep % MAT_N][(rep * 7) % MAT_N] ^= rep + 1;
        for (int i = 0; i < MAT_N; i++) {
            const i64 *a = A[i];
            for (int j = 0; j < MAT_N; j++) {
                const i64 *b = BT[j];
                i64 sum = 0;
                for (int k = 0; k < MAT_N; k++)
                    sum += a[k] * b[k];
                C[i][j] = sum;
            }
        }
        for (int i = 0; i < MAT_N; i++)
            acc = acc * 0x100000001b3ull + (unsigned long long)C[i][(i + rep) % MAT_N];
    }
    return (int)((acc ^ (acc >> 32)) & 0x7fffffff);
}
