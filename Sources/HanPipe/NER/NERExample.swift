/// One annotated sentence of an entity corpus: a JSON Lines record
/// `{"id", "text", "entities": [{"start", "end", "type"}]}` with code-point offsets, `end` exclusive.
public struct NERExample: Sendable {
    public var text: Scalars
    /// Flat, sorted spans with their type index (0 PER, 1 LOC, 2 ORG).
    public var spans: [(range: Range<Int>, type: Int)]

    /// Entity types these labels do not mark: a mention of such a type may sit anywhere outside the
    /// labelled spans (CLUENER and Résumé mark no usable LOC). Training treats those characters as unknown,
    /// and scoring ignores these types.
    public var unmarked: Set<Int> = []
    /// Indices into `spans` of labelled mentions that may as well be no entity (Résumé's nominal `公司`).
    public var optional: Set<Int> = []
    /// In training, an unmarked type's mention may be only where the gazetteer lists a name of that type
    /// (a place-gazetteer match for LOC), not anywhere outside the labels.
    public var unmarkedOnlyWhereListed = false

    public init(text: Scalars, spans: [(range: Range<Int>, type: Int)]) {
        self.text = text
        self.spans = spans.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Parses one JSONL line. Overlapping or out-of-range spans are an error.
    public init(line: ArraySlice<UInt8>) throws {
        let record = try JSONLRecord(line)
        var spans: [(range: Range<Int>, type: Int)] = []
        if let member = record.members.last(where: { $0.key == "entities" }) {
            var p = JSONLRecord.Parser(bytes: record.bytes, pos: member.value.lowerBound)
            func expect(_ b: Character) throws {
                p.skipSpace()
                guard p.peek == UInt8(ascii: b.unicodeScalars.first!) else {
                    throw JSONLRecord.Problem.invalidJSON("expected '\(b)' in entities at byte \(p.pos)")
                }
                p.pos += 1
            }
            func integer() throws -> Int {
                p.skipSpace()
                var v = 0, any = false
                while let b = p.peek, b >= 0x30 && b <= 0x39 { v = v * 10 + Int(b - 0x30); p.pos += 1; any = true }
                guard any else { throw JSONLRecord.Problem.invalidJSON("expected an offset at byte \(p.pos)") }
                return v
            }
            try expect("[")
            p.skipSpace()
            if p.peek == UInt8(ascii: "]") { p.pos += 1 } else {
                while true {
                    try expect("{")
                    var start = -1, end = -1, type = -1
                    while true {
                        p.skipSpace()
                        let key = try p.string().string
                        try expect(":")
                        p.skipSpace()
                        switch key {
                        case "start": start = try integer()
                        case "end": end = try integer()
                        case "type":
                            let name = try p.string().string
                            guard let t = NERTags.types.firstIndex(where: { $0.rawValue == name }) else {
                                throw HanPipeError.input("unknown entity type '\(name)'")
                            }
                            type = t
                        default: try p.skipValue()
                        }
                        p.skipSpace()
                        if p.peek == UInt8(ascii: ",") { p.pos += 1; continue }
                        try expect("}")
                        break
                    }
                    guard start >= 0, end > start, end <= record.text.count, type >= 0 else {
                        throw HanPipeError.input("bad entity \(start)..<\(end) in record \(record.id ?? "?")")
                    }
                    spans.append((start..<end, type))
                    p.skipSpace()
                    if p.peek == UInt8(ascii: ",") { p.pos += 1; continue }
                    try expect("]")
                    break
                }
            }
        }
        self.init(text: record.text, spans: spans)
        for i in self.spans.indices.dropFirst() where self.spans[i].range.lowerBound < self.spans[i - 1].range.upperBound {
            throw HanPipeError.input("overlapping entities in record \(record.id ?? "?")")
        }
    }

    /// The tags each character may take, one bit per tag (`NERTags.bit`), or nil when the labels are
    /// complete. Rule: a character in a labelled span of a marked type takes exactly its BIOES tag (an
    /// optional span's characters may also take any tag an unlabelled character may take); every other
    /// character may be `O` or any tag of an unmarked type.
    public func allowedTags() -> [UInt16]? {
        guard !unmarked.isEmpty || !optional.isEmpty else { return nil }
        var free = NERTags.bit(0)
        for t in unmarked { free |= NERTags.mask(of: t) }
        var allowed = [UInt16](repeating: free, count: text.count)
        let marked = spans.enumerated().filter { !unmarked.contains($0.element.type) }
        let gold = NERTags.encode(marked.map(\.element), length: text.count)
        for (index, span) in marked where span.range.upperBound <= text.count {
            for i in span.range {
                allowed[i] = optional.contains(index) ? free | NERTags.mask(of: span.type) : NERTags.bit(Int(gold[i]))
            }
        }
        return allowed
    }

    /// The spans that scoring counts: those of marked types.
    public var scoredSpans: [(range: Range<Int>, type: Int)] { spans.filter { !unmarked.contains($0.type) } }

    /// Declares the labels partial: `types` are not marked, and labelled spans of another type whose text
    /// is in `nominal` (e.g. `公司`) become optional.
    public mutating func markPartial(unmarked types: Set<Int>, nominal: Set<String> = []) {
        unmarked = types
        optional = Set(spans.indices.filter { i in
            !types.contains(spans[i].type) && nominal.contains(Array(text[spans[i].range]).string)
        })
    }

    /// All examples of a JSONL file's bytes (blank lines skipped).
    public static func parse(_ bytes: [UInt8]) throws -> [NERExample] {
        try bytes.split(separator: 0x0A).filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x0D } }.map { try NERExample(line: $0) }
    }
}
