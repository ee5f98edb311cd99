// Measures the dtype conversion kernels Pedigree uses (Sources/CPedigreeKernels/kernels.c)
// on buffers larger than the caches: source bytes read per second, F16 and BF16 to F32.
// Built and run by Scripts/bench-convert.sh; not part of the package.
#include "pedigree_kernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    const size_t count = (size_t)256 << 20;  // 256 Mi elements: 512 MB in, 1 GB out
    unsigned short *src = malloc(count * 2);
    float *dst = malloc(count * 4);
    if (!src || !dst) return 1;
    for (size_t i = 0; i < count; i++) src[i] = (unsigned short)(0x3C00 + (i * 2654435761u >> 20) % 0x0800);
    memset(dst, 0, count * 4);
    printf("vector path: %s\n", pk_vector_level() >= 2 ? "AVX2+F16C" : "scalar");
    const char *names[] = {"F16 -> F32", "BF16 -> F32"};
    for (int kind = 0; kind < 2; kind++) {
        double best = 1e9;
        for (int run = 0; run < 5; run++) {
            double t0 = now();
            if (kind == 0) pk_f16_to_f32(src, dst, count); else pk_bf16_to_f32(src, dst, count);
            double t = now() - t0;
            if (t < best) best = t;
        }
        printf("%-12s %6.1f GB/s of source (%6.1f GB/s moved)\n", names[kind], count * 2 / best / 1e9, count * 6 / best / 1e9);
    }
    free(src);
    free(dst);
    return 0;
}
