/// Writes annotations as JSON, in the spec's shape and key order, byte for byte the same on every run.
///
/// Written by hand rather than with Foundation's encoder: the key order is part of the format, the output
/// must be byte-stable, and JSONL records must keep their other fields exactly as they came.
public enum JSONWriter {
    /// One JSON document per input (pretty, one annotation per line, for diffing in CI).
    /// The same bytes as `StreamedDocument` fed this one document: there is one document writer.
    public static func document(_ doc: Document, fields: [AnnotationField] = StageRegistry.standard.fields) -> [UInt8] {
        let writer = StreamedDocument(id: doc.id, target: doc.target, fields: fields, spill: false)
        var out: [UInt8] = []
        out.reserveCapacity(doc.text.count * 4 + 256)
        // In-memory spools never touch a file, so neither call can fail.
        try! writer.add(doc)
        try! writer.writeJSON { out.append(contentsOf: $0) }
        return out
    }

    /// The annotation members after `text` (`"sentences": …` through `"edits": …`), each preceded by a
    /// comma: for appending to a JSONL record.
    static func appendFields(_ doc: Document, fields: [AnnotationField] = StageRegistry.standard.fields,
                                    to out: inout [UInt8], pretty: Bool) {
        let sep = pretty ? ",\n  " : ", "
        func array(_ name: String, _ count: Int, _ write: (Int, inout [UInt8]) -> Void) {
            out.append(contentsOf: sep.utf8)
            out.append(contentsOf: "\"\(name)\": ".utf8)
            if count == 0 { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for k in 0..<count {
                if k > 0 { out.append(UInt8(ascii: ",")); if !pretty { out.append(UInt8(ascii: " ")) } }
                if pretty { out.append(contentsOf: "\n    ".utf8) }
                write(k, &out)
            }
            if pretty { out.append(contentsOf: "\n  ".utf8) }
            out.append(UInt8(ascii: "]"))
        }
        for field in fields { array(field.name, field.count(doc)) { field.write(doc, $0, Shift(), &$1) } }
        let edits = doc.edits
        array("edits", edits.count) { appendEdit(edits[$0], to: &$1) }
    }

    /// Offsets to add to every span of a chunk (when a long input is processed in pieces).
    struct Shift: Sendable {
        var text = 0
        var source = 0
        init(text: Int = 0, source: Int = 0) { self.text = text; self.source = source }
    }

    /// One array element of each kind, in the format's key order.
    static func appendSentence(_ s: Span, shift: Shift = Shift(), to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{")); appendSpan(s, shift, to: &out); out.append(UInt8(ascii: "}"))
    }

    static func appendEntity(_ e: Entity, shift: Shift = Shift(), to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        appendSpan(e.span, shift, to: &out)
        out.append(contentsOf: ", \"type\": ".utf8); appendString(e.type.rawValue, to: &out)
        out.append(contentsOf: ", \"text\": ".utf8); appendString(e.text, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    static func appendNumber(_ m: NumberMention, shift: Shift = Shift(), to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        appendSpan(m.span, shift, to: &out)
        out.append(contentsOf: ", \"text\": ".utf8); appendString(m.text, to: &out)
        out.append(contentsOf: ", \"value\": ".utf8); appendValue(m.value, to: &out)
        if let high = m.high { out.append(contentsOf: ", \"high\": ".utf8); appendValue(high, to: &out) }
        if let unit = m.unit { out.append(contentsOf: ", \"unit\": ".utf8); appendString(unit, to: &out) }
        out.append(contentsOf: ", \"kind\": ".utf8); appendString(m.kind.rawValue, to: &out)
        if m.approximate { out.append(contentsOf: ", \"approximate\": true".utf8) }
        out.append(UInt8(ascii: "}"))
    }

    static func appendEdit(_ e: Edit, shift: Shift = Shift(), to out: inout [UInt8]) {
        out.append(contentsOf: "{\"stage\": ".utf8); appendString(e.stage, to: &out)
        out.append(contentsOf: ", \"source_start\": ".utf8); appendInt(e.sourceStart + shift.source, to: &out)
        out.append(contentsOf: ", \"source_end\": ".utf8); appendInt(e.sourceEnd + shift.source, to: &out)
        out.append(contentsOf: ", \"from\": ".utf8)
        appendString(e.from, to: &out)
        out.append(contentsOf: ", \"to\": ".utf8); appendString(e.to, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    static func appendSpan(_ s: Span, _ shift: Shift, to out: inout [UInt8]) {
        out.append(contentsOf: "\"start\": ".utf8); appendInt(s.start + shift.text, to: &out)
        out.append(contentsOf: ", \"end\": ".utf8); appendInt(s.end + shift.text, to: &out)
        out.append(contentsOf: ", \"source_start\": ".utf8); appendInt(s.sourceStart + shift.source, to: &out)
        out.append(contentsOf: ", \"source_end\": ".utf8); appendInt(s.sourceEnd + shift.source, to: &out)
    }

    /// Appends a decimal integer without building a String (this runs once per offset).
    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 } while v > 0
            while n > 0 { n -= 1; out.append(d[n]) }
        }
    }

    static func appendValue(_ v: NumberMention.Value, to out: inout [UInt8]) {
        switch v {
        case let .integer(i): out.append(contentsOf: String(i).utf8)
        case let .real(d):
            if d.isFinite && d == d.rounded() && abs(d) < 1e15 { out.append(contentsOf: String(Int64(d)).utf8) }
            else if d.isFinite { out.append(contentsOf: "\(d)".utf8) }
            else { out.append(contentsOf: "null".utf8) }
        case let .date(s): appendString(s, to: &out)
        }
    }

    /// Appends a JSON string literal.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        appendString(Scalars(scalarsOf: s)[...], to: &out)
    }

    /// Invisible format characters (BOM, zero-width, bidi controls) are written as `\uXXXX`, so that
    /// edit logs show what was removed.
    @inline(__always) static func isInvisible(_ c: UInt32) -> Bool {
        (c >= 0x7F && c <= 0x9F) || c == 0xAD || (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E)
            || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF
    }

    /// Appends a JSON string literal of code points.
    static func appendString(_ s: ArraySlice<UInt32>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendStringBody(s, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the escaped content of a JSON string literal, without the quotes.
    static func appendStringBody(_ s: ArraySlice<UInt32>, to out: inout [UInt8]) {
        var runStart = s.startIndex
        func flush(_ upTo: Int) { if upTo > runStart { UTF8Codec.encode(s[runStart..<upTo], into: &out) } }
        for i in s.indices {
            let c = s[i]
            guard c < 0x20 || c == 0x22 || c == 0x5C || isInvisible(c) else { continue }
            flush(i)
            switch c {
            case 0x22: out.append(contentsOf: "\\\"".utf8)
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            default:
                let hex = String(c, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            }
            runStart = i + 1
        }
        flush(s.endIndex)
    }
}
