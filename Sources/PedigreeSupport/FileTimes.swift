#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `stat`'s timestamps under one spelling. Linux (glibc) names them `st_atim`, `st_mtim`,
/// `st_ctim`; Darwin `st_atimespec`, `st_mtimespec`, `st_ctimespec`. Pedigree is built and
/// tested on Linux only; the Darwin branch is written to the SDK's spelling but is not
/// tested here.
extension stat {
    public var accessTime: timespec {
        #if os(Linux)
        st_atim
        #else
        st_atimespec
        #endif
    }

    public var modificationTime: timespec {
        #if os(Linux)
        st_mtim
        #else
        st_mtimespec
        #endif
    }

    public var statusChangeTime: timespec {
        #if os(Linux)
        st_ctim
        #else
        st_ctimespec
        #endif
    }
}

extension timespec {
    /// Seconds since the epoch, with the nanoseconds as a fraction.
    public var seconds: Double { Double(tv_sec) + Double(tv_nsec) / 1e9 }
    /// Nanoseconds since the epoch.
    public var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }
}
