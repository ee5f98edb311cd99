#ifndef PEDIGREE_SPECTRAL_H
#define PEDIGREE_SPECTRAL_H

// Truncated singular value decompositions of one tensor viewed as rows x cols (kohya's
// reshape: a convolution is out x (in * kh * kw)), hand-written so that no system BLAS or
// LAPACK is ever required. Used by the synth (exact, to plant an un-merge) and by the
// spectral profile of a reference pair (randomized, on the whole change D - A).
//
// Conventions: matrices are row-major. `u` receives rows x k floats (column t = u_t),
// `v` receives cols x k floats (column t = v_t), `s` k floats in descending order, so that
// the rank-k approximation is sum_t s[t] * u[:, t] * v[:, t]^T. Every function returns the
// number of singular triplets written (at most min(k, rows, cols)), or -1 when memory
// could not be allocated. Results are deterministic: fixed loop orders, no threads.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Eigen-decomposition of the symmetric n x n matrix `a` (row-major, destroyed) by cyclic
/// Jacobi rotations: `values` (n) in descending order, `vectors` (n x n, row-major) with
/// eigenvector j in column j. Returns the number of sweeps used.
int pk_sym_eigen(double *a, size_t n, double *values, double *vectors);

/// The exact top-k singular triplets of `m` (rows x cols), from the eigen-decomposition of
/// the Gram matrix of its smaller side (m^T m or m m^T, accumulated in double).
long pk_svd_top_exact(const float *m, size_t rows, size_t cols, size_t k, float *u, float *s, float *v);

/// The top-k singular triplets of `m` by randomized SVD (Halko, Martinsson & Tropp 2011):
/// a Gaussian-like test matrix of k + oversample columns keyed by `seed`, `power` power
/// iterations with re-orthonormalisation, then the exact SVD of the small projected matrix.
/// When k + oversample reaches min(rows, cols) it is the exact decomposition.
long pk_svd_top_randomized(const float *m, size_t rows, size_t cols, size_t k, size_t oversample, int power,
                           uint64_t seed, float *u, float *s, float *v);

/// sum_t s[t] * u[:, t]^T c v[:, t] for t < k: the inner product <c, U_k S_k V_k^T> of a
/// rows x cols matrix `c` with a rank-k approximation, accumulated in double. `partial`
/// (k doubles, may be NULL) receives the cumulative sums, so partial[t] is the inner
/// product with the rank-(t+1) approximation.
double pk_lowrank_inner(const float *c, size_t rows, size_t cols, const float *u, const float *s, const float *v,
                        size_t k, double *partial);


#ifdef __cplusplus
}
#endif
#endif
