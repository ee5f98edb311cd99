// Truncated SVDs for the spectral profile and the synth's planted un-merge (see
// pedigree_spectral.h). Loops in double for the Gram and eigen steps, blocked float products
// (spectral_gemm.c) for the randomized path; fixed orders, no threads: the results are
// deterministic and need no BLAS or LAPACK. Sizes are the caller's; every loop is bounded
// by them and every allocation is checked.

#include "pedigree_spectral.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pk_target.h"
#include "spectral_gemm.h"

// No fused multiply-adds by contraction: the AVX-512 builds of the loops below then round
// exactly as the portable ones (FMAs are written out where they are meant).
#pragma STDC FP_CONTRACT OFF

// Householder tridiagonalisation and the implicit QL algorithm (tred2 and tql2 of EISPACK,
// as JAMA writes them): about 3n^3 operations, against ~40n^3 for cyclic Jacobi, which
// matters for the l x l projected matrices (l ~ 270) of the randomized SVD. The body is
// built twice (portable and AVX-512, below); with contraction off both round identically.
static inline __attribute__((always_inline)) double pk_sum8(const double *p) {
    return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

static inline __attribute__((always_inline)) int pk_sym_eigen_body(double *a, size_t n, double *values, double *vectors) {
    if (n == 0) return 0;
    double *V = vectors, *d = values;
    double *e = calloc(n, sizeof(double));
    if (!e) return -1;
    // V is kept transposed while it is built (VV(i, j) is stored at [j][i]): the inner loops
    // below run down columns of V, which are then contiguous. Same arithmetic, same results.
    for (size_t i = 0; i < n; i++) for (size_t j = 0; j < n; j++) V[j * n + i] = a[i * n + j];
#define VV(i, j) V[(size_t)(j) * n + (size_t)(i)]
    long N = (long)n;
    for (long j = 0; j < N; j++) d[j] = VV(N - 1, j);
    for (long i = N - 1; i > 0; i--) {
        double scale = 0, h = 0;
        for (long k = 0; k < i; k++) scale += fabs(d[k]);
        if (scale == 0) {
            e[i] = d[i - 1];
            for (long j = 0; j < i; j++) { d[j] = VV(i - 1, j); VV(i, j) = 0; VV(j, i) = 0; }
        } else {
            for (long k = 0; k < i; k++) { d[k] /= scale; h += d[k] * d[k]; }
            double f = d[i - 1], g = sqrt(h);
            if (f > 0) g = -g;
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            for (long j = 0; j < i; j++) e[j] = 0;
            for (long j = 0; j < i; j++) {
                f = d[j];
                VV(j, i) = f;
                // The dot product in 8 partial sums (a single chain of dependent additions
                // is latency-bound; these vectorise), combined in a fixed order.
                const double *vj = &VV(0, j);
                double p8[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                long k = j + 1;
                for (; k + 8 <= i; k += 8)
                    for (int q = 0; q < 8; q++) { p8[q] += vj[k + q] * d[k + q]; e[k + q] += vj[k + q] * f; }
                for (; k <= i - 1; k++) { p8[0] += vj[k] * d[k]; e[k] += vj[k] * f; }
                g = e[j] + VV(j, j) * f;
                e[j] = g + pk_sum8(p8);
            }
            f = 0;
            for (long j = 0; j < i; j++) { e[j] /= h; f += e[j] * d[j]; }
            double hh = f / (h + h);
            for (long j = 0; j < i; j++) e[j] -= hh * d[j];
            for (long j = 0; j < i; j++) {
                f = d[j]; g = e[j];
                for (long k = j; k <= i - 1; k++) VV(k, j) -= (f * e[k] + g * d[k]);
                d[j] = VV(i - 1, j);
                VV(i, j) = 0;
            }
        }
        d[i] = h;
    }
    for (long i = 0; i < N - 1; i++) {
        VV(N - 1, i) = VV(i, i);
        VV(i, i) = 1;
        double h = d[i + 1];
        if (h != 0) {
            for (long k = 0; k <= i; k++) d[k] = VV(k, i + 1) / h;
            for (long j = 0; j <= i; j++) {
                const double *vi = &VV(0, i + 1);
                double *vj = &VV(0, j);
                double p8[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                long k = 0;
                for (; k + 8 <= i + 1; k += 8)
                    for (int q = 0; q < 8; q++) p8[q] += vi[k + q] * vj[k + q];
                for (; k <= i; k++) p8[0] += vi[k] * vj[k];
                double g = pk_sum8(p8);
                for (k = 0; k <= i; k++) vj[k] -= g * d[k];
            }
        }
        for (long k = 0; k <= i; k++) VV(k, i + 1) = 0;
    }
    for (long j = 0; j < N; j++) { d[j] = VV(N - 1, j); VV(N - 1, j) = 0; }
    VV(N - 1, N - 1) = 1;
    e[0] = 0;

    for (long i = 1; i < N; i++) e[i - 1] = e[i];
    e[N - 1] = 0;
    double f = 0, tst1 = 0;
    const double eps = 2.220446049250313e-16;
    int iterations = 0;
    for (long l = 0; l < N; l++) {
        double here = fabs(d[l]) + fabs(e[l]);
        if (here > tst1) tst1 = here;
        long m = l;
        while (m < N) { if (fabs(e[m]) <= eps * tst1) break; m++; }
        if (m == N) m = N - 1;
        if (m > l) {
            int iter = 0;
            do {
                iter++;
                iterations++;
                double g = d[l];
                double p = (d[l + 1] - g) / (2 * e[l]);
                double r = hypot(p, 1);
                if (p < 0) r = -r;
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                double dl1 = d[l + 1];
                double h = g - d[l];
                for (long i = l + 2; i < N; i++) d[i] -= h;
                f += h;
                p = d[m];
                double c = 1, c2 = c, c3 = c, el1 = e[l + 1], s = 0, s2 = 0;
                for (long i = m - 1; i >= l; i--) {
                    c3 = c2; c2 = c; s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    for (long k = 0; k < N; k++) {
                        h = VV(k, i + 1);
                        VV(k, i + 1) = s * VV(k, i) + c * h;
                        VV(k, i) = c * VV(k, i) - s * h;
                    }
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
            } while (fabs(e[l]) > eps * tst1 && iter < 60);
        }
        d[l] = d[l] + f;
        e[l] = 0;
    }
#undef VV
    free(e);
    // Back to row-major: eigenvector j in column j.
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) { double t = V[i * n + j]; V[i * n + j] = V[j * n + i]; V[j * n + i] = t; }
    // Descending order, eigenvector columns along (non-finite values sort last).
    for (size_t i = 0; i < n; i++) {
        size_t best = i;
        for (size_t j = i + 1; j < n; j++) if (values[j] > values[best] || values[best] != values[best]) best = j;
        if (best == i) continue;
        double tmp = values[i]; values[i] = values[best]; values[best] = tmp;
        for (size_t k = 0; k < n; k++) {
            tmp = vectors[k * n + i]; vectors[k * n + i] = vectors[k * n + best]; vectors[k * n + best] = tmp;
        }
    }
    return iterations;
}

static int pk_sym_eigen_portable(double *a, size_t n, double *values, double *vectors) {
    return pk_sym_eigen_body(a, n, values, vectors);
}
#if PK_X86
PK_AVX512 static int pk_sym_eigen_avx512(double *a, size_t n, double *values, double *vectors) {
    return pk_sym_eigen_body(a, n, values, vectors);
}
#endif

int pk_sym_eigen(double *a, size_t n, double *values, double *vectors) {
#if PK_X86
    if (pk_gemm_level() >= 3) return pk_sym_eigen_avx512(a, n, values, vectors);
#endif
    return pk_sym_eigen_portable(a, n, values, vectors);
}

// Completes a decomposition from the eigenvectors `w` (n x n, columns) of the Gram matrix
// of the small side of m (m^T m when `right`, else m m^T) and its eigenvalues.
static long pk_finish(const float *m, size_t rows, size_t cols, size_t k, const double *w, const double *lambda,
                      size_t n, int right, float *u, float *s, float *v) {
    if (k > n) k = n;
    double *other = calloc((right ? rows : cols) * (k ? k : 1), sizeof(double));
    if (!other) return -1;
    // other = m w_k (right: rows x k) or m^T w_k (left: cols x k).
    for (size_t i = 0; i < rows; i++) {
        const float *row = m + i * cols;
        for (size_t j = 0; j < cols; j++) {
            double x = row[j];
            if (x == 0) continue;
            if (right) { const double *wj = w + j * n; double *o = other + i * k; for (size_t t = 0; t < k; t++) o[t] += x * wj[t]; }
            else { const double *wi = w + i * n; double *o = other + j * k; for (size_t t = 0; t < k; t++) o[t] += x * wi[t]; }
        }
    }
    double largest = lambda[0] > 0 ? sqrt(lambda[0]) : 0;
    for (size_t t = 0; t < k; t++) {
        double sigma = lambda[t] > 0 ? sqrt(lambda[t]) : 0;
        // Directions below round-off of the largest carry nothing: zero them, not noise / tiny.
        double inv = (sigma > 1e-12 * largest && sigma > 0) ? 1 / sigma : 0;
        s[t] = (float)(inv == 0 ? 0 : sigma);
        size_t small = right ? cols : rows, big = right ? rows : cols;
        float *small_out = right ? v : u, *big_out = right ? u : v;
        for (size_t i = 0; i < small; i++) small_out[i * k + t] = (float)w[i * n + t];
        for (size_t i = 0; i < big; i++) big_out[i * k + t] = (float)(other[i * k + t] * inv);
    }
    free(other);
    return (long)k;
}

long pk_svd_top_exact(const float *m, size_t rows, size_t cols, size_t k, float *u, float *s, float *v) {
    if (rows == 0 || cols == 0 || k == 0) return 0;
    int right = cols <= rows;
    size_t n = right ? cols : rows;
    double *g = calloc(n * n, sizeof(double));
    double *w = malloc(n * n * sizeof(double));
    double *lambda = malloc(n * sizeof(double));
    if (!g || !w || !lambda) { free(g); free(w); free(lambda); return -1; }
    if (right) {
        for (size_t i = 0; i < rows; i++) {
            const float *row = m + i * cols;
            for (size_t a = 0; a < n; a++) {
                double x = row[a];
                if (x == 0) continue;
                double *ga = g + a * n;
                for (size_t b = a; b < n; b++) ga[b] += x * row[b];
            }
        }
    } else {
        for (size_t a = 0; a < n; a++) {
            const float *ra = m + a * cols;
            for (size_t b = a; b < n; b++) {
                const float *rb = m + b * cols;
                double sum = 0;
                for (size_t j = 0; j < cols; j++) sum += (double)ra[j] * rb[j];
                g[a * n + b] = sum;
            }
        }
    }
    for (size_t a = 0; a < n; a++) for (size_t b = 0; b < a; b++) g[a * n + b] = g[b * n + a];
    pk_sym_eigen(g, n, lambda, w);
    long result = pk_finish(m, rows, cols, k, w, lambda, n, right, u, s, v);
    free(g); free(w); free(lambda);
    return result;
}

// Counter-based test matrix entries: uniform on (-sqrt 3, sqrt 3), variance 1 (a Gaussian
// is not needed for the range finder; any i.i.d. zero-mean test matrix works).
static double pk_test_value(uint64_t seed, uint64_t index) {
    uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (index + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((double)(z >> 11) / 9007199254740992.0 * 2 - 1) * 1.7320508075688772;
}




// ---------------------------------------------------------------------------------------
// The randomized path in float: blocked products (spectral_gemm.c, AVX-512, AVX2 or
// portable, chosen at run time) and CholeskyQR2 orthonormalisation (Gram in double,
// Cholesky, multiply by R^-1, twice), falling back to modified Gram-Schmidt when the Gram
// matrix is not positive definite (a rank-deficient change).

// Modified Gram-Schmidt on the float columns (through double), for the rank-deficient case.
static void pk_orthonormalise_mgs(float *y, size_t n, size_t l) {
    for (int pass = 0; pass < 2; pass++) {
        for (size_t t = 0; t < l; t++) {
            for (size_t q = 0; q < t; q++) {
                double dot = 0;
                for (size_t i = 0; i < n; i++) dot += (double)y[i * l + q] * y[i * l + t];
                for (size_t i = 0; i < n; i++) y[i * l + t] = (float)(y[i * l + t] - dot * y[i * l + q]);
            }
            double norm = 0;
            for (size_t i = 0; i < n; i++) norm += (double)y[i * l + t] * y[i * l + t];
            norm = sqrt(norm);
            double inv = norm > 1e-30 ? 1 / norm : 0;
            for (size_t i = 0; i < n; i++) y[i * l + t] = (float)(y[i * l + t] * inv);
        }
    }
}

// Upper Cholesky of g (l x l, in place: its upper triangle becomes R), right-looking so that
// the inner loops run along rows, then rinv = R^-1 row by row from the bottom:
// row a = (e_a - sum_{k>a} R[a][k] row k) / R[a][a]. 0 when a pivot falls below 1e-14 * top
// (not positive definite). Also built for AVX-512: otherwise about a third of CholeskyQR.
#define PK_CHOLESKY_BODY                                                       \
    for (size_t a = 0; a < l; a++) {                                           \
        double d = g[a * l + a];                                               \
        if (!(d > 1e-14 * top)) return 0;                                      \
        d = sqrt(d);                                                           \
        g[a * l + a] = d;                                                      \
        double *ga = g + a * l;                                                \
        for (size_t b = a + 1; b < l; b++) ga[b] /= d;                         \
        for (size_t b = a + 1; b < l; b++) {                                   \
            double f = ga[b], *gb = g + b * l;                                 \
            for (size_t c = b; c < l; c++) gb[c] -= f * ga[c];                 \
        }                                                                      \
    }                                                                          \
    memset(rinv, 0, l * l * sizeof(double));                                   \
    for (size_t a = l; a-- > 0;) {                                             \
        double *xa = rinv + a * l;                                             \
        xa[a] = 1;                                                             \
        for (size_t k = a + 1; k < l; k++) {                                   \
            double f = g[a * l + k];                                           \
            const double *xk = rinv + k * l;                                   \
            for (size_t b = k; b < l; b++) xa[b] -= f * xk[b];                 \
        }                                                                      \
        for (size_t b = a; b < l; b++) xa[b] /= g[a * l + a];                  \
    }                                                                          \
    return 1;

static int pk_cholesky_inverse_portable(double *g, double *rinv, size_t l, double top) { PK_CHOLESKY_BODY }
#if PK_X86
PK_AVX512 static int pk_cholesky_inverse_avx512(double *g, double *rinv, size_t l, double top) { PK_CHOLESKY_BODY }
#endif

static int pk_cholesky_inverse(double *g, double *rinv, size_t l, double top) {
#if PK_X86
    if (pk_gemm_level() >= 3) return pk_cholesky_inverse_avx512(g, rinv, l, top);
#endif
    return pk_cholesky_inverse_portable(g, rinv, l, top);
}

// Scratch of one orthonormalisation: `g`, `rinv` l * l doubles, `gs` pk_gram_scratch(l)
// doubles, `rf` l * l floats, `tmp` n * l floats, `xp` pk_gemm_scratch(l) floats.
typedef struct { double *g, *rinv, *gs; float *rf, *tmp, *xp; } pk_qr_scratch;

// One CholeskyQR step: y <- y R^-1 with R^T R = y^T y. Returns 0 when the Gram matrix is
// not (numerically) positive definite.
static int pk_cholesky_qr(float *y, size_t n, size_t l, pk_qr_scratch *w) {
    double *g = w->g, *rinv = w->rinv;
    pk_gram_tall(y, n, l, g, w->gs);
    double top = 0;
    for (size_t a = 0; a < l; a++) if (g[a * l + a] > top) top = g[a * l + a];
    if (!(top > 0)) return 0;
    // A shift keeps the factorisation defined when the columns are (nearly) dependent, a
    // change of lower rank than l (shifted CholeskyQR): the dependent columns come out
    // short instead of amplified noise, and only the top of the spectrum is used.
    for (size_t a = 0; a < l; a++) g[a * l + a] += 1e-12 * top;
    if (!pk_cholesky_inverse(g, rinv, l, top)) return 0;
    for (size_t i = 0; i < l * l; i++) w->rf[i] = (float)rinv[i];
    pk_gemm(y, l, 1, n, l, w->rf, l, l, 1, w->tmp, l, w->xp);
    memcpy(y, w->tmp, n * l * sizeof(float));
    return 1;
}

static void pk_orthonormalise_f(float *y, size_t n, size_t l, pk_qr_scratch *w) {
    if (!pk_cholesky_qr(y, n, l, w) || !pk_cholesky_qr(y, n, l, w)) pk_orthonormalise_mgs(y, n, l);
}

long pk_svd_top_randomized(const float *m, size_t rows, size_t cols, size_t k, size_t oversample, int power,
                           uint64_t seed, float *u, float *s, float *v) {
    if (rows == 0 || cols == 0 || k == 0) return 0;
    size_t small = rows < cols ? rows : cols;
    if (k > small) k = small;
    // The products work on 16 columns at a time: the extra test vectors are just more
    // oversampling.
    size_t l = (k + oversample + 15) / 16 * 16;
    if (l >= small) return pk_svd_top_exact(m, rows, cols, k, u, s, v);
    size_t big = rows > cols ? rows : cols;
    float *omega = malloc(cols * l * sizeof(float));
    float *q = malloc(rows * l * sizeof(float));
    float *z = malloc(cols * l * sizeof(float));
    float *tmp = malloc(big * l * sizeof(float));
    float *xp = malloc(pk_gemm_scratch(l) * sizeof(float));
    float *rf = malloc(l * l * sizeof(float));
    double *g = malloc(l * l * sizeof(double));
    double *rinv = malloc(l * l * sizeof(double));
    double *gs = malloc(pk_gram_scratch(l) * sizeof(double));
    double *w = malloc(l * l * sizeof(double));
    double *lambda = malloc(l * sizeof(double));
    if (!omega || !q || !z || !tmp || !xp || !rf || !g || !rinv || !gs || !w || !lambda) {
        free(omega); free(q); free(z); free(tmp); free(xp); free(rf); free(g); free(rinv); free(gs); free(w); free(lambda);
        return -1;
    }
    pk_qr_scratch qs = { g, rinv, gs, rf, tmp, xp };
    for (size_t i = 0; i < cols * l; i++) omega[i] = (float)pk_test_value(seed, i);
    // m (rows x cols) and m^T (read in place, no transposed copy) times l columns.
#define PK_M(x, y) pk_gemm(m, cols, 1, rows, cols, x, l, l, 0, y, l, xp)
#define PK_MT(x, y) pk_gemm(m, 1, cols, cols, rows, x, l, l, 0, y, l, xp)
    PK_M(omega, q);
    pk_orthonormalise_f(q, rows, l, &qs);
    for (int p = 0; p < power; p++) {
        PK_MT(q, z);
        pk_orthonormalise_f(z, cols, l, &qs);
        PK_M(z, q);
        pk_orthonormalise_f(q, rows, l, &qs);
    }
    // z = m^T q (cols x l) = B^T with B = q^T m; B B^T = z^T z (l x l, double).
    PK_MT(q, z);
#undef PK_M
#undef PK_MT
    pk_gram_tall(z, cols, l, g, gs);
    pk_sym_eigen(g, l, lambda, w);
    // u = q w_k and v = z w_k / sigma (B^T w_t / sigma_t) as products with w_k in float.
    for (size_t a = 0; a < l; a++) for (size_t t = 0; t < k; t++) rf[a * k + t] = (float)w[a * l + t];
    pk_gemm(q, l, 1, rows, l, rf, k, k, 0, u, k, xp);
    pk_gemm(z, l, 1, cols, l, rf, k, k, 0, v, k, xp);
    double largest = lambda[0] > 0 ? sqrt(lambda[0]) : 0;
    for (size_t t = 0; t < k; t++) {
        double sigma = lambda[t] > 0 ? sqrt(lambda[t]) : 0;
        // Directions below round-off of the largest carry nothing: zero them, not noise / tiny.
        double inv = (sigma > 1e-12 * largest && sigma > 0) ? 1 / sigma : 0;
        s[t] = (float)(inv == 0 ? 0 : sigma);
        w[t] = inv;
    }
    for (size_t i = 0; i < rows; i++)
        for (size_t t = 0; t < k; t++) if (w[t] == 0) u[i * k + t] = 0;
    for (size_t j = 0; j < cols; j++)
        for (size_t t = 0; t < k; t++) v[j * k + t] = (float)(v[j * k + t] * w[t]);
    free(omega); free(q); free(z); free(tmp); free(xp); free(rf); free(g); free(rinv); free(gs); free(w); free(lambda);
    return (long)k;
}

// Rows of c per product block in pk_lowrank_inner: bounds its scratch at 256 x k floats.
#define PK_INNER_ROWS 256

double pk_lowrank_inner(const float *c, size_t rows, size_t cols, const float *u, const float *s, const float *v,
                        size_t k, double *partial) {
    if (k == 0) return 0;
    double *acc = calloc(k, sizeof(double));
    float *cv = malloc(PK_INNER_ROWS * k * sizeof(float));
    float *xp = malloc(pk_gemm_scratch(k) * sizeof(float));
    if (!acc || !cv || !xp) { free(acc); free(cv); free(xp); return NAN; }
    // c v (rows x k) a block of rows at a time, then acc[t] += u[i][t] (c v)[i][t] in double.
    for (size_t i0 = 0; i0 < rows; i0 += PK_INNER_ROWS) {
        size_t nb = rows - i0 < PK_INNER_ROWS ? rows - i0 : PK_INNER_ROWS;
        pk_gemm(c + i0 * cols, cols, 1, nb, cols, v, k, k, 0, cv, k, xp);
        for (size_t i = 0; i < nb; i++) {
            const float *ui = u + (i0 + i) * k, *ci = cv + i * k;
            for (size_t t = 0; t < k; t++) acc[t] += (double)ui[t] * ci[t];
        }
    }
    double total = 0;
    for (size_t t = 0; t < k; t++) {
        total += s[t] * acc[t];
        if (partial) partial[t] = total;
    }
    free(acc); free(cv); free(xp);
    return total;
}
