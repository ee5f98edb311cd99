#ifndef PEDIGREE_FILE_COPY_H
#define PEDIGREE_FILE_COPY_H
#include <stddef.h>

/// Copies up to `length` bytes from `in_fd` at `*in_offset` (advanced by what was copied)
/// to `out_fd` at its current file offset, inside the kernel. Returns the bytes copied,
/// 0 at end of input, or -1 with errno (EXDEV, ENOSYS, EINVAL: the caller falls back).
long long pk_copy_file_range(int in_fd, long long *in_offset, int out_fd, size_t length);

#endif
