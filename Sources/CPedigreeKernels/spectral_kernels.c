// Truncated SVDs for the spectral profile and the synth's planted un-merge (see
// pedigree_spectral.h). Plain loops in double, fixed orders, no threads: the results are
// deterministic and need no BLAS or LAPACK. Sizes are the caller's; every loop is bounded
// by them and every allocation is checked.

#include "pedigree_spectral.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int pk_sym_eigen(double *a, size_t n, double *values, double *vectors) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) vectors[i * n + j] = (i == j) ? 1.0 : 0.0;
    double total = 0;
    for (size_t i = 0; i < n * n; i++) total += a[i] * a[i];
    int sweep = 0;
    for (; sweep < 64; sweep++) {
        double off = 0;
        for (size_t p = 0; p < n; p++)
            for (size_t q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
        // Off-diagonal energy negligible against the whole: converged (relative 1e-30 of
        // the squared Frobenius norm, i.e. about 1e-15 in the entries).
        if (off <= 1e-30 * total || off == 0) break;
        for (size_t p = 0; p < n; p++) {
            for (size_t q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (apq == 0) continue;
                double app = a[p * n + p], aqq = a[q * n + q];
                double theta = (aqq - app) / (2 * apq);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (size_t k = 0; k < n; k++) {
                    double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (size_t k = 0; k < n; k++) {
                    double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for (size_t k = 0; k < n; k++) {
                    double vkp = vectors[k * n + p], vkq = vectors[k * n + q];
                    vectors[k * n + p] = c * vkp - s * vkq;
                    vectors[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    for (size_t i = 0; i < n; i++) values[i] = a[i * n + i];
    // Selection sort by descending eigenvalue, swapping the eigenvector columns along.
    for (size_t i = 0; i < n; i++) {
        size_t best = i;
        for (size_t j = i + 1; j < n; j++) if (values[j] > values[best]) best = j;
        if (best == i) continue;
        double tmp = values[i]; values[i] = values[best]; values[best] = tmp;
        for (size_t k = 0; k < n; k++) {
            tmp = vectors[k * n + i]; vectors[k * n + i] = vectors[k * n + best]; vectors[k * n + best] = tmp;
        }
    }
    return sweep;
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

// Orthonormalises the l columns of the row-major n x l matrix y in place (modified
// Gram-Schmidt, twice for stability); a column that vanishes is set to 0.
static void pk_orthonormalise(double *y, size_t n, size_t l) {
    for (int pass = 0; pass < 2; pass++) {
        for (size_t t = 0; t < l; t++) {
            for (size_t q = 0; q < t; q++) {
                double dot = 0;
                for (size_t i = 0; i < n; i++) dot += y[i * l + q] * y[i * l + t];
                for (size_t i = 0; i < n; i++) y[i * l + t] -= dot * y[i * l + q];
            }
            double norm = 0;
            for (size_t i = 0; i < n; i++) norm += y[i * l + t] * y[i * l + t];
            norm = sqrt(norm);
            double inv = norm > 1e-300 ? 1 / norm : 0;
            for (size_t i = 0; i < n; i++) y[i * l + t] *= inv;
        }
    }
}

// y (rows x l) = m (rows x cols) * x (cols x l).
static void pk_mul(const float *m, size_t rows, size_t cols, const double *x, size_t l, double *y) {
    memset(y, 0, rows * l * sizeof(double));
    for (size_t i = 0; i < rows; i++) {
        const float *row = m + i * cols;
        double *yi = y + i * l;
        for (size_t j = 0; j < cols; j++) {
            double a = row[j];
            const double *xj = x + j * l;
            for (size_t t = 0; t < l; t++) yi[t] += a * xj[t];
        }
    }
}

// z (cols x l) = m^T (cols x rows) * y (rows x l).
static void pk_mul_t(const float *m, size_t rows, size_t cols, const double *y, size_t l, double *z) {
    memset(z, 0, cols * l * sizeof(double));
    for (size_t i = 0; i < rows; i++) {
        const float *row = m + i * cols;
        const double *yi = y + i * l;
        for (size_t j = 0; j < cols; j++) {
            double a = row[j];
            double *zj = z + j * l;
            for (size_t t = 0; t < l; t++) zj[t] += a * yi[t];
        }
    }
}

long pk_svd_top_randomized(const float *m, size_t rows, size_t cols, size_t k, size_t oversample, int power,
                           uint64_t seed, float *u, float *s, float *v) {
    if (rows == 0 || cols == 0 || k == 0) return 0;
    size_t small = rows < cols ? rows : cols;
    if (k > small) k = small;
    size_t l = k + oversample;
    if (l >= small) return pk_svd_top_exact(m, rows, cols, k, u, s, v);
    double *omega = malloc(cols * l * sizeof(double));
    double *q = malloc(rows * l * sizeof(double));
    double *z = malloc(cols * l * sizeof(double));
    double *g = calloc(l * l, sizeof(double));
    double *w = malloc(l * l * sizeof(double));
    double *lambda = malloc(l * sizeof(double));
    if (!omega || !q || !z || !g || !w || !lambda) {
        free(omega); free(q); free(z); free(g); free(w); free(lambda);
        return -1;
    }
    for (size_t i = 0; i < cols * l; i++) omega[i] = pk_test_value(seed, i);
    pk_mul(m, rows, cols, omega, l, q);
    pk_orthonormalise(q, rows, l);
    for (int p = 0; p < power; p++) {
        pk_mul_t(m, rows, cols, q, l, z);
        pk_orthonormalise(z, cols, l);
        pk_mul(m, rows, cols, z, l, q);
        pk_orthonormalise(q, rows, l);
    }
    // z = m^T q (cols x l) = B^T with B = q^T m (l x cols). Gram B B^T = z^T z (l x l).
    pk_mul_t(m, rows, cols, q, l, z);
    for (size_t j = 0; j < cols; j++) {
        const double *zj = z + j * l;
        for (size_t a = 0; a < l; a++) {
            double x = zj[a];
            if (x == 0) continue;
            for (size_t b = a; b < l; b++) g[a * l + b] += x * zj[b];
        }
    }
    for (size_t a = 0; a < l; a++) for (size_t b = 0; b < a; b++) g[a * l + b] = g[b * l + a];
    pk_sym_eigen(g, l, lambda, w);
    double largest = lambda[0] > 0 ? sqrt(lambda[0]) : 0;
    for (size_t t = 0; t < k; t++) {
        double sigma = lambda[t] > 0 ? sqrt(lambda[t]) : 0;
        double inv = (sigma > 1e-12 * largest && sigma > 0) ? 1 / sigma : 0;
        s[t] = (float)(inv == 0 ? 0 : sigma);
        // u_t = q w_t; v_t = B^T w_t / sigma = z w_t / sigma.
        for (size_t i = 0; i < rows; i++) {
            double sum = 0;
            const double *qi = q + i * l;
            for (size_t a = 0; a < l; a++) sum += qi[a] * w[a * l + t];
            u[i * k + t] = (float)(inv == 0 ? 0 : sum);
        }
        for (size_t j = 0; j < cols; j++) {
            double sum = 0;
            const double *zj = z + j * l;
            for (size_t a = 0; a < l; a++) sum += zj[a] * w[a * l + t];
            v[j * k + t] = (float)(sum * inv);
        }
    }
    free(omega); free(q); free(z); free(g); free(w); free(lambda);
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
