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
public enum UTF8Codec {
    /// Appends the UTF-8 encoding of `scalars` to `out`.
    @inlinable public static func encode(_ scalars: ArraySlice<UInt32>, into out: inout [UInt8]) {
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
    }

    /// Decodes strict UTF-8 (no overlongs, no surrogates) and appends the scalars to `out`. Returns nil on
    /// success, or the byte offset of the first invalid sequence. With `partialAtEnd`, an incomplete
    /// sequence at the very end is not an error: its offset is returned through `incompleteTail`.
    @inlinable public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt32],
                                         incompleteTail: UnsafeMutablePointer<Int>? = nil) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = UInt32(bytes[i])
            if b0 < 0x80 {
                out.append(b0); i += 1; continue
            }
            var need = 0
            var c: UInt32 = 0
            var minimum: UInt32 = 0
            if b0 & 0xE0 == 0xC0 { need = 1; c = b0 & 0x1F; minimum = 0x80 }
            else if b0 & 0xF0 == 0xE0 { need = 2; c = b0 & 0x0F; minimum = 0x800 }
            else if b0 & 0xF8 == 0xF0 { need = 3; c = b0 & 0x07; minimum = 0x10000 }
            else { return i }
            if i + need >= n {
                // Not enough bytes left: check that what is there is a valid prefix.
                var j = i + 1
                while j < n { if bytes[j] & 0xC0 != 0x80 { return i }; j += 1 }
                if let tail = incompleteTail { tail.pointee = i; return nil }
                return i
            }
            for k in 1...need {
                let b = UInt32(bytes[i + k])
                if b & 0xC0 != 0x80 { return i }
                c = (c << 6) | (b & 0x3F)
            }
            if c < minimum || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) { return i }
            out.append(c)
            i += need + 1
        }
        if let tail = incompleteTail { tail.pointee = n }
        return nil
    }
}

public enum UTF16Codec {
    /// Appends the UTF-16 encoding of `scalars` to `out`.
    @inlinable public static func encode(_ scalars: ArraySlice<UInt32>, into out: inout [UInt16]) {
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
    @inlinable public static func decode(_ units: UnsafeBufferPointer<UInt16>, into out: inout [UInt32]) {
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
