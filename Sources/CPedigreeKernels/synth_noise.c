// Counter-based noise for PedigreeSynth; see pedigree_synth.h. Audited with kernels.c:
// every loop is bounded by caller-supplied counts, loads and stores are unaligned forms,
// and the AVX2 path is entered only after a runtime CPU check.
//
// Bit-identity between paths: the integer hash is exact in both; the conversion of the
// top 24 hash bits to float is exact; the two float steps are single fused multiply-adds
// (fmaf / _mm256_fmadd_ps), each correctly rounded once, so both paths round identically.

#include "pedigree_synth.h"
#include <math.h>
#include <stdatomic.h>

#include "pk_target.h"

// 2*sqrt(3) / 2^24 and the offset that centres the 2^24 buckets on (-sqrt(3), sqrt(3)).
#define PS_STEP 2.0647654e-07f
#define PS_OFFSET (-1.7320507f)

// Cached in an atomic for the same reason as pk_vector_level (kernels.c): synth workers
// call this concurrently; the detected value is the same for every thread, so relaxed
// loads and stores of it are enough.
static _Atomic int ps_level = -1;

static int ps_detect_level(void) {
#if PS_X86
    __builtin_cpu_init();
    return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 2 : 0;
#else
    return 0;
#endif
}

int ps_vector_level(void) { return pk_cached_level(&ps_level, ps_detect_level); }

// A 32-bit avalanche hash (the "lowbias32" xorshift-multiply construction). Applied
// twice with two key halves, so neighbouring indices and neighbouring keys decorrelate.
static inline uint32_t ps_mix32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static inline float ps_noise_scalar(uint32_t key_lo, uint32_t key_hi, uint32_t index) {
    uint32_t h = ps_mix32(ps_mix32(index ^ key_lo) ^ key_hi);
    return fmaf((float)(h >> 8), PS_STEP, PS_OFFSET);
}

float ps_noise_value(uint32_t key_lo, uint32_t key_hi, uint32_t index) {
    return ps_noise_scalar(key_lo, key_hi, index);
}

void ps_accumulate_noise_scalar(float *out, size_t rows, size_t cols, uint32_t first_index,
                                uint32_t key_lo, uint32_t key_hi, const float *coef) {
    uint32_t index = first_index;
    for (size_t r = 0; r < rows; r++) {
        float *row = out + r * cols;
        for (size_t j = 0; j < cols; j++, index++) {
            row[j] = fmaf(coef[j], ps_noise_scalar(key_lo, key_hi, index), row[j]);
        }
    }
}

#if PS_X86
PS_AVX2 static inline __m256i ps_mix32_avx2(__m256i x) {
    x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 16));
    x = _mm256_mullo_epi32(x, _mm256_set1_epi32((int)0x7feb352dU));
    x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 15));
    x = _mm256_mullo_epi32(x, _mm256_set1_epi32((int)0x846ca68bU));
    x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 16));
    return x;
}

PS_AVX2 static void ps_accumulate_noise_avx2(float *out, size_t rows, size_t cols, uint32_t first_index,
                                             uint32_t key_lo, uint32_t key_hi, const float *coef) {
    const __m256i lo = _mm256_set1_epi32((int)key_lo);
    const __m256i hi = _mm256_set1_epi32((int)key_hi);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256 step = _mm256_set1_ps(PS_STEP);
    const __m256 offset = _mm256_set1_ps(PS_OFFSET);
    uint32_t row_index = first_index;
    for (size_t r = 0; r < rows; r++, row_index += (uint32_t)cols) {
        float *row = out + r * cols;
        size_t j = 0;
        for (; j + 8 <= cols; j += 8) {
            __m256i idx = _mm256_add_epi32(_mm256_set1_epi32((int)(row_index + (uint32_t)j)), lane);
            __m256i h = ps_mix32_avx2(_mm256_xor_si256(ps_mix32_avx2(_mm256_xor_si256(idx, lo)), hi));
            __m256 u = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(h, 8)), step, offset);
            __m256 acc = _mm256_fmadd_ps(_mm256_loadu_ps(coef + j), u, _mm256_loadu_ps(row + j));
            _mm256_storeu_ps(row + j, acc);
        }
        for (; j < cols; j++) {
            row[j] = fmaf(coef[j], ps_noise_scalar(key_lo, key_hi, row_index + (uint32_t)j), row[j]);
        }
    }
}
#endif

void ps_accumulate_noise(float *out, size_t rows, size_t cols, uint32_t first_index,
                         uint32_t key_lo, uint32_t key_hi, const float *coef) {
#if PS_X86
    if (ps_vector_level() >= 2 && cols >= 8) {
        ps_accumulate_noise_avx2(out, rows, cols, first_index, key_lo, key_hi, coef);
        return;
    }
#endif
    ps_accumulate_noise_scalar(out, rows, cols, first_index, key_lo, key_hi, coef);
}
