// The float products and the double Gram matrix behind the randomized SVD
// (spectral_kernels.c). Private to the kernels: not in include/.
#ifndef PK_SPECTRAL_GEMM_H
#define PK_SPECTRAL_GEMM_H

#include <stddef.h>

/// Floats of scratch pk_gemm needs for a right factor of l columns.
size_t pk_gemm_scratch(size_t l);

/// y (n x l, row stride ldy) = A (n x m) * x (m x l, row stride ldx), where
/// A[i][j] = a[i * ars + j * ads]: (lda, 1) reads a row-major matrix, (1, lda) its transpose.
/// `upper`: x is upper triangular (x[j][c] = 0 for j > c) and its zero blocks are skipped.
/// `scratch` holds pk_gemm_scratch(l) floats. Fixed loop orders: deterministic.
void pk_gemm(const float *a, size_t ars, size_t ads, size_t n, size_t m, const float *x, size_t ldx, size_t l,
             int upper, float *y, size_t ldy, float *scratch);

/// Doubles of scratch pk_gram_tall needs for l columns.
size_t pk_gram_scratch(size_t l);

/// g (l x l, double, full) = y^T y for the float n x l matrix y, accumulated in double
/// (every float product is exact in double). `scratch` holds pk_gram_scratch(l) doubles.
void pk_gram_tall(const float *y, size_t n, size_t l, double *g, double *scratch);

/// The product path in use: 3 AVX-512, 2 AVX2 + FMA, 0 portable.
int pk_gemm_level(void);

#endif
