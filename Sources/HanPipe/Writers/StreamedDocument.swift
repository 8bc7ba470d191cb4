/// The one JSON document writer (and the brat writer's assembler): the annotation outputs of a document
/// processed in chunks, assembled in the format's order at the end from spools, so memory stays bounded
/// on inputs of any size. A whole document is one chunk: `JSONWriter.document` is this writer fed once.
public final class StreamedDocument {
    let id: String
    let target: Script
    private var shift = JSONWriter.Shift()
    private let text: Spool
    private let fields: [AnnotationField]
    private let arrays: [Spool]   // one per field, then edits
    private var counts: [Int]
    private let brat: Spool
    private var bratRows = 0
    public private(set) var stats = (glosses: 0, sentences: 0, entities: 0, numbers: 0)

    /// `spill: false` keeps everything in memory (then no call can fail on a temporary file).
    /// `fields` are the annotation members, in order (the pipeline's `registry.fields`).
    public init(id: String, target: Script, fields: [AnnotationField] = StageRegistry.standard.fields, spill: Bool = true) {
        self.id = id
        self.target = target
        self.fields = fields
        let limit = spill ? 4 << 20 : Int.max
        text = Spool(limit: limit)
        arrays = (0...fields.count).map { _ in Spool(limit: limit) }
        counts = Array(repeating: 0, count: fields.count + 1)
        brat = Spool(limit: limit)
    }

    /// Adds the next chunk.
    public func add(_ doc: Document) throws {
        var body: [UInt8] = []
        JSONWriter.appendStringBody(doc.text[...], to: &body)
        try text.append(body)
        func element(_ k: Int, _ write: (inout [UInt8]) -> Void) throws {
            var out: [UInt8] = Array((counts[k] > 0 ? ",\n    " : "\n    ").utf8)
            write(&out)
            counts[k] += 1
            try arrays[k].append(out)
        }
        for (k, field) in fields.enumerated() {
            for i in 0..<field.count(doc) { try element(k) { field.write(doc, i, shift, &$0) } }
        }
        for e in doc.edits {
            try element(fields.count) { JSONWriter.appendEdit(e, shift: shift, to: &$0) }
            if e.stage == Degloss().name { stats.glosses += e.from.unicodeScalars.filter { $0 == "(" || $0 == "（" }.count }
        }
        let ann = BratWriter.annotations(doc, fields: fields, firstIndex: bratRows + 1, shift: shift.text)
        bratRows += ann.rows
        try brat.append(ann.bytes)
        stats.sentences += doc.sentences.count
        stats.entities += doc.entities.count
        stats.numbers += doc.numbers.count
        shift.text += doc.text.count
        shift.source += doc.source.count
    }

    /// The JSON document, in blocks.
    public func writeJSON(_ write: ([UInt8]) throws -> Void) throws {
        var head: [UInt8] = Array("{\n  \"id\": ".utf8)
        JSONWriter.appendString(id, to: &head)
        head.append(contentsOf: ",\n  \"to\": ".utf8)
        JSONWriter.appendString(target.rawValue, to: &head)
        head.append(contentsOf: ",\n  \"text\": \"".utf8)
        try write(head)
        try text.replay(write)
        try write([UInt8(ascii: "\"")])
        for (k, name) in (fields.map(\.name) + ["edits"]).enumerated() {
            if counts[k] == 0 { try write(Array(",\n  \"\(name)\": []".utf8)); continue }
            try write(Array(",\n  \"\(name)\": [".utf8))
            try arrays[k].replay(write)
            try write(Array("\n  ]".utf8))
        }
        try write(Array("\n}\n".utf8))
    }

    /// The brat `.ann` file, in blocks.
    public func writeBrat(_ write: ([UInt8]) throws -> Void) throws { try brat.replay(write) }
}
