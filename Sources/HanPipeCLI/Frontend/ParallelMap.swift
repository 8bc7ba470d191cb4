import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The machine's online cores: the default number of workers.
enum System {
    static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Runs `body` over `0..<count` on `workers` threads; each index runs once. Results are placed by index,
/// so the order of the output never depends on the number of threads.
func parallelMap<T>(_ count: Int, workers: Int, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    if workers <= 1 || count <= 1 {
        for i in 0..<count { results[i] = body(i) }
        return results.map { $0! }
    }
    let counter = WorkCounter()
    // `body` runs on the workers, all joined before concurrentPerform returns: it never outlives this call.
    withoutActuallyEscaping(body) { body in
        let work = UncheckedSendable(body)
        results.withUnsafeMutableBufferPointer { slots in
            let base = UnsafeSendableBuffer(slots)
            DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in
                while true {
                    let i = counter.take()
                    if i >= count { return }
                    base.buffer[i] = work.value(i)
                }
            }
        }
    }
    return results.map { $0! }
}

/// The next index for `parallelMap`'s workers.
final class WorkCounter: @unchecked Sendable {
    private let lock = NSLockLite()
    private var next = 0
    func take() -> Int { lock.locked { defer { next += 1 }; return next } }
}

/// A value handed to the workers of `parallelMap`, which are joined before it returns.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

struct UnsafeSendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

/// A pthread mutex, to avoid loading Foundation for one lock.
final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
