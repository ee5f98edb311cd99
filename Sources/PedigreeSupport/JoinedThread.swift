// pthread_t is an integer on Linux (glibc) and an optional pointer on Darwin, hence the
// two spellings below. Pedigree is built and tested on Linux only; the Darwin branch
// follows the SDK's signatures but is not tested here.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A thread its starter joins: `join()` returns only once the thread has wholly finished,
/// its closure and everything the closure captured released.
///
/// Why not Foundation's `Thread`: a `Thread` cannot be joined. Its starter learns that the
/// work is done from a semaphore signalled inside the closure, and goes on while the
/// thread is still tearing down (releasing the captured context, running thread-local
/// destructors). A two-job scan that returned, closed its database and began printing
/// while two such threads were still exiting aborted once in CI with "corrupted
/// double-linked list" (not reproduced in 60 local runs, 10 under AddressSanitizer, so the overlap is the
/// likeliest cause rather than a proven one). With joined threads no Pedigree thread
/// outlives the work it belongs to, and that overlap cannot happen.
public final class JoinedThread: Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    #if canImport(Glibc)
    private let handle: pthread_t
    #else
    private let handle: pthread_t?
    #endif
    private let joined = Mutex(false)

    /// Starts `body` on a new thread with `stackSize` bytes of stack; nil when the system
    /// cannot start one (callers then do the work on their own thread).
    public init?(stackSize: Int = 8 << 20, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        _ = pthread_attr_setstacksize(&attributes, stackSize)
        // SAFETY: the retained box is handed to the new thread, which takes it back
        // (balancing this retain) before running it; if the thread is not created, it is
        // released here instead. The one unmanaged pointer in Pedigree's threading.
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        #if canImport(Glibc)
        var created = pthread_t()
        #else
        var created: pthread_t?
        #endif
        let status = pthread_create(&created, &attributes, { argument in
            // The argument is optional in glibc's signature and not in Darwin's; widening it
            // reads the same on both.
            let raw: UnsafeMutableRawPointer? = argument
            guard let pointer = raw else { return nil }
            Unmanaged<Body>.fromOpaque(pointer).takeRetainedValue().run()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            return nil
        }
        handle = created
    }

    /// Waits until the thread has finished. Later calls return at once.
    public func join() {
        joined.withLock { done in
            guard !done else { return }
            #if canImport(Glibc)
            pthread_join(handle, nil)
            #else
            if let handle { pthread_join(handle, nil) }
            #endif
            done = true
        }
    }

    deinit { join() }
}
