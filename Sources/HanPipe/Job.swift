/// What one hanpipe invocation does to each input: decode, then run the pipeline. Shared by every
/// command and by the tests, so the command line holds no processing logic of its own.
public struct Job: Sendable {
    public let pipeline: Pipeline
    public var encoding: Decode.Encoding = .auto
    /// The `--max-line-bytes` limit, for decoded inputs and JSON Lines alike.
    public var lineLimit = LineLimit()
    /// The line limit in bytes.
    public var maxLineBytes: Int {
        get { lineLimit.bytes }
        set { lineLimit = LineLimit(bytes: newValue) }
    }

    public init(pipeline: Pipeline, encoding: Decode.Encoding = .auto, maxLineBytes: Int = LineLimit.defaultBytes) {
        self.pipeline = pipeline
        self.encoding = encoding
        self.lineLimit = LineLimit(bytes: maxLineBytes)
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
            if lineLimit.refuses(length: line.count) { return refusedLine(line, lineNumber: lineNumber, byteOffset: byteOffset) }
            var body = line
            if lineNumber == 1 && body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            let record = try JSONLRecord(body)
            let doc = try document(record: record, fallbackID: "line \(lineNumber)")
            return .record(record.output(doc, annotate: annotate))
        } catch {
            return .passThrough(Array(line), message: "line \(lineNumber): \(error)")
        }
    }

    /// The outcome of a JSONL line over the line limit: it is not processed but passed through, with
    /// the decoder's message (``LineLimit/error(lineAt:)``) when its byte offset is known. A reader that
    /// never kept the line's bytes (`--jsonl` reads in bounded memory) passes none: an empty line then
    /// holds its place in the output.
    public func refusedLine(_ line: some Collection<UInt8> = [], lineNumber: Int, byteOffset: Int?) -> LineResult {
        let error = byteOffset.map { lineLimit.error(lineAt: $0) }
            ?? HanPipeError.input("longer than \(lineLimit.bytes) bytes (see --max-line-bytes)")
        return .passThrough(Array(line), message: "line \(lineNumber): \(error)")
    }
}
