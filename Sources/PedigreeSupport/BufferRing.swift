/// Raw buffers shared between threads that hand them over explicitly.
///
/// SAFETY: the type itself does no synchronisation. It is `@unchecked Sendable` because its
/// users pass ownership of each buffer between threads through semaphores or by giving
/// each worker its own index, so no buffer is ever touched by two threads at once. The
/// owner calls `deallocate()` after every thread that used the buffers has finished.
public struct BufferRing: @unchecked Sendable {
    public let buffers: [UnsafeMutableRawBufferPointer]

    public init(count: Int, byteCount: Int) {
        buffers = (0 ..< count).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: max(byteCount, 1), alignment: 64) }
    }

    public subscript(index: Int) -> UnsafeMutableRawBufferPointer { buffers[index % buffers.count] }

    public func deallocate() { buffers.forEach { $0.deallocate() } }
}
