// Truncated SVDs for the spectral profile and the synth's planted un-merge (see
// pedigree_spectral.h). Plain loops in double, fixed orders, no threads: the results are
// deterministic and need no BLAS or LAPACK. Sizes are the caller's; every loop is bounded
// by them and every allocation is checked.

#include "pedigree_spectral.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pedigree_synth.h"

// Householder tridiagonalisation and the implicit QL algorithm (tred2 and tql2 of EISPACK,
// as JAMA writes them): about 3n^3 operations, against ~40n^3 for cyclic Jacobi, which
// matters for the l x l projected matrices (l ~ 270) of the randomized SVD.
int pk_sym_eigen(double *a, size_t n, double *values, double *vectors) {
    if (n == 0) return 0;
    double *V = vectors, *d = values;
    double *e = calloc(n, sizeof(double));
    if (!e) return -1;
    memcpy(V, a, n * n * sizeof(double));
#define VV(i, j) V[(size_t)(i) * n + (size_t)(j)]
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
                g = e[j] + VV(j, j) * f;
                for (long k = j + 1; k <= i - 1; k++) { g += VV(k, j) * d[k]; e[k] += VV(k, j) * f; }
                e[j] = g;
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
                double g = 0;
                for (long k = 0; k <= i; k++) g += VV(k, i + 1) * VV(k, j);
                for (long k = 0; k <= i; k++) VV(k, j) -= g * d[k];
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
// The randomized path in float: blocked products (4 rows x 16 columns of the result per
// register tile, the right factor packed in 16-column panels) and CholeskyQR2
// orthonormalisation (Gram in double, Cholesky, multiply by R^-1, twice), falling back to
// modified Gram-Schmidt when the Gram matrix is not positive definite (a rank-deficient
// change). The AVX2 + FMA build of the product kernel is chosen at run time.

#include "pk_target.h"

// y (n x l) = a (n x m) * xp, where xp holds x (m x l, l a multiple of 16) packed as l/16
// panels of m x 16. Each tile is one FMA chain per element in a fixed order.
#define PK_GEMM_BODY                                                                          \
    for (size_t p = 0; p < l / 16; p++) {                                                     \
        const float *panel = xp + p * m * 16;                                                 \
        size_t i = 0;                                                                         \
        for (; i + 4 <= n; i += 4) {                                                          \
            float acc[4][16] = {{0}};                                                         \
            const float *a0 = a + i * m, *a1 = a0 + m, *a2 = a1 + m, *a3 = a2 + m;            \
            for (size_t j = 0; j < m; j++) {                                                  \
                const float *xj = panel + j * 16;                                             \
                float b0 = a0[j], b1 = a1[j], b2 = a2[j], b3 = a3[j];                         \
                for (int t = 0; t < 16; t++) {                                                \
                    acc[0][t] += b0 * xj[t]; acc[1][t] += b1 * xj[t];                         \
                    acc[2][t] += b2 * xj[t]; acc[3][t] += b3 * xj[t];                         \
                }                                                                             \
            }                                                                                 \
            for (int r = 0; r < 4; r++) memcpy(y + (i + r) * l + p * 16, acc[r], 16 * sizeof(float)); \
        }                                                                                     \
        for (; i < n; i++) {                                                                  \
            float acc[16] = {0};                                                              \
            const float *a0 = a + i * m;                                                      \
            for (size_t j = 0; j < m; j++) {                                                  \
                const float *xj = panel + j * 16;                                             \
                float b0 = a0[j];                                                             \
                for (int t = 0; t < 16; t++) acc[t] += b0 * xj[t];                            \
            }                                                                                 \
            memcpy(y + i * l + p * 16, acc, 16 * sizeof(float));                              \
        }                                                                                     \
    }

static void pk_gemm_portable(const float *a, size_t n, size_t m, const float *xp, size_t l, float *y) { PK_GEMM_BODY }
#if PK_X86
PS_AVX2 static void pk_gemm_avx2(const float *a, size_t n, size_t m, const float *xp, size_t l, float *y) { PK_GEMM_BODY }
#endif

// y (n x l) = a (n x m) * x (m x l); `xp` is scratch of m * l floats.
static void pk_gemm(const float *a, size_t n, size_t m, const float *x, size_t l, float *y, float *xp) {
    for (size_t p = 0; p < l / 16; p++)
        for (size_t j = 0; j < m; j++) memcpy(xp + (p * m + j) * 16, x + j * l + p * 16, 16 * sizeof(float));
#if PK_X86
    // ps_vector_level (synth_noise.c) is the thread-safe AVX2 + FMA check this path needs.
    if (ps_vector_level() >= 2) { pk_gemm_avx2(a, n, m, xp, l, y); return; }
#endif
    pk_gemm_portable(a, n, m, xp, l, y);
}

// g (l x l, double, full) = y^T y for the float n x l matrix y, four rows at a time.
static void pk_gram_tall(const float *y, size_t n, size_t l, double *g) {
    memset(g, 0, l * l * sizeof(double));
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
    for (size_t a = 0; a < l; a++) for (size_t b = 0; b < a; b++) g[a * l + b] = g[b * l + a];
}

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

// One CholeskyQR step: y <- y R^-1 with R^T R = y^T y. Returns 0 when the Gram matrix is
// not (numerically) positive definite. `g`, `rinv` hold l * l doubles; `rf` l * l floats,
// `tmp` n * l floats, `xp` max(n, l) * l floats.
static int pk_cholesky_qr(float *y, size_t n, size_t l, double *g, double *rinv, float *rf, float *tmp, float *xp) {
    pk_gram_tall(y, n, l, g);
    double top = 0;
    for (size_t a = 0; a < l; a++) if (g[a * l + a] > top) top = g[a * l + a];
    if (!(top > 0)) return 0;
    // A shift keeps the factorisation defined when the columns are (nearly) dependent, a
    // change of lower rank than l (shifted CholeskyQR): the dependent columns come out
    // short instead of amplified noise, and only the top of the spectrum is used.
    for (size_t a = 0; a < l; a++) g[a * l + a] += 1e-12 * top;
    // Upper Cholesky in place (g's upper triangle becomes R).
    for (size_t a = 0; a < l; a++) {
        double d = g[a * l + a];
        for (size_t k = 0; k < a; k++) d -= g[k * l + a] * g[k * l + a];
        if (!(d > 1e-14 * top)) return 0;
        d = sqrt(d);
        g[a * l + a] = d;
        for (size_t b = a + 1; b < l; b++) {
            double v = g[a * l + b];
            for (size_t k = 0; k < a; k++) v -= g[k * l + a] * g[k * l + b];
            g[a * l + b] = v / d;
        }
    }
    // R^-1 (upper), column by column.
    memset(rinv, 0, l * l * sizeof(double));
    for (size_t b = 0; b < l; b++) {
        rinv[b * l + b] = 1 / g[b * l + b];
        for (size_t a = b; a-- > 0;) {
            double v = 0;
            for (size_t k = a + 1; k <= b; k++) v += g[a * l + k] * rinv[k * l + b];
            rinv[a * l + b] = -v / g[a * l + a];
        }
    }
    for (size_t i = 0; i < l * l; i++) rf[i] = (float)rinv[i];
    pk_gemm(y, n, l, rf, l, tmp, xp);
    memcpy(y, tmp, n * l * sizeof(float));
    return 1;
}

static void pk_orthonormalise_f(float *y, size_t n, size_t l, double *g, double *rinv, float *rf, float *tmp, float *xp) {
    if (!pk_cholesky_qr(y, n, l, g, rinv, rf, tmp, xp) || !pk_cholesky_qr(y, n, l, g, rinv, rf, tmp, xp))
        pk_orthonormalise_mgs(y, n, l);
}

long pk_svd_top_randomized(const float *m, size_t rows, size_t cols, size_t k, size_t oversample, int power,
                           uint64_t seed, float *u, float *s, float *v) {
    if (rows == 0 || cols == 0 || k == 0) return 0;
    size_t small = rows < cols ? rows : cols;
    if (k > small) k = small;
    // The blocked products work on 16 columns at a time: the extra test vectors are just
    // more oversampling.
    size_t l = (k + oversample + 15) / 16 * 16;
    if (l >= small) return pk_svd_top_exact(m, rows, cols, k, u, s, v);
    size_t big = rows > cols ? rows : cols;
    float *mt = malloc(rows * cols * sizeof(float));
    float *omega = malloc(cols * l * sizeof(float));
    float *q = malloc(rows * l * sizeof(float));
    float *z = malloc(cols * l * sizeof(float));
    float *tmp = malloc(big * l * sizeof(float));
    float *xp = malloc(big * l * sizeof(float));
    float *rf = malloc(l * l * sizeof(float));
    double *g = malloc(l * l * sizeof(double));
    double *rinv = malloc(l * l * sizeof(double));
    double *w = malloc(l * l * sizeof(double));
    double *lambda = malloc(l * sizeof(double));
    if (!mt || !omega || !q || !z || !tmp || !xp || !rf || !g || !rinv || !w || !lambda) {
        free(mt); free(omega); free(q); free(z); free(tmp); free(xp); free(rf); free(g); free(rinv); free(w); free(lambda);
        return -1;
    }
    // m^T, so that both products are row-major products of the same kernel.
    for (size_t i0 = 0; i0 < rows; i0 += 32)
        for (size_t j0 = 0; j0 < cols; j0 += 32)
            for (size_t i = i0; i < rows && i < i0 + 32; i++)
                for (size_t j = j0; j < cols && j < j0 + 32; j++) mt[j * rows + i] = m[i * cols + j];
    for (size_t i = 0; i < cols * l; i++) omega[i] = (float)pk_test_value(seed, i);
    pk_gemm(m, rows, cols, omega, l, q, xp);
    pk_orthonormalise_f(q, rows, l, g, rinv, rf, tmp, xp);
    for (int p = 0; p < power; p++) {
        pk_gemm(mt, cols, rows, q, l, z, xp);
        pk_orthonormalise_f(z, cols, l, g, rinv, rf, tmp, xp);
        pk_gemm(m, rows, cols, z, l, q, xp);
        pk_orthonormalise_f(q, rows, l, g, rinv, rf, tmp, xp);
    }
    // z = m^T q (cols x l) = B^T with B = q^T m; B B^T = z^T z (l x l, double).
    pk_gemm(mt, cols, rows, q, l, z, xp);
    pk_gram_tall(z, cols, l, g);
    pk_sym_eigen(g, l, lambda, w);
    double largest = lambda[0] > 0 ? sqrt(lambda[0]) : 0;
    for (size_t t = 0; t < k; t++) {
        double sigma = lambda[t] > 0 ? sqrt(lambda[t]) : 0;
        double inv = (sigma > 1e-12 * largest && sigma > 0) ? 1 / sigma : 0;
        s[t] = (float)(inv == 0 ? 0 : sigma);
        // u_t = q w_t; v_t = B^T w_t / sigma = z w_t / sigma.
        for (size_t i = 0; i < rows; i++) {
            double sum = 0;
            const float *qi = q + i * l;
            for (size_t a = 0; a < l; a++) sum += qi[a] * w[a * l + t];
            u[i * k + t] = (float)(inv == 0 ? 0 : sum);
        }
        for (size_t j = 0; j < cols; j++) {
            double sum = 0;
            const float *zj = z + j * l;
            for (size_t a = 0; a < l; a++) sum += zj[a] * w[a * l + t];
            v[j * k + t] = (float)(sum * inv);
        }
    }
    free(mt); free(omega); free(q); free(z); free(tmp); free(xp); free(rf); free(g); free(rinv); free(w); free(lambda);
    return (long)k;
}

double pk_lowrank_inner(const float *c, size_t rows, size_t cols, const float *u, const float *s, const float *v,
                        size_t k, double *partial) {
    if (k == 0) return 0;
    double *acc = calloc(k, sizeof(double));
    double *cv = malloc(k * sizeof(double));
    if (!acc || !cv) { free(acc); free(cv); return NAN; }
    for (size_t i = 0; i < rows; i++) {
        memset(cv, 0, k * sizeof(double));
        const float *row = c + i * cols;
        for (size_t j = 0; j < cols; j++) {
            double x = row[j];
            if (x == 0) continue;
            const float *vj = v + j * k;
            for (size_t t = 0; t < k; t++) cv[t] += x * vj[t];
        }
        const float *ui = u + i * k;
        for (size_t t = 0; t < k; t++) acc[t] += ui[t] * cv[t];
    }
    double total = 0;
    for (size_t t = 0; t < k; t++) {
        total += s[t] * acc[t];
        if (partial) partial[t] = total;
    }
    free(acc); free(cv);
    return total;
}
