/* Native harness for the kernels: the same source that is compiled to
 * wasm32 is linked with this file by gcc -O2. It prints run()'s checksum
 * the way `wgi run K.wasm --invoke run` prints an i32 result, so
 * run_kernels.sh can compare the two outputs as text. */
#include <stdio.h>

int run(void);

int main(void)
{
    int checksum = run();
    printf("%d\n", checksum);
    return 0;
}
