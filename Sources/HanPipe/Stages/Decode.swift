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
/// the byte offset. A NUL byte outside UTF-16 marks a binary file, also an input error.
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
    ///
    /// A whole input is a stream of one chunk: this is `StreamDecoder`, fed once, so every check (line
    /// length, NUL, invalid bytes, charset detection) and every message is the streaming path's.
    public static func document(id: String, bytes: [UInt8], encoding: Encoding = .auto,
                                maxLineBytes: Int = LineLimit.defaultBytes) throws -> Document {
        let scalars = try decode(bytes, encoding: encoding, maxLineBytes: maxLineBytes)
        var document = Document(id: id, source: scalars)
        fixLineEndings(&document)
        return document
    }

    /// Bytes to code points, per the encoding policy above (through `StreamDecoder`, as one chunk).
    public static func decode(_ bytes: [UInt8], encoding: Encoding, maxLineBytes: Int = LineLimit.defaultBytes) throws -> Scalars {
        var decoder = StreamDecoder(encoding: encoding, maxLineBytes: maxLineBytes)
        decoder.chunkSize = .max
        var out: Scalars = []
        for chunk in try decoder.feed(bytes) + decoder.finish() { out.append(contentsOf: chunk.source) }
        return out
    }

    /// Charsets that `--encoding auto` accepts from ICU's detector, by ICU's name for them.
    static let supported: [String: String] = [
        "GB18030": "GB18030", "BIG5": "Big5", "UTF-16LE": "UTF-16LE", "UTF-16BE": "UTF-16BE",
    ]

    /// The charset of bytes that are not UTF-8, with the decoded text: ICU's detector's guess when the
    /// bytes convert cleanly into plausible Chinese text, else the first of GB18030, Big5, UTF-16LE,
    /// UTF-16BE that does (the detector is unreliable on very short inputs).
    static func guess(_ buffer: UnsafeBufferPointer<UInt8>, prefixOnly: Bool = false) -> (String, Scalars)? {
        if mostlyUTF8(buffer) { return nil }
        var candidates: [String] = []
        if let detected = Charset.detect(buffer), let name = supported[detected.name.uppercased()] { candidates.append(name) }
        for name in ["GB18030", "Big5", "UTF-16LE", "UTF-16BE"] where !candidates.contains(name) { candidates.append(name) }
        for name in candidates {
            let scalars = prefixOnly ? try? legacyPrefix(buffer, charset: name) : try? legacy(buffer, charset: name)
            if let scalars, plausible(scalars[...]) { return (name, scalars) }
        }
        return nil
    }

    /// Whether the bytes hold more well-formed multi-byte UTF-8 sequences than invalid bytes: UTF-8 with
    /// some damage, or UTF-8 mixed with another encoding. Such input is an error, never re-decoded as a
    /// legacy charset (that would turn its UTF-8 part into mojibake).
    static func mostlyUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var valid = 0, invalid = 0, i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let need = c & 0xE0 == 0xC0 ? 1 : c & 0xF0 == 0xE0 ? 2 : c & 0xF8 == 0xF0 ? 3 : 0
            if need > 0 && i + need < b.count && (1...need).allSatisfy({ b[i + $0] & 0xC0 == 0x80 }) {
                valid += 1; i += need + 1
            } else {
                invalid += 1; i += 1
            }
        }
        return valid > invalid
    }

    /// Whether text decoded from a guessed charset looks like Chinese text: no NUL, and at least 90% of
    /// the characters are ASCII, Han, CJK or full-width punctuation, or whitespace. Binary junk and
    /// wrong guesses (Hangul or private-use garbage) fail this.
    static func plausible(_ s: ArraySlice<UInt32>) -> Bool {
        guard !s.isEmpty else { return true }
        var expected = 0
        for c in s {
            if c == 0 { return false }
            if (c >= 0x20 && c < 0x7F) || c == 0x09 || c == 0x0A || c == 0x0D || isHan(c)
                || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x2010 && c <= 0x206F)
                || c == 0xFEFF || (c >= 0xA0 && c <= 0xFF) || (c >= 0x3100 && c <= 0x312F) {
                expected += 1
            }
        }
        return expected * 10 >= s.count * 9
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
        return out
    }

    /// Converts the start of a buffer (for probing a guessed charset on the first block of a stream): a
    /// sequence cut at the end of the block is not an error.
    static func legacyPrefix(_ buffer: UnsafeBufferPointer<UInt8>, charset: String) throws -> Scalars {
        let converter = try CharsetConverter(name: charset)
        var units: [UInt16] = []
        try converter.toUTF16(buffer, flush: false, into: &units)
        var out: Scalars = []
        units.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &out) }
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

    /// Removes a leading BOM and turns CRLF and CR into LF, recording the edits.
    static func fixLineEndings(_ document: inout Document, atStart: Bool = true) {
        let text = document.source
        let bom = atStart && text.first == 0xFEFF
        guard bom || containsScalar(text, 0x0D) else { return }
        document.rewrite(stage: StageCode.decode) { r in
            if bom { r.delete(0..<1) }
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
