/// Incremental decoding for streaming commands (`clean`, and `run`'s clean text): bytes arrive in blocks,
/// and come out as chunks of decoded source cut at points where no stage looks across (a line end, or
/// after a sentence terminator inside a very long line), so each chunk can be processed as its own
/// document and memory stays bounded whatever the input's size or line length.
///
/// The decoding policy is `Decode`'s: strict UTF-8, or with `.auto` a charset detected by ICU on the
/// first block; an error names the absolute byte offset.
///
/// Worst case: linear. Each byte is decoded and line-counted once, and the search for a cut point
/// resumes where the last one failed, so a long line with no terminator is not rescanned per block.
public struct StreamDecoder {
    /// A piece of the decoded source.
    public struct Chunk {
        /// The decoded source of this piece.
        public var source: Scalars
        /// Whether it starts the input (a BOM is only stripped there).
        public var isFirst: Bool
        /// Whether it ends at a line break (false when a long line was cut after a terminator).
        public var endsLine: Bool
    }

    /// Chunks are cut once this many code points are pending.
    public var chunkSize = 1 << 18
    let encoding: Decode.Encoding
    let maxLineBytes: Int

    private var mode: Mode?
    private var converter: CharsetConverter?
    private var pendingBytes: [UInt8] = []
    private var pending: Scalars = []
    private var consumed = 0            // bytes consumed before `pendingBytes`
    private var lineBytes = 0           // bytes since the last LF
    private var emittedFirst = false
    private var searched = 0            // `pending[..<searched]` holds no safe cut point

    private enum Mode { case utf8, legacy }

    public init(encoding: Decode.Encoding, maxLineBytes: Int = 256 << 20) {
        self.encoding = encoding
        self.maxLineBytes = maxLineBytes
    }

    /// Feeds a block of bytes; returns the chunks that are complete.
    public mutating func feed(_ block: [UInt8]) throws -> [Chunk] {
        if mode == nil {
            pendingBytes.append(contentsOf: block)
            // Decide the encoding on the first 64 KiB (or the whole input if shorter; see `finish`).
            guard pendingBytes.count >= 1 << 16 else { return [] }
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
        let charset: String?
        switch encoding {
        case .utf8: charset = nil
        case .gb18030: charset = "GB18030"
        case .big5: charset = "Big5"
        case .utf16: charset = pendingBytes.withUnsafeBufferPointer { Decode.utf16Charset($0) }
        case .auto:
            charset = try pendingBytes.withUnsafeBufferPointer { buffer -> String? in
                if let bom = Decode.utf16BOM(buffer) { return bom }
                var probe: Scalars = []
                var tail = 0
                guard let bad = UTF8Codec.decode(buffer, into: &probe, incompleteTail: &tail) else { return nil }
                guard let (name, _) = Decode.guess(buffer, prefixOnly: true) else {
                    throw HanPipeError.badBytes(offset: bad, encoding: "UTF-8")
                }
                return name
            }
        }
        if let charset {
            converter = try CharsetConverter(name: charset)
            mode = .legacy
        } else {
            mode = .utf8
        }
    }

    private mutating func decode(_ block: [UInt8], flush: Bool) throws {
        switch mode! {
        case .utf8:
            var bytes = pendingBytes
            bytes.append(contentsOf: block)
            try checkLineLength(bytes, base: consumed)
            var tail = bytes.count
            let start = pending.count
            let bad = bytes.withUnsafeBufferPointer { UTF8Codec.decode($0, into: &pending, incompleteTail: &tail) }
            if let bad { throw HanPipeError.badBytes(offset: consumed + bad, encoding: "UTF-8") }
            if flush && tail < bytes.count { throw HanPipeError.badBytes(offset: consumed + tail, encoding: "UTF-8") }
            if let nul = pending[start...].firstIndex(of: 0) {
                _ = nul
                let at = bytes.firstIndex(of: 0) ?? 0
                throw HanPipeError.input("binary data (NUL byte) at byte offset \(consumed + at)")
            }
            pendingBytes = Array(bytes[tail...])
            consumed += tail
        case .legacy:
            var units: [UInt16] = []
            do {
                try block.withUnsafeBufferPointer { try converter!.toUTF16($0, flush: flush, into: &units) }
            } catch let error as HanPipeError {
                throw error.shifted(by: consumed)
            }
            let start = pending.count
            units.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &pending) }
            if !converter!.name.hasPrefix("UTF-16"), pending[start...].contains(0) {
                throw HanPipeError.input("binary data (NUL) after byte offset \(consumed)")
            }
            let unitBytes = converter!.name.hasPrefix("UTF-16") ? 2 : 1
            for c in pending[start...] {
                lineBytes = c == 0x0A ? 0 : lineBytes + unitBytes
                if lineBytes > maxLineBytes { throw HanPipeError.lineTooLong(offset: consumed, limit: maxLineBytes) }
            }
            consumed += block.count
        }
    }

    private mutating func checkLineLength(_ bytes: [UInt8], base: Int) throws {
        // Bytes already counted in `lineBytes` are the previous pending tail; count only new ones.
        let counted = pendingBytes.count
        var i = counted
        while i < bytes.count {
            if let nl = bytes[i...].firstIndex(of: 0x0A) {
                lineBytes += nl - i
                if lineBytes > maxLineBytes { throw HanPipeError.lineTooLong(offset: base + nl - lineBytes, limit: maxLineBytes) }
                lineBytes = 0
                i = nl + 1
            } else {
                lineBytes += bytes.count - i
                if lineBytes > maxLineBytes { throw HanPipeError.lineTooLong(offset: base + bytes.count - lineBytes, limit: maxLineBytes) }
                i = bytes.count
            }
        }
    }

    /// Cuts the pending code points into chunks at safe points.
    private mutating func cut(final: Bool) -> [Chunk] {
        var chunks: [Chunk] = []
        if final {
            if !pending.isEmpty || !emittedFirst {
                chunks.append(Chunk(source: pending, isFirst: !emittedFirst, endsLine: true))
                emittedFirst = true
                pending = []
            }
            return chunks
        }
        while pending.count >= chunkSize {
            guard let (end, endsLine) = safeCut(pending, from: searched) else {
                // Nothing before the last character can be a cut point; the next search starts there,
                // so a long line without terminators is scanned once, not once per block.
                searched = max(0, pending.count - 1)
                break
            }
            chunks.append(Chunk(source: Array(pending[..<end]), isFirst: !emittedFirst, endsLine: endsLine))
            emittedFirst = true
            pending.removeSubrange(..<end)
            searched = 0
        }
        return chunks
    }

    /// The last safe cut point at or after `lower`: after the last LF (or lone CR); else, in a very long
    /// line, after the last sentence terminator that no gloss, bracket or phrase can straddle.
    func safeCut(_ s: Scalars, from lower: Int = 0) -> (Int, Bool)? {
        var i = s.count - 1
        while i >= lower {
            let c = s[i]
            if c == 0x0A { return (i + 1, true) }
            if c == 0x0D && i + 1 < s.count && s[i + 1] != 0x0A { return (i + 1, true) }
            i -= 1
        }
        // One long line: cut after a terminator followed by a plain character.
        i = s.count - 2
        while i > max(0, lower - 1) {
            let c = s[i]
            if c == 0x3002 || c == 0xFF01 || c == 0xFF1F {
                let next = s[i + 1]
                if !isWhitespace(next) && !isOpenParen(next) && !isCloseParen(next) && next != 0xFEFF { return (i + 1, false) }
            }
            i -= 1
        }
        // No terminator at all: the line is kept whole until it ends (or exceeds --max-line-bytes).
        return nil
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
