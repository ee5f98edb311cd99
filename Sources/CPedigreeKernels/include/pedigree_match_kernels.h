#ifndef PEDIGREE_MATCH_KERNELS_H
#define PEDIGREE_MATCH_KERNELS_H

// Unit matching for re-basined (permuted) checkpoints: which row of one sketch matrix is
// nearest each row of another. Buffers and counts are the caller's; nothing is allocated.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// For each row i < n of `a` ([n × k], row-major), the row j < m of `b` ([m × k]) with the
/// largest dot product a[i]·b[j]: best[i] = j, first[i] its dot product, second[i] the
/// largest dot product of any other row (-INFINITY when m == 1). Ties keep the lower j.
/// With unit-length rows the dot products are cosines. Nothing is done when n, m or k is 0.
void pk_best_matches(const float *a, size_t n, const float *b, size_t m, size_t k,
                     int32_t *best, float *first, float *second);

#ifdef __cplusplus
}
#endif
#endif
