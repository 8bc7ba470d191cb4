/// Writes brat standoff annotations (`.ann`) for the clean `.txt`: entities as `PER`/`LOC`/`ORG`,
/// numbers as `NUM` (or `DATE` for dates), in text order, numbered T1, T2, …
public enum BratWriter {
    public static func annotations(_ doc: Document) -> [UInt8] {
        annotations(doc, firstIndex: 1, shift: 0).bytes
    }

    /// The rows of one chunk of a longer document: numbered from `firstIndex`, offsets moved by `shift`.
    public static func annotations(_ doc: Document, firstIndex: Int, shift: Int) -> (bytes: [UInt8], rows: Int) {
        var rows: [(start: Int, end: Int, type: String, text: String)] = []
        for e in doc.entities { rows.append((e.span.start, e.span.end, e.type.rawValue, e.text)) }
        for m in doc.numbers { rows.append((m.span.start, m.span.end, m.kind == .date ? "DATE" : "NUM", m.text)) }
        rows.sort { ($0.start, $0.end, $0.type) < ($1.start, $1.end, $1.type) }
        var out: [UInt8] = []
        for (k, row) in rows.enumerated() {
            out.append(contentsOf: "T\(firstIndex + k)\t\(row.type) \(row.start + shift) \(row.end + shift)\t\(row.text)\n".utf8)
        }
        return (out, rows.count)
    }
}
