// Kernel-side file copy for `pedigree stamp`: the data section of a checkpoint is copied
// unchanged, so no byte needs to pass through user space (copy_file_range may even share
// extents on file systems that support it). Only here because Swift's Glibc module does not
// declare copy_file_range (it needs _GNU_SOURCE). copy_file_range is Linux-only: elsewhere
// (Darwin; not tested here, Pedigree is built and tested on Linux) this reports ENOSYS and
// the caller copies through user space, as it does on file systems that refuse.
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include "pedigree_file_copy.h"

long long pk_copy_file_range(int in_fd, long long *in_offset, int out_fd, size_t length) {
    // SAFETY: in_offset points at one caller-owned long long (checked non-null); the kernel
    // reads and advances it. No other memory is touched.
    if (in_offset == NULL) { errno = EINVAL; return -1; }
#if defined(__linux__)
    off_t offset = (off_t)*in_offset;
    ssize_t copied = copy_file_range(in_fd, &offset, out_fd, NULL, length, 0);
    if (copied >= 0) *in_offset = (long long)offset;
    return (long long)copied;
#else
    (void)in_fd; (void)out_fd; (void)length;
    errno = ENOSYS;
    return -1;
#endif
}
