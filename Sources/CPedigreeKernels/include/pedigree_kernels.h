#ifndef PEDIGREE_KERNELS_H
#define PEDIGREE_KERNELS_H

// Vector kernels for Pedigree. Everything here works on caller-owned buffers whose
// lengths the caller passes explicitly; no kernel allocates, keeps a pointer, or reads
// past `count` elements. Swift callers wrap each call in `withUnsafe…` scopes.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The most files (candidate + references) one Gram pass accumulates together: the
/// kernels keep per-file and per-pair arrays of this fixed size on the stack. Swift
/// imports it (`PK_MAX_FILES`) and checks every call against it; never repeat the number.
#define PK_MAX_FILES 8
/// Number of unordered pairs a <= b for n files: n * (n + 1) / 2.
#define PK_PAIR_COUNT(n) ((n) * ((n) + 1) / 2)

/// Which instruction-set path the conversions and Gram kernel use on this CPU.
/// 2 = AVX2 + F16C + FMA, 0 = portable scalar.
int pk_vector_level(void);

// --- dtype conversion -----------------------------------------------------------------
// Sources are little-endian raw bytes, possibly unaligned.

void pk_f16_to_f32(const void *src, float *dst, size_t count);
void pk_bf16_to_f32(const void *src, float *dst, size_t count);
void pk_f32_to_f32(const void *src, float *dst, size_t count);
void pk_f64_to_f32(const void *src, float *dst, size_t count);
/// Round-to-nearest-even, as PyTorch's `.half()`; NaN stays NaN, overflow becomes ±inf.
void pk_f32_to_f16(const float *src, void *dst, size_t count);
/// Round-to-nearest-even, as PyTorch's `.bfloat16()`; NaN stays a quiet NaN.
void pk_f32_to_bf16(const float *src, void *dst, size_t count);

// --- Gram accumulation ------------------------------------------------------------------
// `x[f]` points at a row-major [rows x cols] block of file f, as float32. For every
// column j and every pair of files a <= b (pair index p in row-major upper-triangular
// order: (0,0),(0,1),…,(0,n-1),(1,1),…), adds sum_r x[a][r,j] * x[b][r,j] to
// acc[p * cols + j]. Partial sums over at most 16 rows are formed in float32 and then
// added in double, which keeps the error near float32 rounding of one short sum.
// Limits: 1 <= nfiles <= PK_MAX_FILES; a call outside them does nothing at all (it never
// writes `acc`), so a caller must check first rather than rely on a partial result.
// `x` holds nfiles pointers of rows * cols floats; `acc` holds PK_PAIR_COUNT(nfiles) * cols doubles.
void pk_gram_columns(const float *const *x, int nfiles, size_t rows, size_t cols, double *acc);

#ifdef __cplusplus
}
#endif
#endif
