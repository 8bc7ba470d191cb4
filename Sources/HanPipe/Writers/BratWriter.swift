/// Writes brat standoff annotations (`.ann`) for the clean `.txt`: one text-bound row (T1, T2, …) per
/// element of each annotation field that has a brat form (``AnnotationField``, from the registry: entities
/// as `PER`/`LOC`/`ORG`, numbers as `NUM` or `DATE`; sentences have none), sorted by start, end and type.
/// Worst case O(n log n) in the number of annotations (the sort).
public enum BratWriter {
    /// One text-bound annotation: its span, brat type and text.
    struct Row: Sendable {
        var span: Span
        var type: String
        var text: String
        init(_ span: Span, _ type: String, _ text: String) {
            self.span = span
            self.type = type
            self.text = text
        }
    }

    public static func annotations(_ doc: Document, fields: [AnnotationField] = StageRegistry.standard.fields) -> [UInt8] {
        annotations(doc, fields: fields, firstIndex: 1, shift: 0).bytes
    }

    /// The rows of one chunk of a longer document: numbered from `firstIndex`, offsets moved by `shift`.
    public static func annotations(_ doc: Document, fields: [AnnotationField] = StageRegistry.standard.fields,
                                   firstIndex: Int, shift: Int) -> (bytes: [UInt8], rows: Int) {
        var rows: [Row] = []
        for field in fields {
            guard let brat = field.brat else { continue }
            for i in 0..<field.count(doc) { rows.append(brat(doc, i)) }
        }
        rows.sort { ($0.span.start, $0.span.end, $0.type) < ($1.span.start, $1.span.end, $1.type) }
        var out: [UInt8] = []
        for (k, row) in rows.enumerated() {
            out.append(contentsOf: "T\(firstIndex + k)\t\(row.type) \(row.span.start + shift) \(row.span.end + shift)\t\(row.text)\n".utf8)
        }
        return (out, rows.count)
    }
}
