import Synchronization

/// Counts streams of work in flight (SHA-256 streams, say): the most at once and how many
/// ran. A test passes one to see that files were hashed concurrently without timing
/// anything; `onEnter` (given the count in flight, this one included) lets it hold a
/// stream until another has started.
public final class StreamGauge: Sendable {
    private struct Counts { var current = 0; var peak = 0; var total = 0 }
    private let counts = Mutex(Counts())
    private let onEnter: (@Sendable (_ inFlight: Int) -> Void)?

    public init(onEnter: (@Sendable (_ inFlight: Int) -> Void)? = nil) { self.onEnter = onEnter }

    /// The most streams that were in flight at once.
    public var peak: Int { counts.withLock { $0.peak } }
    /// Streams started so far.
    public var total: Int { counts.withLock { $0.total } }

    /// Runs `body` as one stream.
    public func measure<T>(_ body: () throws -> T) rethrows -> T {
        let inFlight = counts.withLock { counts in
            counts.current += 1
            counts.total += 1
            counts.peak = max(counts.peak, counts.current)
            return counts.current
        }
        defer { counts.withLock { $0.current -= 1 } }
        onEnter?(inFlight)
        return try body()
    }
}

/// Blocking work over a few items, at most `limit` at once, each on a thread of its own
/// (`JoinedThread`, joined before this returns): hashing several new files together.
public enum BoundedConcurrency {
    /// `body(index, item)` for every item; results in the items' order. The first error
    /// (in the items' order) is rethrown once every thread has finished.
    public static func map<Item: Sendable, Value: Sendable>(
        _ items: [Item], limit: Int, _ body: @escaping @Sendable (Int, Item) throws -> Value
    ) throws -> [Value] {
        let width = min(max(1, limit), items.count)
        guard width > 1 else { return try items.enumerated().map { try body($0.offset, $0.element) } }
        let shared = Shared<Value>(count: items.count)
        let work: @Sendable () -> Void = {
            while true {
                let index = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < items.count else { return }
                let outcome = Result { try body(index, items[index]) }
                shared.results.withLock { $0[index] = outcome }
            }
        }
        let threads = (0 ..< width).compactMap { _ in JoinedThread(work) }
        if threads.isEmpty { work() }  // no thread to be had: the work runs here
        threads.forEach { $0.join() }
        return try shared.results.withLock { $0 }.map { outcome in
            guard let outcome else { preconditionFailure("BoundedConcurrency: an item was not processed") }
            return try outcome.get()
        }
    }
}

/// The threads' shared state: the next item to take and the results so far.
private final class Shared<Value: Sendable>: Sendable {
    let next = Atomic<Int>(0)
    let results: Mutex<[Result<Value, any Error>?]>

    init(count: Int) { results = Mutex(Array(repeating: nil, count: count)) }
}
