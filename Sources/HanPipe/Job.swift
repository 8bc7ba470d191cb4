/// What one hanpipe invocation does to each input: decode, then run the pipeline. Shared by every
/// command and by the tests, so the command line holds no processing logic of its own.
public struct Job: Sendable {
    public let pipeline: Pipeline
    public var encoding: Decode.Encoding = .auto
    public var maxLineBytes: Int = 256 << 20

    public init(pipeline: Pipeline, encoding: Decode.Encoding = .auto, maxLineBytes: Int = 256 << 20) {
        self.pipeline = pipeline
        self.encoding = encoding
        self.maxLineBytes = maxLineBytes
    }

    /// Decodes a whole input and runs the pipeline over it.
    public func document(id: String, bytes: [UInt8]) throws -> Document {
        var doc = try Decode.document(id: id, bytes: bytes, encoding: encoding, maxLineBytes: maxLineBytes)
        try pipeline.process(&doc)
        return doc
    }

    /// Runs the pipeline over the `text` of a JSONL record (the record's text is its decoded source).
    public func document(record: JSONLRecord, fallbackID: String) throws -> Document {
        var doc = Document(id: record.id ?? fallbackID, source: record.text)
        Decode.fixLineEndings(&doc)
        try pipeline.process(&doc)
        return doc
    }

    /// The outcome of one JSONL line.
    public enum LineResult: Sendable {
        /// The output record (no newline).
        case record([UInt8])
        /// The line is passed through unchanged; the message says why.
        case passThrough([UInt8], message: String)
    }

    /// Processes one JSONL line (without its newline). `annotate` adds the annotation members.
    /// `byteOffset`, when known, is the line's offset in its file, for the --max-line-bytes message.
    /// A byte order mark at the start of line 1 (a file saved with one) is not part of the record.
    public func processLine(_ line: ArraySlice<UInt8>, lineNumber: Int, annotate: Bool,
                            byteOffset: Int? = nil) -> LineResult {
        do {
            if line.count > maxLineBytes {
                if let byteOffset { throw HanPipeError.lineTooLong(offset: byteOffset, limit: maxLineBytes) }
                throw HanPipeError.input("longer than \(maxLineBytes) bytes (see --max-line-bytes)")
            }
            var body = line
            if lineNumber == 1 && body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            let record = try JSONLRecord(body)
            let doc = try document(record: record, fallbackID: "line \(lineNumber)")
            return .record(record.output(doc, annotate: annotate))
        } catch {
            return .passThrough(Array(line), message: "line \(lineNumber): \(error)")
        }
    }
}
