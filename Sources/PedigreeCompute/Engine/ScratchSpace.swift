/// Per-worker scratch memory, reused across tensors so the pass allocates only when a
/// larger tensor first needs more. Owned by one worker thread at a time.
///
/// Buffers are lent only inside a closure (`withStaging`, `withGather`, `withWide`), sized
/// exactly as asked. A buffer grows (is freed and reallocated) only when it is lent again,
/// and lending a buffer that is already lent is a precondition failure, so a pointer handed
/// out can never outlive a regrowth while it is in use. As with `withUnsafe…` in the
/// standard library, the pointer must not escape its closure.
public final class ScratchSpace {
    private var staging = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 64)
    private var gather = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 64)
    private var wide = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1)
    private var lent: Set<Buffer> = []

    private enum Buffer { case staging, gather, wide }

    public init() {}

    deinit {
        staging.deallocate()
        gather.deallocate()
        wide.deallocate()
    }

    /// Raw file bytes before they are decoded.
    func withStaging<R>(bytes: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try lend(.staging) {
            if staging.count < bytes {
                staging.deallocate()
                staging = .allocate(byteCount: bytes, alignment: 64)
            }
            // SAFETY: staging holds at least `bytes` bytes after the growth above.
            return try body(UnsafeMutableRawBufferPointer(rebasing: staging[0 ..< bytes]))
        }
    }

    /// Sampled columns' raw bytes, gathered from whole rows.
    func withGather<R>(bytes: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try lend(.gather) {
            if gather.count < bytes {
                gather.deallocate()
                gather = .allocate(byteCount: bytes, alignment: 64)
            }
            // SAFETY: gather holds at least `bytes` bytes after the growth above.
            return try body(UnsafeMutableRawBufferPointer(rebasing: gather[0 ..< bytes]))
        }
    }

    /// Whole decoded rows of a sub-byte tensor, before its sampled columns are picked.
    func withWide<R>(elements: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try lend(.wide) {
            if wide.count < elements {
                wide.deallocate()
                wide = .allocate(capacity: elements)
            }
            // SAFETY: wide holds at least `elements` floats after the growth above.
            return try body(UnsafeMutableBufferPointer(rebasing: wide[0 ..< elements]))
        }
    }

    /// Marks `buffer` lent for `body`'s duration; a nested lend of the same buffer would
    /// free memory a caller still points at, so it stops the program instead.
    private func lend<R>(_ buffer: Buffer, _ body: () throws -> R) rethrows -> R {
        precondition(lent.insert(buffer).inserted, "ScratchSpace: the \(buffer) buffer is already lent")
        defer { lent.remove(buffer) }
        return try body()
    }
}
