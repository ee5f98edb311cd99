// Pedigree's vector kernels. This file and synth_noise.c are the only C in the project;
// they are audited together: every loop is bounded by a caller-supplied count, loads use
// unaligned forms, and the AVX2 paths are entered only after a runtime CPU check.

#include "pedigree_kernels.h"
#include <string.h>
#include <math.h>
#include <stdatomic.h>

#include "pk_target.h"

// ---------------------------------------------------------------------------------------
// CPU dispatch

// The detected level is cached in an atomic so that threads calling kernels concurrently
// (the engine's workers do) never race on it. Relaxed ordering is enough: every thread
// computes the same value from the same CPU, so whichever store a load sees is correct,
// and a thread that sees -1 simply detects again.
static _Atomic int pk_level = -1;

static int pk_detect_level(void) {
#if PK_X86
    __builtin_cpu_init();
    return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) ? 2 : 0;
#else
    return 0;
#endif
}

int pk_vector_level(void) { return pk_cached_level(&pk_level, pk_detect_level); }

// ---------------------------------------------------------------------------------------
// Scalar helpers (portable; also handle the tails of the vector loops)

static inline uint16_t pk_load_u16(const unsigned char *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static inline float pk_bits_to_f32(uint32_t bits) { float f; memcpy(&f, &bits, 4); return f; }
static inline uint32_t pk_f32_to_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

static inline float pk_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t mant = h & 0x3FFu;
    if (exp == 0) {
        if (mant == 0) return pk_bits_to_f32(sign);
        // Subnormal half: value = mant * 2^-24, exact in float32.
        float v = (float)mant * 5.9604644775390625e-08f;
        return sign ? -v : v;
    }
    if (exp == 31) return pk_bits_to_f32(sign | 0x7F800000u | (mant << 13));
    return pk_bits_to_f32(sign | ((exp + 112u) << 23) | (mant << 13));
}

static inline uint16_t pk_float_to_half(float f) {
    uint32_t x = pk_f32_to_bits(f);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t absx = x & 0x7FFFFFFFu;
    if (absx > 0x7F800000u) return (uint16_t)(sign | 0x7E00u | ((absx >> 13) & 0x3FFu));  // NaN
    if (absx < 0x38800000u) {  // below the smallest normal half: subnormal or zero
        float a = pk_bits_to_f32(absx);
        // Scale so that the half subnormal unit (2^-24) becomes 1, then round to even.
        float scaled = a * 16777216.0f;
        float r = nearbyintf(scaled);  // default rounding mode: nearest-even
        return (uint16_t)(sign | (uint32_t)r);
    }
    // Normal range: rebias exponent, round mantissa to 10 bits (nearest-even).
    uint32_t mant = absx & 0x7FFFFFu;
    uint32_t exp = (absx >> 23) - 112u;
    uint32_t half = (exp << 10) | (mant >> 13);
    uint32_t rest = mant & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) half += 1u;
    if (half >= 0x7C00u) half = 0x7C00u;  // overflow to infinity
    return (uint16_t)(sign | half);
}

static inline uint16_t pk_float_to_bf16(float f) {
    uint32_t x = pk_f32_to_bits(f);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((x >> 16) | 0x40u);  // quiet NaN
    uint32_t rounding = 0x7FFFu + ((x >> 16) & 1u);
    return (uint16_t)((x + rounding) >> 16);
}

// ---------------------------------------------------------------------------------------
// Conversions

#if PK_X86
PK_AVX2 static void pk_f16_to_f32_avx2(const unsigned char *s, float *dst, size_t count) {
    size_t i = 0;
    for (; i + 32 <= count; i += 32) {
        __m256 a = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + 2 * i)));
        __m256 b = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + 2 * i + 16)));
        __m256 c = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + 2 * i + 32)));
        __m256 d = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + 2 * i + 48)));
        _mm256_storeu_ps(dst + i, a);
        _mm256_storeu_ps(dst + i + 8, b);
        _mm256_storeu_ps(dst + i + 16, c);
        _mm256_storeu_ps(dst + i + 24, d);
    }
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + 2 * i))));
    for (; i < count; i++) dst[i] = pk_half_to_float(pk_load_u16(s + 2 * i));
}

PK_AVX2 static void pk_bf16_to_f32_avx2(const unsigned char *s, float *dst, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256i a = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(s + 2 * i)));
        __m256i b = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(s + 2 * i + 16)));
        _mm256_storeu_ps(dst + i, _mm256_castsi256_ps(_mm256_slli_epi32(a, 16)));
        _mm256_storeu_ps(dst + i + 8, _mm256_castsi256_ps(_mm256_slli_epi32(b, 16)));
    }
    for (; i < count; i++) dst[i] = pk_bits_to_f32((uint32_t)pk_load_u16(s + 2 * i) << 16);
}

PK_AVX2 static void pk_f32_to_f16_avx2(const float *src, unsigned char *d, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128((__m128i *)(d + 2 * i), h);
    }
    for (; i < count; i++) {
        uint16_t h = pk_float_to_half(src[i]);
        d[2 * i] = (unsigned char)(h & 0xFF);
        d[2 * i + 1] = (unsigned char)(h >> 8);
    }
}
#endif

void pk_f16_to_f32(const void *src, float *dst, size_t count) {
    const unsigned char *s = (const unsigned char *)src;
#if PK_X86
    if (pk_vector_level() >= 2) { pk_f16_to_f32_avx2(s, dst, count); return; }
#endif
    for (size_t i = 0; i < count; i++) dst[i] = pk_half_to_float(pk_load_u16(s + 2 * i));
}

void pk_bf16_to_f32(const void *src, float *dst, size_t count) {
    const unsigned char *s = (const unsigned char *)src;
#if PK_X86
    if (pk_vector_level() >= 2) { pk_bf16_to_f32_avx2(s, dst, count); return; }
#endif
    for (size_t i = 0; i < count; i++) dst[i] = pk_bits_to_f32((uint32_t)pk_load_u16(s + 2 * i) << 16);
}

void pk_f32_to_f32(const void *src, float *dst, size_t count) {
    // The file is little-endian and so is every host Pedigree supports (x86-64, arm64).
    memcpy(dst, src, count * sizeof(float));
}

void pk_f64_to_f32(const void *src, float *dst, size_t count) {
    const unsigned char *s = (const unsigned char *)src;
    for (size_t i = 0; i < count; i++) {
        double v;
        memcpy(&v, s + 8 * i, 8);
        dst[i] = (float)v;
    }
}

void pk_f32_to_f16(const float *src, void *dst, size_t count) {
    unsigned char *d = (unsigned char *)dst;
#if PK_X86
    if (pk_vector_level() >= 2) { pk_f32_to_f16_avx2(src, d, count); return; }
#endif
    for (size_t i = 0; i < count; i++) {
        uint16_t h = pk_float_to_half(src[i]);
        d[2 * i] = (unsigned char)(h & 0xFF);
        d[2 * i + 1] = (unsigned char)(h >> 8);
    }
}

void pk_f32_to_bf16(const float *src, void *dst, size_t count) {
    unsigned char *d = (unsigned char *)dst;
    for (size_t i = 0; i < count; i++) {
        uint16_t h = pk_float_to_bf16(src[i]);
        d[2 * i] = (unsigned char)(h & 0xFF);
        d[2 * i + 1] = (unsigned char)(h >> 8);
    }
}

// ---------------------------------------------------------------------------------------
// Gram accumulation

#define PK_ROW_BLOCK 16

static inline void pk_gram_scalar_columns(const float *const *x, int n, size_t rows, size_t cols,
                                          size_t j0, size_t j1, double *acc) {
    for (size_t j = j0; j < j1; j++) {
        double sums[PK_PAIR_COUNT(PK_MAX_FILES)] = {0};
        for (size_t r = 0; r < rows; r++) {
            float v[PK_MAX_FILES];
            for (int f = 0; f < n; f++) v[f] = x[f][r * cols + j];
            int p = 0;
            for (int a = 0; a < n; a++)
                for (int b = a; b < n; b++) sums[p++] += (double)v[a] * (double)v[b];
        }
        int pairs = PK_PAIR_COUNT(n);
        for (int p = 0; p < pairs; p++) acc[(size_t)p * cols + j] += sums[p];
    }
}

#if PK_X86
// The body is inlined into one copy per file count (see the switch below), so that the
// pair loops unroll and the float32 accumulators live in registers.
PK_AVX2 static inline __attribute__((always_inline)) void
pk_gram_avx2_n(const float *const *x, const int n, size_t rows, size_t cols, double *acc) {
    const int pairs = PK_PAIR_COUNT(n);
    size_t j = 0;
    for (; j + 8 <= cols; j += 8) {
        for (size_t r0 = 0; r0 < rows; r0 += PK_ROW_BLOCK) {
            size_t r1 = r0 + PK_ROW_BLOCK < rows ? r0 + PK_ROW_BLOCK : rows;
            __m256 s[PK_PAIR_COUNT(PK_MAX_FILES)];
            for (int p = 0; p < pairs; p++) s[p] = _mm256_setzero_ps();
            for (size_t r = r0; r < r1; r++) {
                __m256 v[PK_MAX_FILES];
                for (int f = 0; f < n; f++) v[f] = _mm256_loadu_ps(x[f] + r * cols + j);
                int p = 0;
                for (int a = 0; a < n; a++)
                    for (int b = a; b < n; b++, p++) s[p] = _mm256_fmadd_ps(v[a], v[b], s[p]);
            }
            for (int p = 0; p < pairs; p++) {
                double *dst = acc + (size_t)p * cols + j;
                __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(s[p]));
                __m256d hi = _mm256_cvtps_pd(_mm256_extractf128_ps(s[p], 1));
                _mm256_storeu_pd(dst, _mm256_add_pd(_mm256_loadu_pd(dst), lo));
                _mm256_storeu_pd(dst + 4, _mm256_add_pd(_mm256_loadu_pd(dst + 4), hi));
            }
        }
    }
    if (j < cols) pk_gram_scalar_columns(x, n, rows, cols, j, cols, acc);
}

PK_AVX2 static void pk_gram_avx2(const float *const *x, int n, size_t rows, size_t cols, double *acc) {
    switch (n) {
    case 1: pk_gram_avx2_n(x, 1, rows, cols, acc); break;
    case 2: pk_gram_avx2_n(x, 2, rows, cols, acc); break;
    case 3: pk_gram_avx2_n(x, 3, rows, cols, acc); break;
    case 4: pk_gram_avx2_n(x, 4, rows, cols, acc); break;
    case 5: pk_gram_avx2_n(x, 5, rows, cols, acc); break;
    case 6: pk_gram_avx2_n(x, 6, rows, cols, acc); break;
    case 7: pk_gram_avx2_n(x, 7, rows, cols, acc); break;
    default: pk_gram_avx2_n(x, 8, rows, cols, acc); break;
    }
}
#endif

void pk_gram_columns(const float *const *x, int nfiles, size_t rows, size_t cols, double *acc) {
    if (nfiles < 1 || nfiles > PK_MAX_FILES || rows == 0 || cols == 0) return;
#if PK_X86
    if (pk_vector_level() >= 2) { pk_gram_avx2(x, nfiles, rows, cols, acc); return; }
#endif
    pk_gram_scalar_columns(x, nfiles, rows, cols, 0, cols, acc);
}
