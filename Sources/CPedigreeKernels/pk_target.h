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
// The spectral products: AVX-512 (F, DQ, VL, BW) and FMA, entered only after the CPUID and
// XGETBV check of spectral_gemm.c.
#define PK_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,fma")))
#else
#define PK_X86 0
#endif
#define PS_X86 PK_X86

#include <stdatomic.h>

// A CPU level detected once and cached for every later call. `detect` is idempotent, so two
// threads racing here store the same value; relaxed ordering is enough for one int.
static inline int pk_cached_level(_Atomic int *cache, int (*detect)(void)) {
    int level = atomic_load_explicit(cache, memory_order_relaxed);
    if (level < 0) {
        level = detect();
        atomic_store_explicit(cache, level, memory_order_relaxed);
    }
    return level;
}

#endif
