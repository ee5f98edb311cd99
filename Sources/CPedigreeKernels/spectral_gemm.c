// Blocked products for the randomized SVD (see spectral_gemm.h). Goto-style: the right
// factor is packed one depth block at a time (PK_KC rows x all columns, which stays in L2),
// the left factor PK_MR rows x PK_KC deep (which stays in L1), and a register tile of
// PK_MR rows x 32 columns accumulates each depth block before it is added to y. Every
// element is one sum per depth block in a fixed order, blocks added in order: the result
// depends only on the sizes, never on timing. Loads and stores are unaligned forms or
// masked to the valid columns; every loop is bounded by the caller's sizes.

#include "spectral_gemm.h"
#include <stdint.h>
#include <string.h>
#include "pedigree_synth.h"
#include "pk_target.h"

#define PK_KC 384   // depth block: 384 x 288 floats of packed x = 432 KB, in L2
#define PK_MR 12    // rows per register tile: 12 x 2 accumulators + 2 loads of x fit 32 zmm
// X(1) ... X(PK_MR): a switch over a tile's row count, so each count gets a body with the
// count as a constant (its accumulators stay in registers).
#define PK_EACH_TILE_ROWS(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12)
#define PK_GB 128   // rows per block of the Gram matrix, converted to double (272 KB at l = 272)

static _Atomic int pk_gemm_cache = -1;

// AVX-512 needs the CPU's F, DQ, BW and VL (CPUID leaf 7, EBX bits 16, 17, 30, 31), FMA and
// OSXSAVE (leaf 1, ECX bits 12, 27), and the OS saving the opmask and ZMM state with the
// SSE and AVX state (XCR0 bits 1, 2, 5, 6, 7).
static int pk_gemm_detect(void) {
#if PK_X86
    unsigned a, b, c, d;
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
    unsigned max_leaf = a;
    if (max_leaf >= 7) {
        __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
        unsigned ecx1 = c;
        __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
        unsigned ebx7 = b, need7 = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
        if ((ecx1 & (1u << 27)) && (ecx1 & (1u << 12)) && (ebx7 & need7) == need7) {
            unsigned lo, hi;
            __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            (void)hi;
            if ((lo & 0xE6u) == 0xE6u) return 3;
        }
    }
    // ps_vector_level (synth_noise.c) is the AVX2 + FMA check.
    return ps_vector_level() >= 2 ? 2 : 0;
#else
    return 0;
#endif
}

int pk_gemm_level(void) { return pk_cached_level(&pk_gemm_cache, pk_gemm_detect); }

static size_t pk_round16(size_t l) { return (l + 15) / 16 * 16; }

// + 16 floats to align the packed panels to 64 bytes.
size_t pk_gemm_scratch(size_t l) { return PK_KC * (pk_round16(l) + PK_MR) + 16; }

size_t pk_gram_scratch(size_t l) { return PK_GB * pk_round16(l); }

// One register tile: c[r][0 .. valid) (+)= sum_j ap[r * ars + j * ads] * bp[j * w + 0 .. w)
// for r < mr, j < kc: ap is the packed tile (ars = 1, ads = PK_MR) or A's rows read in place
// (ars = lda, ads = 1). `w` is the panel width (16 or 32); `first` stores instead of adding.
typedef void (*pk_tile_fn)(int mr, int w, const float *ap, size_t ars, size_t ads, const float *bp, size_t kc,
                           float *c, size_t ldc, int first, int valid);

// The portable tile (also built for AVX2): 4 rows x 16 columns at a time, which compilers
// keep in vector registers.
#define PK_TILE_BODY                                                                           \
    for (int r0 = 0; r0 < mr; r0 += 4) {                                                       \
        int rr = mr - r0 < 4 ? mr - r0 : 4;                                                    \
        for (int h = 0; h < w && h < valid; h += 16) {                                         \
            float acc[4][16] = {{0}};                                                          \
            for (size_t j = 0; j < kc; j++) {                                                  \
                const float *bj = bp + j * (size_t)w + h, *aj = ap + j * ads + r0 * ars;       \
                for (int q = 0; q < 4; q++) {                                                  \
                    float x = q < rr ? aj[q * ars] : 0;                                        \
                    for (int t = 0; t < 16; t++) acc[q][t] += x * bj[t];                       \
                }                                                                              \
            }                                                                                  \
            int cols = valid - h < 16 ? valid - h : 16;                                        \
            for (int q = 0; q < rr; q++) {                                                     \
                float *cq = c + (size_t)(r0 + q) * ldc + h;                                    \
                for (int t = 0; t < cols; t++) cq[t] = first ? acc[q][t] : cq[t] + acc[q][t];  \
            }                                                                                  \
        }                                                                                      \
    }

static void pk_tile_portable(int mr, int w, const float *ap, size_t ars, size_t ads, const float *bp, size_t kc,
                             float *c, size_t ldc, int first, int valid) { PK_TILE_BODY }

#if PK_X86
// Fully unrolled row loops keep every accumulator in a register (without it clang leaves
// the 12-row tile's accumulators on the stack).
#if defined(__clang__)
#define PK_UNROLL _Pragma("clang loop unroll(full)")
#else
#define PK_UNROLL
#endif

PS_AVX2 static void pk_tile_avx2(int mr, int w, const float *ap, size_t ars, size_t ads, const float *bp,
                                 size_t kc, float *c, size_t ldc, int first, int valid) { PK_TILE_BODY }

// mr and nv (zmm per row: 1 or 2) are constants at each call, so the loops unroll and the
// accumulators live in registers.
PK_AVX512 static inline __attribute__((always_inline)) void
pk_tile512(const int mr, const int nv, const float *ap, const size_t ars, const size_t ads, const float *bp, size_t kc,
           float *c, size_t ldc, int first, __mmask16 m0, __mmask16 m1) {
    __m512 acc0[PK_MR], acc1[PK_MR];
    PK_UNROLL
    for (int r = 0; r < mr; r++) { acc0[r] = _mm512_setzero_ps(); acc1[r] = _mm512_setzero_ps(); }
    for (size_t j = 0; j < kc; j++) {
        const float *bj = bp + j * 16 * nv, *aj = ap + j * ads;
        __m512 b0 = _mm512_loadu_ps(bj);
        __m512 b1 = nv == 2 ? _mm512_loadu_ps(bj + 16) : b0;
        PK_UNROLL
        for (int r = 0; r < mr; r++) {
            __m512 x = _mm512_set1_ps(aj[r * ars]);
            acc0[r] = _mm512_fmadd_ps(x, b0, acc0[r]);
            if (nv == 2) acc1[r] = _mm512_fmadd_ps(x, b1, acc1[r]);
        }
    }
    PK_UNROLL
    for (int r = 0; r < mr; r++) {
        float *cr = c + (size_t)r * ldc;
        if (!first) acc0[r] = _mm512_add_ps(acc0[r], _mm512_maskz_loadu_ps(m0, cr));
        _mm512_mask_storeu_ps(cr, m0, acc0[r]);
        if (nv == 2) {
            if (!first) acc1[r] = _mm512_add_ps(acc1[r], _mm512_maskz_loadu_ps(m1, cr + 16));
            _mm512_mask_storeu_ps(cr + 16, m1, acc1[r]);
        }
    }
}

PK_AVX512 static void pk_tile_avx512(int mr, int w, const float *ap, size_t ars, size_t ads, const float *bp,
                                     size_t kc, float *c, size_t ldc, int first, int valid) {
    __mmask16 m0 = valid >= 16 ? 0xFFFF : (__mmask16)((1u << valid) - 1);
    __mmask16 m1 = valid >= 32 ? 0xFFFF : valid > 16 ? (__mmask16)((1u << (valid - 16)) - 1) : 0;
    // Strides as constants where they are known (the packed tile), so that the broadcasts
    // are plain offsets.
#define PK_CASE(R)                                                                              \
    case R:                                                                                     \
        if (ads == 1) {                                                                         \
            if (w == 32) pk_tile512(R, 2, ap, ars, 1, bp, kc, c, ldc, first, m0, m1);           \
            else pk_tile512(R, 1, ap, ars, 1, bp, kc, c, ldc, first, m0, m1);                   \
        } else {                                                                                \
            if (w == 32) pk_tile512(R, 2, ap, 1, PK_MR, bp, kc, c, ldc, first, m0, m1);         \
            else pk_tile512(R, 1, ap, 1, PK_MR, bp, kc, c, ldc, first, m0, m1);                 \
        }                                                                                       \
        break;
    switch (mr) {
        PK_EACH_TILE_ROWS(PK_CASE)
        default: break;
    }
#undef PK_CASE
}
#endif

void pk_gemm(const float *a, size_t ars, size_t ads, size_t n, size_t m, const float *x, size_t ldx, size_t l,
             int upper, float *y, size_t ldy, float *scratch) {
    if (n == 0 || l == 0) return;
    if (m == 0) { for (size_t i = 0; i < n; i++) memset(y + i * ldy, 0, l * sizeof(float)); return; }
    pk_tile_fn tile = pk_tile_portable;
    // The AVX-512 tile reads a row-major A in place (its 12 rows stay in L1 across the
    // panels); the others, and a transposed A, read a packed copy.
    int in_place = 0;
#if PK_X86
    int level = pk_gemm_level();
    if (level >= 3) { tile = pk_tile_avx512; in_place = ads == 1; }
    else if (level >= 2) tile = pk_tile_avx2;
#endif
    float *bpack = (float *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    float *apack = bpack + PK_KC * pk_round16(l);
    for (size_t k0 = 0; k0 < m; k0 += PK_KC) {
        size_t kc = m - k0 < PK_KC ? m - k0 : PK_KC;
        // x's rows k0 .. k0 + kc as panels of 32 columns (the last one 16 when 16 or fewer
        // remain), zero-padded: the panel at column c0 starts at bpack + c0 * kc.
        for (size_t c0 = 0; c0 < l; c0 += (l - c0 > 16 ? 32 : 16)) {
            size_t w = l - c0 > 16 ? 32 : 16, cols = l - c0 < w ? l - c0 : w;
            float *panel = bpack + c0 * kc;
            for (size_t j = 0; j < kc; j++) {
                memcpy(panel + j * w, x + (k0 + j) * ldx + c0, cols * sizeof(float));
                memset(panel + j * w + cols, 0, (w - cols) * sizeof(float));
            }
        }
        for (size_t i0 = 0; i0 < n; i0 += PK_MR) {
            size_t mr = n - i0 < PK_MR ? n - i0 : PK_MR;
            // A's rows i0 .. i0 + mr, depth k0 .. k0 + kc, depth-major (the tile broadcasts
            // PK_MR consecutive values per depth step).
            const float *at = apack;
            size_t tile_rs = 1, tile_ds = PK_MR;
            if (in_place) {
                at = a + i0 * ars + k0;
                tile_rs = ars;
                tile_ds = 1;
            } else if (ads == 1) {
                for (size_t r = 0; r < mr; r++) {
                    const float *src = a + (i0 + r) * ars + k0;
                    for (size_t j = 0; j < kc; j++) apack[j * PK_MR + r] = src[j];
                }
            } else {
                for (size_t j = 0; j < kc; j++) {
                    const float *src = a + (k0 + j) * ads + i0 * ars;
                    for (size_t r = 0; r < mr; r++) apack[j * PK_MR + r] = src[r * ars];
                }
            }
            for (size_t c0 = 0; c0 < l; c0 += (l - c0 > 16 ? 32 : 16)) {
                size_t w = l - c0 > 16 ? 32 : 16, cols = l - c0 < w ? l - c0 : w, depth = kc;
                if (upper) {
                    // Rows j >= c0 + w of x are zero in this panel (never so for k0 = 0,
                    // so every tile is stored once).
                    if (c0 + w <= k0) continue;
                    if (c0 + w - k0 < depth) depth = c0 + w - k0;
                }
                tile((int)mr, (int)w, at, tile_rs, tile_ds, bpack + c0 * kc, depth, y + i0 * ldy + c0, ldy, k0 == 0,
                     (int)cols);
            }
        }
    }
}

// The portable Gram matrix: four rows at a time, in double.
static void pk_gram_portable(const float *y, size_t n, size_t l, double *g) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const float *r0 = y + i * l, *r1 = r0 + l, *r2 = r1 + l, *r3 = r2 + l;
        for (size_t a = 0; a < l; a++) {
            double c0 = r0[a], c1 = r1[a], c2 = r2[a], c3 = r3[a];
            double *ga = g + a * l;
            for (size_t b = a; b < l; b++) ga[b] += c0 * r0[b] + c1 * r1[b] + c2 * r2[b] + c3 * r3[b];
        }
    }
    for (; i < n; i++) {
        const float *r0 = y + i * l;
        for (size_t a = 0; a < l; a++) {
            double c0 = r0[a];
            double *ga = g + a * l;
            for (size_t b = a; b < l; b++) ga[b] += c0 * r0[b];
        }
    }
}

#if PK_X86
// g[a0 + r][b0 .. b0 + 16) += sum_i yd[i][a0 + r] * yd[i][b0 .. b0 + 16) for r < ar, i < nb.
PK_AVX512 static inline __attribute__((always_inline)) void
pk_gram_tile512(const int ar, const double *yd, size_t nb, size_t l, size_t a0, size_t b0, double *g) {
    __m512d acc0[PK_MR], acc1[PK_MR];
    PK_UNROLL
    for (int r = 0; r < ar; r++) { acc0[r] = _mm512_setzero_pd(); acc1[r] = _mm512_setzero_pd(); }
    for (size_t i = 0; i < nb; i++) {
        const double *yi = yd + i * l;
        __m512d b0v = _mm512_loadu_pd(yi + b0), b1v = _mm512_loadu_pd(yi + b0 + 8);
        PK_UNROLL
        for (int r = 0; r < ar; r++) {
            __m512d x = _mm512_set1_pd(yi[a0 + r]);
            acc0[r] = _mm512_fmadd_pd(x, b0v, acc0[r]);
            acc1[r] = _mm512_fmadd_pd(x, b1v, acc1[r]);
        }
    }
    PK_UNROLL
    for (int r = 0; r < ar; r++) {
        double *gr = g + (a0 + r) * l + b0;
        _mm512_storeu_pd(gr, _mm512_add_pd(_mm512_loadu_pd(gr), acc0[r]));
        _mm512_storeu_pd(gr + 8, _mm512_add_pd(_mm512_loadu_pd(gr + 8), acc1[r]));
    }
}

// For l a multiple of 16: blocks of PK_GB rows converted to double (exactly), then the
// tiles of g that reach its upper triangle, PK_MR rows x 16 columns each.
PK_AVX512 static void pk_gram_avx512(const float *y, size_t n, size_t l, double *g, double *yd) {
    for (size_t i0 = 0; i0 < n; i0 += PK_GB) {
        size_t nb = n - i0 < PK_GB ? n - i0 : PK_GB;
        for (size_t i = 0; i < nb; i++)
            for (size_t b = 0; b < l; b += 8)
                _mm512_storeu_pd(yd + i * l + b, _mm512_cvtps_pd(_mm256_loadu_ps(y + (i0 + i) * l + b)));
        for (size_t b0 = 0; b0 < l; b0 += 16) {
            for (size_t a0 = 0; a0 < b0 + 16; a0 += PK_MR) {
                size_t ar = b0 + 16 - a0 < PK_MR ? b0 + 16 - a0 : PK_MR;
#define PK_CASE(R) case R: pk_gram_tile512(R, yd, nb, l, a0, b0, g); break;
                switch (ar) {
                    PK_EACH_TILE_ROWS(PK_CASE)
                    default: break;
                }
#undef PK_CASE
            }
        }
    }
}
#endif

void pk_gram_tall(const float *y, size_t n, size_t l, double *g, double *scratch) {
    memset(g, 0, l * l * sizeof(double));
#if PK_X86
    if (l % 16 == 0 && pk_gemm_level() >= 3) pk_gram_avx512(y, n, l, g, scratch);
    else pk_gram_portable(y, n, l, g);
#else
    (void)scratch;
    pk_gram_portable(y, n, l, g);
#endif
    // The upper triangle is complete; mirror it.
    for (size_t a = 0; a < l; a++) for (size_t b = 0; b < a; b++) g[a * l + b] = g[b * l + a];
}
