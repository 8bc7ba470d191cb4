#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// decode: bytes to a `Document` (the pipeline's tokenizer: it makes the document, so it is not in the
/// stage list, but its fixes go into the edit log like any stage's).
///
/// Rule: strip a byte order mark; CRLF and lone CR become LF. Invalid UTF-8 is never silently replaced:
/// with `.auto` the bytes go to ICU's charset detector, and GB18030, Big5 or UTF-16 input is converted
/// with ICU's converters, stopping at the first illegal sequence; anything else is an input error naming
/// the byte offset. A file that is valid UTF-8 with many non-ASCII characters up to some byte and then
/// not (UTF-8 and another encoding mixed) is an input error at that byte, never half mojibake. A NUL
/// byte outside UTF-16 marks a binary file, also an input error.
///
/// Worst case: linear in the input (one pass to validate, one to convert, one for line endings).
public enum Decode {
    /// The input encoding (`--encoding`).
    public enum Encoding: String, Sendable, CaseIterable {
        case auto
        case utf8 = "utf-8"
        case gb18030
        case big5
        case utf16 = "utf-16"
    }

    /// Decodes a whole input into a document and applies the decode fixes (BOM, line endings).
    public static func document(id: String, bytes: [UInt8], encoding: Encoding = .auto,
                                maxLineBytes: Int = 256 << 20) throws -> Document {
        let scalars = try decode(bytes, encoding: encoding, maxLineBytes: maxLineBytes)
        var document = Document(id: id, source: scalars)
        fixLineEndings(&document)
        return document
    }

    /// Bytes to code points, per the encoding policy above.
    public static func decode(_ bytes: [UInt8], encoding: Encoding, maxLineBytes: Int = 256 << 20) throws -> Scalars {
        try bytes.withUnsafeBufferPointer { buffer in
            switch encoding {
            case .utf8:
                try checkLines(buffer, limit: maxLineBytes)
                return try utf8(buffer)
            case .gb18030:
                try checkLines(buffer, limit: maxLineBytes)
                return try legacy(buffer, charset: "GB18030")
            case .big5:
                try checkLines(buffer, limit: maxLineBytes)
                return try legacy(buffer, charset: "Big5")
            case .utf16:
                return try checkScalarLines(legacy(buffer, charset: utf16Charset(buffer)), limit: maxLineBytes)
            case .auto:
                if let charset = utf16BOM(buffer) {
                    return try checkScalarLines(legacy(buffer, charset: charset), limit: maxLineBytes)
                }
                // Lines are checked before decoding, so that an overlong line is refused before its
                // code points take memory (four bytes each). Counting bytes between 0x0A bytes never
                // finds a line longer than the UTF-16 check below would.
                try checkLines(buffer, limit: maxLineBytes)
                do {
                    return try utf8(buffer)
                } catch HanPipeError.badBytes(let offset, _) {
                    // Valid UTF-8 holding many non-ASCII characters before the first bad byte: the file
                    // mixes encodings, and no single charset would decode all of it faithfully.
                    guard !isMixed(buffer, validUpTo: offset), let detected = Charset.detect(buffer),
                          let charset = supported[detected.name.uppercased()] else {
                        throw HanPipeError.badBytes(offset: offset, encoding: "UTF-8")
                    }
                    if charset.hasPrefix("UTF-16") {
                        return try checkScalarLines(legacy(buffer, charset: charset), limit: maxLineBytes)
                    }
                    return try legacy(buffer, charset: charset)
                }
            }
        }
    }

    /// The number of non-ASCII UTF-8 characters before the first invalid byte from which a file is taken
    /// to mix UTF-8 with another encoding. Legacy Chinese text (GB18030, Big5) is almost never valid
    /// UTF-8 for even two or three characters in a row.
    static let mixedThreshold = 8

    /// Whether the valid UTF-8 before `validUpTo` holds at least `mixedThreshold` multi-byte characters.
    static func isMixed(_ b: UnsafeBufferPointer<UInt8>, validUpTo end: Int) -> Bool {
        var leads = 0
        for i in 0..<min(end, b.count) where b[i] >= 0xC2 {
            leads += 1
            if leads >= mixedThreshold { return true }
        }
        return false
    }

    /// Charsets that `--encoding auto` accepts from ICU's detector, by ICU's name for them.
    static let supported: [String: String] = [
        "GB18030": "GB18030", "BIG5": "Big5", "UTF-16LE": "UTF-16LE", "UTF-16BE": "UTF-16BE",
    ]

    /// Strict UTF-8; a NUL byte is reported as binary data.
    static func utf8(_ buffer: UnsafeBufferPointer<UInt8>) throws -> Scalars {
        var out: Scalars = []
        out.reserveCapacity(buffer.count)
        if let bad = UTF8Codec.decode(buffer, into: &out) {
            throw HanPipeError.badBytes(offset: bad, encoding: "UTF-8")
        }
        if let nul = buffer.firstIndex(of: 0) {
            throw HanPipeError.input("binary data (NUL byte) at byte offset \(nul)")
        }
        return out
    }

    /// Converts with an ICU converter that stops at the first illegal sequence.
    static func legacy(_ buffer: UnsafeBufferPointer<UInt8>, charset: String) throws -> Scalars {
        let converter = try CharsetConverter(name: charset)
        var units: [UInt16] = []
        units.reserveCapacity(buffer.count)
        try converter.toUTF16(buffer, flush: true, into: &units)
        var out: Scalars = []
        out.reserveCapacity(units.count)
        units.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &out) }
        if !charset.hasPrefix("UTF-16"), let nul = out.firstIndex(of: 0) {
            throw HanPipeError.input("binary data (NUL) at character \(nul)")
        }
        return out
    }

    static func utf16BOM(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        guard b.count >= 2 else { return nil }
        if b[0] == 0xFF && b[1] == 0xFE { return "UTF-16LE" }
        if b[0] == 0xFE && b[1] == 0xFF { return "UTF-16BE" }
        return nil
    }

    /// The UTF-16 byte order: from the BOM, or else the side on which ASCII's zero bytes fall.
    static func utf16Charset(_ b: UnsafeBufferPointer<UInt8>) -> String {
        if let bom = utf16BOM(b) { return bom }
        var evenZeros = 0, oddZeros = 0
        for i in 0..<min(b.count, 4096) where b[i] == 0 { if i % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 } }
        return evenZeros > oddZeros ? "UTF-16BE" : "UTF-16LE"
    }

    /// Refuses a line longer than `limit` bytes.
    static func checkLines(_ b: UnsafeBufferPointer<UInt8>, limit: Int) throws {
        guard b.count > limit else { return }
        guard let base = b.baseAddress else { return }
        var start = 0
        while start < b.count {
            // memchr: the C library's vectorized search, fast in debug builds too (this runs over
            // every byte of every input larger than the limit).
            let end: Int
            if let found = memchr(base + start, 0x0A, b.count - start) {
                end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            } else {
                end = b.count
            }
            if end - start > limit { throw HanPipeError.lineTooLong(offset: start, limit: limit) }
            start = end + 1
        }
    }

    /// The same check for UTF-16 input, counting two bytes per unit.
    static func checkScalarLines(_ s: Scalars, limit: Int) throws -> Scalars {
        guard s.count * 2 > limit else { return s }
        var start = 0
        while start < s.count {
            let end = s[start...].firstIndex(of: 0x0A) ?? s.count
            if (end - start) * 2 > limit { throw HanPipeError.lineTooLong(offset: start * 2, limit: limit) }
            start = end + 1
        }
        return s
    }

    /// Removes a leading BOM and turns CRLF and CR into LF, recording the edits.
    static func fixLineEndings(_ document: inout Document) {
        let text = document.source
        guard text.first == 0xFEFF || text.contains(0x0D) else { return }
        document.rewrite(stage: StageCode.decode) { r in
            if text.first == 0xFEFF { r.delete(0..<1) }
            var i = 0
            while i < text.count {
                if text[i] == 0x0D {
                    if i + 1 < text.count && text[i + 1] == 0x0A { r.delete(i..<i + 1) } else { r.replace(i..<i + 1, with: [0x0A]) }
                }
                i += 1
            }
        }
    }
}
