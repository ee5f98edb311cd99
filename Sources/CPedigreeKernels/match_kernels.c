// Unit matching kernel (see pedigree_match_kernels.h): a plain O(n·m·k) scan the compiler
// vectorises; every loop is bounded by the caller's counts.

#include "pedigree_match_kernels.h"
#include "pedigree_kernels.h"
#include "pk_target.h"
#include <math.h>

// One body, compiled twice: portable, and for AVX2/FMA (entered only after the runtime CPU
// check), where the eight partial sums become one vector register.
static inline __attribute__((always_inline)) void best_matches_body(const float *a, size_t n, const float *b, size_t m, size_t k,
                                                                    int32_t *best, float *first, float *second) {
    for (size_t i = 0; i < n; i++) {
        const float *row = a + i * k;
        float top = -INFINITY, next = -INFINITY;
        int32_t at = 0;
        for (size_t j = 0; j < m; j++) {
            const float *other = b + j * k;
            // Eight partial sums, so the loop vectorises without reassociating floats.
            float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
            size_t c = 0;
            for (; c + 8 <= k; c += 8)
                for (int l = 0; l < 8; l++) acc[l] += row[c + l] * other[c + l];
            float dot = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
            for (; c < k; c++) dot += row[c] * other[c];
            if (dot > top) { next = top; top = dot; at = (int32_t)j; }
            else if (dot > next) { next = dot; }
        }
        best[i] = at;
        first[i] = top;
        second[i] = next;
    }
}

static void best_matches_portable(const float *a, size_t n, const float *b, size_t m, size_t k,
                                  int32_t *best, float *first, float *second) {
    best_matches_body(a, n, b, m, k, best, first, second);
}

#if PK_X86
PK_AVX2 static void best_matches_avx2(const float *a, size_t n, const float *b, size_t m, size_t k,
                                      int32_t *best, float *first, float *second) {
    best_matches_body(a, n, b, m, k, best, first, second);
}
#endif

void pk_best_matches(const float *a, size_t n, const float *b, size_t m, size_t k,
                     int32_t *best, float *first, float *second) {
    if (n == 0 || m == 0 || k == 0) return;
#if PK_X86
    if (pk_vector_level() >= 2) {
        best_matches_avx2(a, n, b, m, k, best, first, second);
        return;
    }
#endif
    best_matches_portable(a, n, b, m, k, best, first, second);
}
