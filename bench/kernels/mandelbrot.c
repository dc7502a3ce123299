/* mandelbrot: escape-time iteration counts over a grid of the complex
 * plane, in f64. Measures f64 multiply, add and compare in a tight loop
 * with a data-dependent exit.
 * Freestanding (no libc, no imports); exports int run(void). */
#ifndef MB_W
#define MB_W 800
#endif
#ifndef MB_H
#define MB_H 600
#endif
#ifndef MB_MAX_ITER
#define MB_MAX_ITER 1000
#endif

int run(void)
{
    const double x0 = -2.2, x1 = 0.8, y0 = -1.2, y1 = 1.2;
    const double dx = (x1 - x0) / MB_W, dy = (y1 - y0) / MB_H;
    unsigned acc = 0;
    for (int py = 0; py < MB_H; py++) {
        const double ci = y0 + py * dy;
        unsigned row = 0;
        for (int px = 0; px < MB_W; px++) {
            const double cr = x0 + px * dx;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int n = 0;
            while (n < MB_MAX_ITER && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                n++;
            }
            row += (unsigned)n * (unsigned)(px + 1);
        }
        acc = acc * 31u + row;
    }
    return (int)(acc & 0x7fffffff);
}
