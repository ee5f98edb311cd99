#ifndef PEDIGREE_SUPPORT_KERNELS_H
#define PEDIGREE_SUPPORT_KERNELS_H

// Kernels for the "changed support" of a candidate: the elements where it differs from a
// reference. Sparsifying merges (TIES, DARE) leave most weights bit-for-bit equal to the
// base they were merged onto; these kernels find those elements and accumulate, over them,
// the Gram matrix of every file's difference from that base. Buffers and counts are the
// caller's; nothing is allocated or kept.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How many i < count have a[i] == b[i] with both finite (NaN and ±inf never count as equal,
/// so a corrupt value cannot make a difference of infinities).
size_t pk_count_equal(const float *a, const float *b, size_t count);

/// The same over every `stride`-th element (i = 0, stride, 2·stride, … < count): a cheap
/// probe, so chunks with no equal element skip the full count. `stride` 0 counts as 1.
size_t pk_count_equal_strided(const float *a, const float *b, size_t count, size_t stride);

/// Over every i < count where x[0][i] == x[base][i] (both finite), adds
/// (x[f][i] - x[base][i]) * (x[g][i] - x[base][i]) to acc[p] for every pair f <= g of the
/// `nfiles` files, p in the same row-major upper-triangular order as pk_gram_columns.
/// (Pairs with f or g equal to 0 or `base` add exactly 0 and are left untouched.) A
/// non-finite difference counts as 0 for that element. Partial sums are float32 over
/// blocks of 1024 elements, added to double. `acc` holds PK_PAIR_COUNT(nfiles) doubles;
/// 1 <= base < nfiles <= PK_MAX_FILES, else nothing is done. Returns how many elements
/// were equal (what pk_count_equal(x[0], x[base], count) returns), counted in the same pass.
size_t pk_equal_difference_gram(const float *const *x, int nfiles, size_t count, int base, double *acc);

#ifdef __cplusplus
}
#endif
#endif
