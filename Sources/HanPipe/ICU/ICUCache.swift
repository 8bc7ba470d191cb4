import Synchronization

/// A pool of ICU service instances: one is taken out for the duration of a call, so no instance is ever
/// used by two threads at once, and each is opened once (opening a transliterator costs milliseconds).
final class ICUPool<Service>: Sendable {
    private let free = Mutex<[UnsafeSendable<Service>]>([])
    private let make: @Sendable () throws -> Service

    init(_ make: @escaping @Sendable () throws -> Service) { self.make = make }

    func with<R>(_ body: (Service) throws -> R) throws -> R {
        let service = try free.withLock { $0.popLast()?.value } ?? make()
        defer { free.withLock { $0.append(UnsafeSendable(value: service)) } }
        return try body(service)
    }
}

/// A box for ICU wrappers moved between threads by the pool; only one thread uses each at a time.
struct UnsafeSendable<T>: @unchecked Sendable { let value: T }

/// The process-wide pools.
enum ICUCache {
    static let hantToHans = ICUPool { try Transliterator(id: "Hant-Hans") }
    static let hansToHant = ICUPool { try Transliterator(id: "Hans-Hant") }
    static let sentences = ICUPool { try BreakIterator(.sentence, locale: "zh") }
    static let words = ICUPool { try BreakIterator(.word, locale: "zh") }
}
