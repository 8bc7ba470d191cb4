import CICU

/// Small Swift wrappers over the CICU shim, one per ICU service. None of them is `Sendable`: an instance
/// is used by one thread at a time. `ICUCache` hands out one instance per thread.
public enum ICU {
    /// The version of the ICU library hanpipe runs on, e.g. "72.1". Output depends on ICU's data.
    public static var version: String {
        var buf = [CChar](repeating: 0, count: 32)
        cicu_version(&buf, 32)
        return String(cString: buf)
    }

    static func check(_ status: Int32, _ what: String) throws {
        if cicu_failure(status) != 0 {
            throw HanPipeError.icu("\(what): \(String(cString: cicu_error_name(status)))")
        }
    }
}

/// An ICU transliterator such as `Hant-Hans`.
final class Transliterator {
    private let handle: OpaquePointer
    private var buffer: [UInt16] = []

    init(id: String) throws {
        let units = Array(id.utf16)
        var status: Int32 = 0
        let h = cicu_translit_open(units, Int32(units.count), &status)
        try ICU.check(status, "opening transliterator \(id)")
        guard let h else { throw HanPipeError.icu("opening transliterator \(id)") }
        handle = h
    }

    private init(handle: OpaquePointer) { self.handle = handle }

    func clone() throws -> Transliterator {
        var status: Int32 = 0
        let h = cicu_translit_clone(handle, &status)
        try ICU.check(status, "cloning transliterator")
        return Transliterator(handle: h!)
    }

    deinit { cicu_translit_close(handle) }

    /// Transliterates UTF-16 text; returns the result.
    func apply(_ input: ArraySlice<UInt16>) throws -> ArraySlice<UInt16> {
        var capacity = input.count * 2 + 16
        while true {
            if buffer.count < capacity { buffer = [UInt16](repeating: 0, count: capacity) }
            buffer.replaceSubrange(0..<input.count, with: input)
            var status: Int32 = 0
            let n = buffer.withUnsafeMutableBufferPointer {
                cicu_translit_apply(handle, $0.baseAddress, Int32(input.count), Int32(capacity), &status)
            }
            if status == 15 /* U_BUFFER_OVERFLOW_ERROR */ { capacity = max(capacity * 2, Int(n) + 16); continue }
            try ICU.check(status, "transliterating")
            return buffer[0..<Int(n)]
        }
    }

    /// The transliterator's rule source.
    func rules() throws -> String {
        var status: Int32 = 0
        let n = cicu_translit_rules(handle, nil, 0, &status)
        var out = [UInt16](repeating: 0, count: Int(n) + 1)
        status = 0
        _ = cicu_translit_rules(handle, &out, Int32(out.count), &status)
        try ICU.check(status, "reading transliterator rules")
        return String(decoding: out[0..<Int(n)], as: UTF16.self)
    }
}

/// An ICU break iterator (sentence or word).
final class BreakIterator {
    enum Kind: Int32 { case word = 1, sentence = 3 }
    private let handle: OpaquePointer
    private var boundaries: [Int32] = []
    private var statuses: [Int32] = []

    init(_ kind: Kind, locale: String = "zh") throws {
        var status: Int32 = 0
        let h = cicu_breaker_open(kind.rawValue, locale, &status)
        try ICU.check(status, "opening break iterator")
        handle = h!
    }

    deinit { cicu_breaker_close(handle) }

    /// Every boundary after 0 in UTF-16 units, with its rule status.
    func boundaries(of text: [UInt16]) throws -> (boundaries: ArraySlice<Int32>, statuses: ArraySlice<Int32>) {
        var capacity = max(16, text.count / 2 + 2)
        while true {
            if boundaries.count < capacity {
                boundaries = [Int32](repeating: 0, count: capacity)
                statuses = [Int32](repeating: 0, count: capacity)
            }
            var status: Int32 = 0
            let n = Int(cicu_breaker_boundaries(handle, text, Int32(text.count), &boundaries, &statuses,
                                                Int32(capacity), &status))
            try ICU.check(status, "breaking text")
            if n > capacity { capacity = n; continue }
            return (boundaries[0..<n], statuses[0..<n])
        }
    }
}

/// ICU's NFC normalizer.
enum NFC {
    /// The longest normalization segment sent to ICU: a starter and 31 non-starters (UAX #15's
    /// stream-safe text format allows 30 non-starters in a row).
    static let streamSafeLimit = 32

    static func isNormalized(_ text: [UInt16]) -> Bool {
        var status: Int32 = 0
        return cicu_nfc_is_normalized(text, Int32(text.count), &status) != 0
    }

    static func normalize(_ text: [UInt16]) -> [UInt16] {
        var status: Int32 = 0
        var out = [UInt16](repeating: 0, count: text.count * 3 + 8)
        let n = cicu_nfc_normalize(text, Int32(text.count), &out, Int32(out.count), &status)
        if cicu_failure(status) != 0 { return text }
        return Array(out[0..<Int(n)])
    }

    static func hasBoundaryBefore(_ c: UInt32) -> Bool { cicu_nfc_has_boundary_before(c) != 0 }
}

/// ICU's charset detector and converters.
enum Charset {
    /// The best guess of ICU's detector, with its confidence (0...100).
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> (name: String, confidence: Int)? {
        var name = [CChar](repeating: 0, count: 64)
        var status: Int32 = 0
        let confidence = bytes.withMemoryRebound(to: CChar.self) {
            cicu_detect_charset($0.baseAddress, Int32(min($0.count, Int(Int32.max))), &name, 64, &status)
        }
        if cicu_failure(status) != 0 || confidence < 0 { return nil }
        return (String(cString: name), Int(confidence))
    }
}

/// An ICU converter from a legacy charset to Unicode that stops at the first bad byte sequence.
final class CharsetConverter {
    private let handle: OpaquePointer
    let name: String

    init(name: String) throws {
        var status: Int32 = 0
        let h = cicu_converter_open(name, &status)
        try ICU.check(status, "opening converter \(name)")
        handle = h!
        self.name = name
    }

    deinit { cicu_converter_close(handle) }

    /// Converts a chunk to UTF-16. Throws `.badBytes` with the offset within the chunk.
    func toUTF16(_ bytes: UnsafeBufferPointer<UInt8>, flush: Bool, into out: inout [UInt16]) throws {
        let capacity = bytes.count + 16
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: capacity))
        var errorOffset: Int32 = 0
        var status: Int32 = 0
        let n = bytes.withMemoryRebound(to: CChar.self) { b in
            out.withUnsafeMutableBufferPointer { o in
                cicu_converter_to_utf16(handle, b.baseAddress, Int32(b.count), flush ? 1 : 0,
                                        o.baseAddress! + start, Int32(capacity), &errorOffset, &status)
            }
        }
        out.removeLast(capacity - Int(n))
        if cicu_failure(status) != 0 {
            throw HanPipeError.badBytes(offset: Int(errorOffset), encoding: name)
        }
    }
}
