#ifndef PEDIGREE_SYNTH_H
#define PEDIGREE_SYNTH_H

// Seeded noise for synthetic checkpoints (PedigreeSynth). Counter-based: the value of an
// element depends only on its key and its index inside the tensor, never on how the
// tensor is split into chunks or which thread computes it, so the same recipe always
// produces the same bytes. The AVX2 path and the scalar path give bit-identical results.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Which path `ps_accumulate_noise` takes on this CPU: 2 = AVX2 + FMA, 0 = portable scalar.
int ps_vector_level(void);

/// The noise value of element `index` under key (`key_lo`, `key_hi`): uniform on
/// (-sqrt(3), sqrt(3)), so mean 0 and variance 1.
float ps_noise_value(uint32_t key_lo, uint32_t key_hi, uint32_t index);

/// For a row-major block of `rows` x `cols` elements whose first element has index
/// `first_index` in its tensor (a multiple of `cols`), adds coef[j] * noise(index) to
/// out[r * cols + j]. `out` holds rows * cols floats, `coef` holds cols floats.
void ps_accumulate_noise(float *out, size_t rows, size_t cols, uint32_t first_index,
                         uint32_t key_lo, uint32_t key_hi, const float *coef);

/// The same, always on the portable scalar path (tests compare the two paths).
void ps_accumulate_noise_scalar(float *out, size_t rows, size_t cols, uint32_t first_index,
                                uint32_t key_lo, uint32_t key_hi, const float *coef);

/// Packs the right factor of a low-rank term: V[k][j] = coef[j] * noise(key, j * rank + k)
/// for j < cols, k < rank, into `vp` (cols * rank floats) as panels of 16 columns
/// (panel t holds rank rows of 16), the last cols % 16 columns k-major after them.
void ps_lowrank_pack(float *vp, size_t cols, size_t rank, uint32_t key_lo, uint32_t key_hi, const float *coef);

/// Adds rows [first_row, first_row + rows) of U diag(s) V^T to the row-major block `out`
/// (rows * cols floats), where U[row][k] = noise(key, row * rank + k) and V is packed by
/// `ps_lowrank_pack`. `s` holds rank floats; rank is at most 1024 (larger does nothing).
void ps_accumulate_lowrank(float *out, size_t rows, size_t cols, uint32_t first_row, uint32_t key_lo, uint32_t key_hi,
                           const float *s, const float *vp, size_t rank);

/// The same, always on the portable scalar path (tests compare the two paths).
void ps_accumulate_lowrank_scalar(float *out, size_t rows, size_t cols, uint32_t first_row, uint32_t key_lo,
                                  uint32_t key_hi, const float *s, const float *vp, size_t rank);

/// Float32 to FP8 E4M3FN bytes: round to nearest-even, saturating at +-448, NaN kept.
void ps_f32_to_f8e4m3(const float *src, void *dst, size_t count);

#ifdef __cplusplus
}
#endif
#endif
