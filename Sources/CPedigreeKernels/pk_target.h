// Which vector code a kernel file may compile, in one place for every file. Functions marked
// with these attributes are compiled for those instruction sets whatever the target flags say
// (the package passes none), and are called only after the runtime CPU check of their family
// has seen the instructions they use.
#ifndef PK_TARGET_H
#define PK_TARGET_H

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PK_X86 1
// The metric kernels: AVX2 and FMA plus F16C for half-precision decoding.
#define PK_AVX2 __attribute__((target("avx2,fma,f16c")))
// The synthesis kernels: AVX2 and FMA only (they never touch half floats).
#define PS_AVX2 __attribute__((target("avx2,fma")))
#else
#define PK_X86 0
#endif
#define PS_X86 PK_X86

#endif
