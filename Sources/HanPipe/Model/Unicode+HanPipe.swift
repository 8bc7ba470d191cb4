/// Code-point helpers shared by the stages. Text is held as arrays of Unicode scalar values (`UInt32`),
/// so every offset in the document model is a code-point offset, as the annotation format requires.
public typealias Scalars = [UInt32]

@inlinable func isHan(_ c: UInt32) -> Bool {
    switch c {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x20000...0x2A6DF, 0x2A700...0x2EBEF,
         0x2F800...0x2FA1F, 0x30000...0x323AF, 0x3007:
        return true
    default:
        return false
    }
}

@inlinable func isASCIIDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
@inlinable func isASCIILower(_ c: UInt32) -> Bool { c >= 0x61 && c <= 0x7A }
@inlinable func isASCIIUpper(_ c: UInt32) -> Bool { c >= 0x41 && c <= 0x5A }
@inlinable func isOpenParen(_ c: UInt32) -> Bool { c == 0x28 || c == 0xFF08 }
@inlinable func isCloseParen(_ c: UInt32) -> Bool { c == 0x29 || c == 0xFF09 }
@inlinable func isLineSpace(_ c: UInt32) -> Bool { c == 0x20 || c == 0x09 || c == 0x3000 }
@inlinable func isWhitespace(_ c: UInt32) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x3000 || c == 0xA0 || (c >= 0x2000 && c <= 0x200A)
}

/// Whether `text` holds `value` (below U+10000). Written by hand because it is a pass over every
/// input (decode's test for CR): two characters to a 64-bit word, four to an iteration, where the
/// standard library's `contains` tests one at a time.
func containsScalar(_ text: Scalars, _ value: UInt32) -> Bool {
    precondition(value < 0x10000)
    return text.withUnsafeBufferPointer { t in
        guard let p = t.baseAddress else { return false }
        let n = t.count
        let raw = UnsafeRawPointer(p)
        let pattern = UInt64(value) | UInt64(value) << 32
        var i = 0
        while i + 4 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt64.self) ^ pattern
            let y = raw.loadUnaligned(fromByteOffset: i * 4 + 8, as: UInt64.self) ^ pattern
            // A 32-bit lane of x or y is zero exactly where a character equals `value`.
            let zero = ((x &- 0x0000_0001_0000_0001) & ~x) | ((y &- 0x0000_0001_0000_0001) & ~y)
            if zero & 0x8000_0000_8000_0000 != 0 { break }
            i += 4
        }
        while i < n {
            if p[i] == value { return true }
            i += 1
        }
        return false
    }
}

extension Array where Element == UInt32 {
    /// Scalars of a Swift string.
    public init(scalarsOf string: String) { self = string.unicodeScalars.map { $0.value } }

    /// The scalars as a Swift string.
    public var string: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 3)
        UTF8Codec.encode(self[...], into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ArraySlice where Element == UInt32 {
    var string: String { Array(self).string }
}

/// Fast UTF-8 and UTF-16 transcoding over scalar arrays, written by hand because the standard library's
/// `String(decoding:as:)` path measured at 94 MB/s here, far below the rest of the pipeline.
enum UTF8Codec {
    /// Appends the UTF-8 encoding of `scalars` to `out`.
    static func encode(_ scalars: ArraySlice<UInt32>, into out: inout [UInt8]) {
        // Short runs (JSON strings) are appended directly. Longer ones are written through a pointer
        // into uninitialized storage sized for the worst case (4 bytes per scalar; untouched capacity
        // costs no memory): one append per byte costs a capacity and uniqueness check each, which
        // dominated writing long texts.
        if scalars.count <= 32 {
            for c in scalars {
                if c < 0x80 {
                    out.append(UInt8(c))
                } else if c < 0x800 {
                    out.append(UInt8(0xC0 | (c >> 6)))
                    out.append(UInt8(0x80 | (c & 0x3F)))
                } else if c < 0x10000 {
                    out.append(UInt8(0xE0 | (c >> 12)))
                    out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
                    out.append(UInt8(0x80 | (c & 0x3F)))
                } else {
                    out.append(UInt8(0xF0 | (c >> 18)))
                    out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
                    out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
                    out.append(UInt8(0x80 | (c & 0x3F)))
                }
            }
            return
        }
        let length = scalars.count * 4
        let encoded = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            let p = buffer.baseAddress!
            var k = 0
            scalars.withUnsafeBufferPointer { source in
                for c in source {
                    if c < 0x80 {
                        p[k] = UInt8(truncatingIfNeeded: c); k &+= 1
                    } else if c < 0x800 {
                        p[k] = UInt8(truncatingIfNeeded: 0xC0 | (c >> 6))
                        p[k &+ 1] = UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F))
                        k &+= 2
                    } else if c < 0x10000 {
                        // The three bytes in one four-byte store (the fourth is overwritten by the
                        // next character or lies past the end; the buffer has four bytes per scalar).
                        let v = (0xE0 | (c >> 12)) | (0x80 | ((c >> 6) & 0x3F)) << 8 | (0x80 | (c & 0x3F)) << 16
                        UnsafeMutableRawPointer(p + k).storeBytes(of: v.littleEndian, as: UInt32.self)
                        k &+= 3
                    } else {
                        p[k] = UInt8(truncatingIfNeeded: 0xF0 | (c >> 18))
                        p[k &+ 1] = UInt8(truncatingIfNeeded: 0x80 | ((c >> 12) & 0x3F))
                        p[k &+ 2] = UInt8(truncatingIfNeeded: 0x80 | ((c >> 6) & 0x3F))
                        p[k &+ 3] = UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F))
                        k &+= 4
                    }
                }
            }
            initialized = k
        }
        if out.isEmpty { out = encoded } else { out.append(contentsOf: encoded) }
    }

    /// Decodes strict UTF-8 (no overlongs, no surrogates) and appends the scalars to `out`. Returns nil on
    /// success, or the byte offset of the first invalid sequence. With `partialAtEnd`, an incomplete
    /// sequence at the very end is not an error: its offset is returned through `incompleteTail`.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt32],
                                         incompleteTail: UnsafeMutablePointer<Int>? = nil) -> Int? {
        let n = bytes.count
        guard n > 0, let source = bytes.baseAddress else {
            if let tail = incompleteTail { tail.pointee = n }
            return nil
        }
        // Write through a pointer into uninitialized storage sized for the worst case (one scalar per
        // byte; untouched capacity costs no memory): one append per scalar costs a capacity and
        // uniqueness check each.
        var result: Int? = nil
        // When what is decoded outweighs what `out` holds (a stream's next block after a short tail),
        // `out`'s scalars are copied in front rather than the decoded ones appended behind them.
        let prefix = out.count <= n ? out.count : 0
        let decoded = [UInt32](unsafeUninitializedCapacity: prefix + n) { buffer, initialized in
            let dst = buffer.baseAddress!
            if prefix > 0 { out.withUnsafeBufferPointer { dst.initialize(from: $0.baseAddress!, count: prefix) } }
            var written = prefix
            defer { initialized = written }
            var i = 0
            while i < n {
                (i, written) = decodeCommon(source, n, from: i, into: dst, at: written)
                guard i < n else { break }
                let b0 = UInt32(source[i])
                if b0 < 0x80 {
                    dst[written] = b0; written &+= 1; i &+= 1; continue
                }
                // Fast path for the common three-byte form (all of CJK); anything unusual goes on to
                // the general checks below, which find the same error at the same offset.
                if b0 & 0xF0 == 0xE0 && i &+ 2 < n {
                    let b1 = UInt32(source[i &+ 1]), b2 = UInt32(source[i &+ 2])
                    if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 {
                        let c = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F)
                        if c >= 0x800 && (c < 0xD800 || c > 0xDFFF) {
                            dst[written] = c; written &+= 1; i &+= 3; continue
                        }
                    }
                }
                var need = 0
                var c: UInt32 = 0
                var minimum: UInt32 = 0
                if b0 & 0xE0 == 0xC0 { need = 1; c = b0 & 0x1F; minimum = 0x80 }
                else if b0 & 0xF0 == 0xE0 { need = 2; c = b0 & 0x0F; minimum = 0x800 }
                else if b0 & 0xF8 == 0xF0 { need = 3; c = b0 & 0x07; minimum = 0x10000 }
                else { result = i; return }
                if i + need >= n {
                    // Not enough bytes left: check that what is there is a valid prefix.
                    var j = i + 1
                    while j < n { if source[j] & 0xC0 != 0x80 { result = i; return }; j += 1 }
                    if let tail = incompleteTail { tail.pointee = i; return }
                    result = i
                    return
                }
                for k in 1...need {
                    let b = UInt32(source[i + k])
                    if b & 0xC0 != 0x80 { result = i; return }
                    c = (c << 6) | (b & 0x3F)
                }
                if c < minimum || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) { result = i; return }
                dst[written] = c
                written &+= 1
                i += need + 1
            }
            if let tail = incompleteTail { tail.pointee = n }
        }
        if out.isEmpty || prefix > 0 { out = decoded } else { out.append(contentsOf: decoded) }
        return result
    }

    /// Decodes the common forms, ASCII and the three-byte form (all of CJK), from `i` on, and stops at
    /// anything else (or three bytes before the end), which `decode` then takes one sequence at a time
    /// with every check. A loop of its own, testing the three bytes' shape with one mask on a four-byte
    /// load, so its state stays in registers: this is a whole pass over every input.
    @inline(__always)
    private static func decodeCommon(_ source: UnsafePointer<UInt8>, _ n: Int, from start: Int,
                                     into dst: UnsafeMutablePointer<UInt32>, at written: Int) -> (Int, Int) {
        var i = start, w = written
        let raw = UnsafeRawPointer(source)
        while i &+ 4 <= n {
            let x = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            if x & 0x80 == 0 {
                dst[w] = x & 0x7F; w &+= 1; i &+= 1
                continue
            }
            guard x & 0x00C0_C0F0 == 0x0080_80E0 else { break }
            let c = (x & 0x0F) << 12 | (x & 0x3F00) >> 2 | (x & 0x3F_0000) >> 16
            guard c >= 0x800 && (c < 0xD800 || c > 0xDFFF) else { break }
            dst[w] = c; w &+= 1; i &+= 3
        }
        return (i, w)
    }
}

enum UTF16Codec {
    /// Appends the UTF-16 encoding of `scalars` to `out`.
    static func encode(_ scalars: ArraySlice<UInt32>, into out: inout [UInt16]) {
        for c in scalars {
            if c < 0x10000 {
                out.append(UInt16(c))
            } else {
                let v = c - 0x10000
                out.append(UInt16(0xD800 | (v >> 10)))
                out.append(UInt16(0xDC00 | (v & 0x3FF)))
            }
        }
    }

    /// Decodes UTF-16 (unpaired surrogates become U+FFFD) and appends the scalars to `out`.
    static func decode(_ units: UnsafeBufferPointer<UInt16>, into out: inout [UInt32]) {
        var i = 0
        let n = units.count
        while i < n {
            let u = UInt32(units[i])
            if u >= 0xD800 && u <= 0xDBFF && i + 1 < n, units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF {
                out.append(0x10000 + ((u - 0xD800) << 10) + (UInt32(units[i + 1]) - 0xDC00))
                i += 2
            } else if u >= 0xD800 && u <= 0xDFFF {
                out.append(0xFFFD); i += 1
            } else {
                out.append(u); i += 1
            }
        }
    }
}
