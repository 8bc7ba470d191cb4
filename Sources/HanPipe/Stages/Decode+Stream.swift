#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one decoder: bytes arrive in blocks and come out as chunks of decoded source cut at points where
/// no stage looks across, so each chunk can be processed as its own document and memory stays bounded
/// whatever the input's size or line length. A whole input (`Decode.document`) is a stream of one chunk.
///
/// The decoding policy is `Decode`'s: strict UTF-8, or with `.auto` a charset detected on the first
/// 64 KiB (always the first 64 KiB, however the input is read, so every command detects the same
/// charset). Checks, in order, on each block: line length (in input bytes, before decoding, so an
/// overlong line never takes memory as code points), NUL bytes (binary data), invalid bytes. Every error
/// names an absolute byte offset.
///
/// Cut points: after a line break; in a line longer than `chunkSize`, after a sentence terminator followed
/// by Han, an ASCII letter or a digit (never before a closing quote or bracket of its sentence); in a
/// line longer than `4 × chunkSize` with no usable terminator, at a *safe point* (`safeBreak`): after a
/// comma-like mark or between two plain characters, at least `bracketMargin` characters away from any
/// bracket (so never inside a gloss or a bracket) and never next to a digit or numeral (so never inside a
/// number). A line whose every position is unsafe (say, 100 MB of digits) is kept whole.
///
/// Worst case: linear. Each byte is decoded and line-counted once, and the search for a cut point
/// resumes where the last one failed, so a long line without terminators is not rescanned per block.
public struct StreamDecoder {
    /// A piece of the decoded source.
    public struct Chunk {
        /// The decoded source of this piece.
        public var source: Scalars
        /// Whether it starts the input (a BOM is only stripped there).
        public var isFirst: Bool
        /// Whether it ends at a line break (false when a long line was cut inside).
        public var endsLine: Bool
    }

    /// Chunks are cut once this many code points are pending.
    public var chunkSize = 1 << 18
    /// How many bytes the charset detector sees.
    static let probeSize = 1 << 16
    /// How far a safe point inside a line keeps from a bracket (longer than any gloss and its anchor).
    static let bracketMargin = 128
    let encoding: Decode.Encoding
    let lineLimit: LineLimit

    private var mode: Mode?
    private var converter: CharsetConverter?
    private var pendingBytes: [UInt8] = []   // undecoded bytes (the probe, or a UTF-8 sequence cut by a block)
    private var pending: Scalars = []
    private var fed = 0                     // bytes handed to the line and NUL checks so far
    private var decoded = 0                 // bytes decoded before `pendingBytes` (UTF-8 mode)
    private var lineStart = 0               // byte offset where the current line starts
    private var emittedFirst = false
    private var searched = 0                // `pending[..<searched]` holds no cut point

    private enum Mode { case utf8, legacy, utf16 }

    public init(encoding: Decode.Encoding, maxLineBytes: Int = LineLimit.defaultBytes) {
        self.encoding = encoding
        self.lineLimit = LineLimit(bytes: maxLineBytes)
    }

    /// Feeds a block of bytes; returns the chunks that are complete.
    public mutating func feed(_ block: [UInt8]) throws -> [Chunk] {
        if mode == nil {
            pendingBytes.append(contentsOf: block)
            // Only detection needs the probe; a named 8-bit encoding starts decoding at once.
            let named = encoding == .utf8 || encoding == .gb18030 || encoding == .big5
            guard named || pendingBytes.count >= StreamDecoder.probeSize else { return [] }
            try chooseMode()
            let bytes = pendingBytes
            pendingBytes = []
            try decode(bytes, flush: false)
        } else {
            try decode(block, flush: false)
        }
        return cut(final: false)
    }

    /// Ends the input; returns the remaining chunks.
    public mutating func finish() throws -> [Chunk] {
        if mode == nil {
            try chooseMode()
            let bytes = pendingBytes
            pendingBytes = []
            try decode(bytes, flush: true)
        } else {
            try decode([], flush: true)
        }
        return cut(final: true)
    }

    private mutating func chooseMode() throws {
        let probe = Array(pendingBytes.prefix(StreamDecoder.probeSize))
        let charset: String?
        switch encoding {
        case .utf8: charset = nil
        case .gb18030: charset = "GB18030"
        case .big5: charset = "Big5"
        case .utf16: charset = probe.withUnsafeBufferPointer { Decode.utf16Charset($0) }
        case .auto:
            charset = try probe.withUnsafeBufferPointer { buffer -> String? in
                if let bom = Decode.utf16BOM(buffer) { return bom }
                var scratch: Scalars = []
                var tail = 0
                guard let bad = UTF8Codec.decode(buffer, into: &scratch, incompleteTail: &tail) else { return nil }
                if let (name, _) = Decode.guess(buffer, prefixOnly: true) { return name }
                // No charset fits the probe. With a NUL in it, the text before the NUL decides the charset
                // (the NUL is then reported as binary data, as in every other mode); else it is binary.
                guard let nul = buffer.firstIndex(of: 0) else { throw HanPipeError.badBytes(offset: bad, encoding: "UTF-8") }
                let before = UnsafeBufferPointer(rebasing: buffer[..<nul])
                if bad < nul, let (name, _) = Decode.guess(before, prefixOnly: true) { return name }
                if bad >= nul { return nil }
                throw HanPipeError.input("binary data (NUL byte) at byte offset \(nul)")
            }
        }
        if let charset {
            converter = try CharsetConverter(name: charset)
            mode = charset.hasPrefix("UTF-16") ? .utf16 : .legacy
        } else {
            mode = .utf8
        }
    }

    /// Line-length and NUL checks on raw bytes (UTF-8, GB18030 and Big5: byte 0x0A is always LF and
    /// byte 0x00 always NUL in these).
    private mutating func checkBytes(_ block: [UInt8]) throws {
        try block.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            var i = 0
            while i < b.count {
                guard let found = memchr(base + i, 0x0A, b.count - i) else { break }
                let nl = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                try lineLimit.check(lineAt: lineStart, length: fed + nl - lineStart)
                lineStart = fed + nl + 1
                i = nl + 1
            }
            try lineLimit.check(lineAt: lineStart, length: fed + b.count - lineStart)
            if let nul = memchr(base, 0, b.count) {
                throw HanPipeError.input("binary data (NUL byte) at byte offset \(fed + (UnsafeRawPointer(nul) - UnsafeRawPointer(base)))")
            }
        }
        fed += block.count
    }

    private mutating func decode(_ block: [UInt8], flush: Bool) throws {
        switch mode! {
        case .utf8:
            try checkBytes(block)
            // (The block itself when no sequence was cut at the end of the last one: no copy.)
            let bytes = pendingBytes.isEmpty ? block : pendingBytes + block
            var tail = bytes.count
            let bad = bytes.withUnsafeBufferPointer { UTF8Codec.decode($0, into: &pending, incompleteTail: &tail) }
            if let bad { throw HanPipeError.badBytes(offset: decoded + bad, encoding: "UTF-8") }
            if flush && tail < bytes.count { throw HanPipeError.badBytes(offset: decoded + tail, encoding: "UTF-8") }
            pendingBytes = Array(bytes[tail...])
            decoded += tail
        case .legacy:
            try checkBytes(block)
            try convert(block, flush: flush)
            decoded += block.count
        case .utf16:
            // Line length counted in code units (two bytes each) after conversion: byte 0x0A is not LF here.
            let start = pending.count
            try convert(block, flush: flush)
            for c in pending[start...] {
                if c == 0x0A {
                    try lineLimit.check(lineAt: lineStart, length: fed - lineStart)
                    fed += 2
                    lineStart = fed
                } else {
                    fed += c > 0xFFFF ? 4 : 2
                }
            }
            try lineLimit.check(lineAt: lineStart, length: fed - lineStart)
            decoded += block.count
        }
    }

    private mutating func convert(_ block: [UInt8], flush: Bool) throws {
        var units: [UInt16] = []
        units.reserveCapacity(block.count)
        do {
            try block.withUnsafeBufferPointer { try converter!.toUTF16($0, flush: flush, into: &units) }
        } catch let error as HanPipeError {
            throw error.shifted(by: decoded)
        }
        units.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &pending) }
    }

    /// Cuts the pending code points into chunks at safe points.
    private mutating func cut(final: Bool) -> [Chunk] {
        var chunks: [Chunk] = []
        while pending.count >= chunkSize {
            guard let (end, endsLine) = safeCut(pending, from: searched) else {
                // Nothing before here can be a cut point; the next search starts there, so a long line
                // is scanned once, not once per block.
                searched = max(0, pending.count - StreamDecoder.bracketMargin - 2)
                break
            }
            // The chunk takes the pending array itself and the rest (after the last line break, so
            // usually short) is copied out, rather than copying the chunk out and moving the rest up.
            var source: Scalars = []
            swap(&source, &pending)
            pending = Array(source[end...])
            source.removeSubrange(end...)
            chunks.append(Chunk(source: source, isFirst: !emittedFirst, endsLine: endsLine))
            emittedFirst = true
            searched = 0
        }
        if final && (!pending.isEmpty || !emittedFirst) {
            chunks.append(Chunk(source: pending, isFirst: !emittedFirst, endsLine: true))
            emittedFirst = true
            pending = []
        }
        return chunks
    }

    /// The last cut point at or after `lower`: after the last LF (or lone CR); else, in a very long line,
    /// after the last sentence terminator that no gloss, bracket or phrase can straddle; else, in a line
    /// over four chunks long, the last safe point (`safeBreak`).
    func safeCut(_ s: Scalars, from lower: Int = 0) -> (Int, Bool)? {
        var i = s.count - 1
        while i >= lower {
            let c = s[i]
            if c == 0x0A { return (i + 1, true) }
            if c == 0x0D && i + 1 < s.count && s[i + 1] != 0x0A { return (i + 1, true) }
            i -= 1
        }
        // One long line: cut after a terminator followed by a plain character (Han, an ASCII letter or
        // digit), where the next sentence starts; never before a closing quote or bracket (`。”`, `！」`,
        // `。）`), which belongs to the sentence before and which the segmenter keeps with it.
        i = s.count - 2
        while i > max(0, lower - 1) {
            let c = s[i]
            if c == 0x3002 || c == 0xFF01 || c == 0xFF1F {
                let next = s[i + 1]
                if isHan(next) || isASCIILower(next) || isASCIIUpper(next) || (next >= 0x30 && next <= 0x39) { return (i + 1, false) }
            }
            i -= 1
        }
        guard s.count >= 4 * chunkSize, chunkSize < .max / 4 else { return nil }
        if let at = safeBreak(s, from: lower) { return (at, false) }
        return nil
    }

    /// The last position `i` (a cut between `s[i-1]` and `s[i]`) at or after `lower` that is safe:
    /// - not inside a bracket (no bracket opened in the `bracketMargin` characters before it is still open);
    /// - not inside a gloss's anchor (when `s[i-1]` is Han, no bracket opens in the next
    ///   `GlossScanner.maxSyllables + 1` characters);
    /// - not inside a number or a space run: `s[i]` is a Han character or a letter that is no numeral, and
    ///   `s[i-1]` is one too, or a comma-like mark (，、；：), or a closing bracket.
    /// A cut after a mark or bracket, or between a letter and Han, is preferred to one between two Han
    /// characters (where a conversion phrase could straddle it) when there is one within 4096 characters.
    /// Linear: one backward pass with sliding bracket counts.
    func safeBreak(_ s: Scalars, from lower: Int) -> Int? {
        let back = StreamDecoder.bracketMargin
        let ahead = GlossScanner.maxSyllables + 1
        let high = s.count - ahead
        let low = max(lower, back)
        guard high > low else { return nil }
        func opens(_ c: UInt32) -> Bool {
            isOpenParen(c) || c == 0x5B || c == 0x7B || c == 0xFF3B || c == 0xFF5B || (c >= 0x3008 && c <= 0x3010 && c % 2 == 0)
                || (c >= 0x3014 && c <= 0x301A && c % 2 == 0)
        }
        func closes(_ c: UInt32) -> Bool {
            isCloseParen(c) || c == 0x5D || c == 0x7D || c == 0xFF3D || c == 0xFF5D || (c >= 0x3009 && c <= 0x3011 && c % 2 == 1)
                || (c >= 0x3015 && c <= 0x301B && c % 2 == 1)
        }
        func delta(_ c: UInt32) -> Int { opens(c) ? 1 : closes(c) ? -1 : 0 }
        func word(_ c: UInt32) -> Bool {
            if NumeralCharacters.isNumeral(c) || NumeralCharacters.isPoint(c) { return false }
            return isHan(c) || isASCIILower(c) || isASCIIUpper(c)
        }
        func mark(_ c: UInt32) -> Bool { c == 0xFF0C || c == 0x3001 || c == 0xFF1B || c == 0xFF1A }
        var depth = 0       // opens minus closes in s[i-back ..< i]
        var opensAhead = 0  // opens in s[i ..< i+ahead]
        for k in (high - back)..<high { depth += delta(s[k]) }
        for k in high..<(high + ahead) where opens(s[k]) { opensAhead += 1 }
        var fallback: Int?
        var i = high
        while i > low {
            let a = s[i - 1], b = s[i]
            if depth <= 0 && word(b) {
                if mark(a) || closes(a) || (word(a) && isHan(a) != isHan(b) && (!isHan(a) || opensAhead == 0)) { return i }
                if word(a) && isHan(a) && opensAhead == 0 && fallback == nil { fallback = i }
            }
            if let fallback, fallback - i > 4096 { return fallback }
            depth += delta(s[i - 1 - back]) - delta(a)
            opensAhead += (opens(a) ? 1 : 0) - (opens(s[i - 1 + ahead]) ? 1 : 0)
            i -= 1
        }
        return fallback
    }
}

extension Job {
    /// Decodes a stream block by block and runs the pipeline over each chunk, handing every processed
    /// chunk to `each` in order.
    public func stream(id: String, chunkSize: Int = 1 << 18, read: () throws -> [UInt8]?,
                       each: (Document, StreamDecoder.Chunk) throws -> Void) throws {
        var decoder = StreamDecoder(encoding: encoding, maxLineBytes: maxLineBytes)
        decoder.chunkSize = chunkSize
        func emit(_ chunk: StreamDecoder.Chunk) throws {
            var doc = Document(id: id, source: chunk.source)
            Decode.fixLineEndings(&doc, atStart: chunk.isFirst)
            try pipeline.process(&doc)
            try each(doc, chunk)
        }
        while let block = try read() {
            for chunk in try decoder.feed(block) { try emit(chunk) }
        }
        for chunk in try decoder.finish() { try emit(chunk) }
    }

    /// Cleans a stream block by block, handing the clean text to `write`. The output equals
    /// `TextWriter.text(document(…))` on the whole input.
    public func cleanStream(id: String, sentences: Bool, chunkSize: Int = 1 << 18,
                            read: () throws -> [UInt8]?, write: ([UInt8]) -> Void) throws {
        var writer = TextWriter.Stream(sentences: sentences)
        try stream(id: id, chunkSize: chunkSize, read: read) { doc, chunk in
            write(writer.text(doc, endsLine: chunk.endsLine))
        }
    }
}
