// Changed-support kernels (see pedigree_support_kernels.h). Plain C loops that the
// compiler vectorises; every loop is bounded by the caller's count.

#include "pedigree_support_kernels.h"
#include "pedigree_kernels.h"
#include <math.h>

size_t pk_count_equal(const float *a, const float *b, size_t count) {
    size_t equal = 0;
    for (size_t i = 0; i < count; i++) {
        // isfinite(a) && a == b implies b finite too.
        equal += (a[i] == b[i]) & (a[i] - a[i] == 0.0f);
    }
    return equal;
}

size_t pk_count_equal_strided(const float *a, const float *b, size_t count, size_t stride) {
    if (stride == 0) stride = 1;
    size_t equal = 0;
    for (size_t i = 0; i < count; i += stride) equal += (a[i] == b[i]) & (a[i] - a[i] == 0.0f);
    return equal;
}

void pk_equal_difference_gram(const float *const *x, int nfiles, size_t count, int base, double *acc) {
    if (nfiles < 2 || nfiles > PK_MAX_FILES || base < 1 || base >= nfiles) return;
    const float *c = x[0];
    const float *b = x[base];
    for (size_t i = 0; i < count; i++) {
        float bi = b[i];
        if (!(c[i] == bi) || !isfinite(bi)) continue;
        double d[PK_MAX_FILES];
        for (int f = 0; f < nfiles; f++) d[f] = (double)x[f][i] - (double)bi;
        int p = 0;
        for (int f = 0; f < nfiles; f++) {
            for (int g = f; g < nfiles; g++, p++) {
                double product = d[f] * d[g];
                if (isfinite(product)) acc[p] += product;
            }
        }
    }
}
