#ifndef PEDIGREE_KERNELS_H
#define PEDIGREE_KERNELS_H
#include <stddef.h>
#include <stdint.h>
#endif
