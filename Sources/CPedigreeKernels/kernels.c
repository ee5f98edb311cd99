#include "pedigree_kernels.h"
