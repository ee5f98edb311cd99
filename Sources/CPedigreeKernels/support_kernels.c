// Changed-support kernels (see pedigree_support_kernels.h). Plain C loops that the
// compiler vectorises; every loop is bounded by the caller's count.

#include "pedigree_support_kernels.h"
#include "pedigree_kernels.h"
#include <math.h>

#include "pk_target.h"

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

// On an element where the candidate equals the base, the candidate's and the base's own
// differences from the base are exactly 0, so only pairs among the other files can add
// anything: m = nfiles - 2 files, m(m+1)/2 pairs. Differences are formed once per element
// and masked to 0 off the support (or where not finite), then every pair is a multiply-add.
// As in pk_gram_columns, float32 partial sums over blocks of PK_EQ_BLOCK elements are
// added to double, which bounds their rounding.
#define PK_EQ_BLOCK 1024

static inline size_t pk_pair_index(int n, int a, int b) {
    return (size_t)(a * n - a * (a - 1) / 2 + (b - a));
}

static size_t pk_equal_gram_scalar(const float *c, const float *b, const float *const *o, int m, size_t from, size_t count, double *sums) {
    size_t equal = 0;
    for (size_t i = from; i < count; i++) {
        float bi = b[i];
        if (!(c[i] == bi) || !(bi - bi == 0.0f)) continue;
        equal++;
        double d[PK_MAX_FILES];
        for (int a = 0; a < m; a++) {
            float v = o[a][i] - bi;
            d[a] = (v - v == 0.0f) ? (double)v : 0.0;
        }
        int p = 0;
        for (int a = 0; a < m; a++)
            for (int e = a; e < m; e++, p++) sums[p] += d[a] * d[e];
    }
    return equal;
}

#if PK_X86

PK_AVX2 static inline __attribute__((always_inline)) size_t
pk_equal_gram_avx2_m(const float *c, const float *b, const float *const *o, const int m, size_t count, double *sums) {
    const int pairs = PK_PAIR_COUNT(m);
    const __m256 zero = _mm256_setzero_ps();
    size_t i = 0, equal = 0;
    while (i + 8 <= count) {
        size_t end = i + PK_EQ_BLOCK < count ? i + PK_EQ_BLOCK : count;
        __m256 s[PK_PAIR_COUNT(PK_MAX_FILES - 2)];
        for (int p = 0; p < pairs; p++) s[p] = zero;
        for (; i + 8 <= end; i += 8) {
            __m256 bv = _mm256_loadu_ps(b + i);
            __m256 keep = _mm256_and_ps(_mm256_cmp_ps(_mm256_loadu_ps(c + i), bv, _CMP_EQ_OQ),
                                        _mm256_cmp_ps(_mm256_sub_ps(bv, bv), zero, _CMP_EQ_OQ));
            equal += (size_t)__builtin_popcount((unsigned)_mm256_movemask_ps(keep));
            __m256 d[PK_MAX_FILES - 2];
            for (int a = 0; a < m; a++) {
                __m256 v = _mm256_sub_ps(_mm256_loadu_ps(o[a] + i), bv);
                __m256 finite = _mm256_cmp_ps(_mm256_sub_ps(v, v), zero, _CMP_EQ_OQ);
                d[a] = _mm256_and_ps(v, _mm256_and_ps(keep, finite));
            }
            int p = 0;
            for (int a = 0; a < m; a++)
                for (int e = a; e < m; e++, p++) s[p] = _mm256_fmadd_ps(d[a], d[e], s[p]);
        }
        for (int p = 0; p < pairs; p++) {
            __m256d wide = _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(s[p])),
                                         _mm256_cvtps_pd(_mm256_extractf128_ps(s[p], 1)));
            double lanes[4];
            _mm256_storeu_pd(lanes, wide);
            sums[p] += (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        }
    }
    return equal + pk_equal_gram_scalar(c, b, o, m, i, count, sums);
}

PK_AVX2 static size_t pk_equal_gram_avx2(const float *c, const float *b, const float *const *o, int m, size_t count, double *sums) {
    switch (m) {
    case 0: return pk_equal_gram_avx2_m(c, b, o, 0, count, sums);
    case 1: return pk_equal_gram_avx2_m(c, b, o, 1, count, sums);
    case 2: return pk_equal_gram_avx2_m(c, b, o, 2, count, sums);
    case 3: return pk_equal_gram_avx2_m(c, b, o, 3, count, sums);
    case 4: return pk_equal_gram_avx2_m(c, b, o, 4, count, sums);
    case 5: return pk_equal_gram_avx2_m(c, b, o, 5, count, sums);
    default: return pk_equal_gram_avx2_m(c, b, o, 6, count, sums);
    }
}
#endif

size_t pk_equal_difference_gram(const float *const *x, int nfiles, size_t count, int base, double *acc) {
    if (nfiles < 2 || nfiles > PK_MAX_FILES || base < 1 || base >= nfiles) return 0;
    const float *others[PK_MAX_FILES];
    int index[PK_MAX_FILES];
    int m = 0;
    for (int f = 1; f < nfiles; f++) {
        if (f == base) continue;
        others[m] = x[f];
        index[m] = f;
        m++;
    }
    double sums[PK_PAIR_COUNT(PK_MAX_FILES - 2)] = {0};
    size_t equal;
#if PK_X86
    if (pk_vector_level() >= 2) equal = pk_equal_gram_avx2(x[0], x[base], others, m, count, sums);
    else equal = pk_equal_gram_scalar(x[0], x[base], others, m, 0, count, sums);
#else
    equal = pk_equal_gram_scalar(x[0], x[base], others, m, 0, count, sums);
#endif
    int p = 0;
    for (int a = 0; a < m; a++)
        for (int e = a; e < m; e++, p++) acc[pk_pair_index(nfiles, index[a], index[e])] += sums[p];
    return equal;
}
