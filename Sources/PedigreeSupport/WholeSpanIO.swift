#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loop every read or write of a whole span needs: `pread`, `write` and `pwrite` may move
/// fewer bytes than asked, and a signal may interrupt them (EINTR), so each is repeated until
/// the span is done. One loop, so the reader and the atomic writer cannot differ in how they retry.
public enum WholeSpanIO {
    public enum Stop: Error, Equatable {
        /// The call failed with this `errno`.
        case failed(errno: Int32)
        /// The call moved nothing after `done` bytes: the file ended (reads only).
        case ended(done: Int)
    }

    /// Calls `step(done)` until `count` bytes are done; `step` moves up to `count - done`
    /// bytes starting `done` bytes into the span and returns what the system call returned.
    public static func complete(count: Int, _ step: (_ done: Int) -> Int) throws(Stop) {
        var done = 0
        while done < count {
            let moved = step(done)
            if moved < 0 {
                if errno == EINTR { continue }
                throw .failed(errno: errno)
            }
            if moved == 0 { throw .ended(done: done) }
            done += moved
        }
    }
}
