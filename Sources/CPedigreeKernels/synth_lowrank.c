// Low-rank (power-law spectrum) deltas and FP8 output for PedigreeSynth; see pedigree_synth.h.
// Audited with kernels.c and synth_noise.c: every loop is bounded by caller-supplied counts,
// loads and stores are unaligned forms, and the AVX2 path is entered only after a runtime
// CPU check (ps_vector_level).
//
// Bit-identity: every output element is the same chain of fused multiply-adds over k in
// increasing order, starting from the value already in `out`, on every path (4-row AVX2
// tiles, 1-row AVX2 tiles, scalar remainders). So the bytes depend neither on how rows are
// split into chunks nor on the CPU path.

#include "pedigree_synth.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_target.h"

#define PS_TILE 16          // columns per packed panel (two AVX2 registers)
#define PS_ROW_BLOCK 32     // rows whose left factors are computed together
#define PS_MAX_RANK 1024    // recipes cap the rank well below this

void ps_lowrank_pack(float *vp, size_t cols, size_t rank, uint32_t key_lo, uint32_t key_hi, const float *coef) {
    size_t tiles = cols / PS_TILE;
    size_t rem = cols - tiles * PS_TILE;
    for (size_t j = 0; j < cols; j++) {
        for (size_t k = 0; k < rank; k++) {
            float v = coef[j] * ps_noise_value(key_lo, key_hi, (uint32_t)(j * rank + k));
            size_t t = j / PS_TILE;
            size_t at = t < tiles ? t * rank * PS_TILE + k * PS_TILE + (j % PS_TILE)
                                  : tiles * rank * PS_TILE + k * rem + (j - tiles * PS_TILE);
            vp[at] = v;
        }
    }
}

// Left factors of rows [first_row, first_row + n): a[i * rank + k] = s[k] * u(row, k).
static void ps_left_factors(float *a, size_t n, size_t rank, uint32_t first_row,
                            uint32_t key_lo, uint32_t key_hi, const float *s) {
    for (size_t i = 0; i < n; i++) {
        uint32_t base = (uint32_t)((first_row + (uint32_t)i) * (uint32_t)rank);
        for (size_t k = 0; k < rank; k++) {
            a[i * rank + k] = s[k] * ps_noise_value(key_lo, key_hi, base + (uint32_t)k);
        }
    }
}

// Columns past the last whole panel, element by element (same fma order).
static void ps_lowrank_remainder(float *out, size_t n, size_t cols, size_t rank, const float *a, const float *vp) {
    size_t tiles = cols / PS_TILE;
    size_t rem = cols - tiles * PS_TILE;
    const float *panel = vp + tiles * rank * PS_TILE;
    for (size_t i = 0; i < n; i++) {
        for (size_t l = 0; l < rem; l++) {
            float acc = out[i * cols + tiles * PS_TILE + l];
            for (size_t k = 0; k < rank; k++) acc = fmaf(a[i * rank + k], panel[k * rem + l], acc);
            out[i * cols + tiles * PS_TILE + l] = acc;
        }
    }
}

static void ps_lowrank_block_scalar(float *out, size_t n, size_t cols, size_t rank, const float *a, const float *vp) {
    size_t tiles = cols / PS_TILE;
    for (size_t t = 0; t < tiles; t++) {
        const float *panel = vp + t * rank * PS_TILE;
        for (size_t i = 0; i < n; i++) {
            for (size_t l = 0; l < PS_TILE; l++) {
                float acc = out[i * cols + t * PS_TILE + l];
                for (size_t k = 0; k < rank; k++) acc = fmaf(a[i * rank + k], panel[k * PS_TILE + l], acc);
                out[i * cols + t * PS_TILE + l] = acc;
            }
        }
    }
    ps_lowrank_remainder(out, n, cols, rank, a, vp);
}

#if PS_X86
PS_AVX2 static void ps_lowrank_block_avx2(float *out, size_t n, size_t cols, size_t rank, const float *a, const float *vp) {
    size_t tiles = cols / PS_TILE;
    for (size_t t = 0; t < tiles; t++) {
        const float *panel = vp + t * rank * PS_TILE;
        size_t i = 0;
        for (; i + 4 <= n; i += 4) {
            float *o0 = out + i * cols + t * PS_TILE, *o1 = o0 + cols, *o2 = o1 + cols, *o3 = o2 + cols;
            __m256 c00 = _mm256_loadu_ps(o0), c01 = _mm256_loadu_ps(o0 + 8);
            __m256 c10 = _mm256_loadu_ps(o1), c11 = _mm256_loadu_ps(o1 + 8);
            __m256 c20 = _mm256_loadu_ps(o2), c21 = _mm256_loadu_ps(o2 + 8);
            __m256 c30 = _mm256_loadu_ps(o3), c31 = _mm256_loadu_ps(o3 + 8);
            const float *a0 = a + i * rank, *a1 = a0 + rank, *a2 = a1 + rank, *a3 = a2 + rank;
            for (size_t k = 0; k < rank; k++) {
                __m256 v0 = _mm256_loadu_ps(panel + k * PS_TILE), v1 = _mm256_loadu_ps(panel + k * PS_TILE + 8);
                __m256 b = _mm256_broadcast_ss(a0 + k);
                c00 = _mm256_fmadd_ps(b, v0, c00); c01 = _mm256_fmadd_ps(b, v1, c01);
                b = _mm256_broadcast_ss(a1 + k);
                c10 = _mm256_fmadd_ps(b, v0, c10); c11 = _mm256_fmadd_ps(b, v1, c11);
                b = _mm256_broadcast_ss(a2 + k);
                c20 = _mm256_fmadd_ps(b, v0, c20); c21 = _mm256_fmadd_ps(b, v1, c21);
                b = _mm256_broadcast_ss(a3 + k);
                c30 = _mm256_fmadd_ps(b, v0, c30); c31 = _mm256_fmadd_ps(b, v1, c31);
            }
            _mm256_storeu_ps(o0, c00); _mm256_storeu_ps(o0 + 8, c01);
            _mm256_storeu_ps(o1, c10); _mm256_storeu_ps(o1 + 8, c11);
            _mm256_storeu_ps(o2, c20); _mm256_storeu_ps(o2 + 8, c21);
            _mm256_storeu_ps(o3, c30); _mm256_storeu_ps(o3 + 8, c31);
        }
        for (; i < n; i++) {
            float *o = out + i * cols + t * PS_TILE;
            __m256 c0 = _mm256_loadu_ps(o), c1 = _mm256_loadu_ps(o + 8);
            for (size_t k = 0; k < rank; k++) {
                __m256 b = _mm256_broadcast_ss(a + i * rank + k);
                c0 = _mm256_fmadd_ps(b, _mm256_loadu_ps(panel + k * PS_TILE), c0);
                c1 = _mm256_fmadd_ps(b, _mm256_loadu_ps(panel + k * PS_TILE + 8), c1);
            }
            _mm256_storeu_ps(o, c0); _mm256_storeu_ps(o + 8, c1);
        }
    }
    ps_lowrank_remainder(out, n, cols, rank, a, vp);
}
#endif

static void ps_lowrank(float *out, size_t rows, size_t cols, uint32_t first_row, uint32_t key_lo, uint32_t key_hi,
                       const float *s, const float *vp, size_t rank, int vector) {
    if (rank == 0 || rank > PS_MAX_RANK) return;
    float a[PS_ROW_BLOCK * 64];
    float *left = rank <= 64 ? a : NULL;
    float *heap = NULL;
    if (!left) {
        heap = (float *)malloc(sizeof(float) * PS_ROW_BLOCK * rank);
        if (!heap) return;
        left = heap;
    }
    for (size_t r0 = 0; r0 < rows; r0 += PS_ROW_BLOCK) {
        size_t n = rows - r0 < PS_ROW_BLOCK ? rows - r0 : PS_ROW_BLOCK;
        ps_left_factors(left, n, rank, first_row + (uint32_t)r0, key_lo, key_hi, s);
#if PS_X86
        if (vector) { ps_lowrank_block_avx2(out + r0 * cols, n, cols, rank, left, vp); continue; }
#endif
        (void)vector;
        ps_lowrank_block_scalar(out + r0 * cols, n, cols, rank, left, vp);
    }
    free(heap);
}

void ps_accumulate_lowrank(float *out, size_t rows, size_t cols, uint32_t first_row, uint32_t key_lo, uint32_t key_hi,
                           const float *s, const float *vp, size_t rank) {
    ps_lowrank(out, rows, cols, first_row, key_lo, key_hi, s, vp, rank, ps_vector_level() >= 2);
}

void ps_accumulate_lowrank_scalar(float *out, size_t rows, size_t cols, uint32_t first_row, uint32_t key_lo,
                                  uint32_t key_hi, const float *s, const float *vp, size_t rank) {
    ps_lowrank(out, rows, cols, first_row, key_lo, key_hi, s, vp, rank, 0);
}

// Float32 → FP8 E4M3FN (bias 7, no infinities, 0x7F/0xFF = NaN, largest finite 448).
// Rounding is to nearest, ties to even, exactly as PyTorch's c10 fp8e4m3fn_from_fp32_value
// for |x| < 464; beyond the largest finite value it saturates to ±448 instead of giving
// NaN, as checkpoint converters do (a weight is never meant to become NaN).
static inline uint8_t ps_f8e4m3(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    uint8_t sign = (uint8_t)((bits >> 24) & 0x80);
    uint32_t mag = bits & 0x7fffffffU;
    if (mag > 0x7f800000U) return sign | 0x7f;           // NaN stays NaN
    if (mag >= 0x43e00000U) return sign | 0x7e;          // ≥ 448 (and ±inf): saturate
    if (mag < (121U << 23)) {                            // below 2^-6: subnormal, step 2^-9
        // Adding 2^14 puts the 2^-9 step at float32's last mantissa bit, so the float
        // addition itself rounds to nearest-even; the difference counts the steps.
        float f, magic;
        uint32_t magic_bits = 141U << 23;
        memcpy(&f, &mag, 4);
        memcpy(&magic, &magic_bits, 4);
        f += magic;
        uint32_t out_bits;
        memcpy(&out_bits, &f, 4);
        return sign | (uint8_t)(out_bits - magic_bits);
    }
    uint32_t odd = (mag >> 20) & 1;                      // the mantissa bit that stays
    mag += ((uint32_t)(7 - 127) << 23) + 0x7ffffU + odd; // rebias, round to nearest-even
    return sign | (uint8_t)(mag >> 20);
}

void ps_f32_to_f8e4m3(const float *src, void *dst, size_t count) {
    uint8_t *out = (uint8_t *)dst;
    for (size_t i = 0; i < count; i++) out[i] = ps_f8e4m3(src[i]);
}
