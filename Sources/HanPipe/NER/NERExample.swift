/// One annotated sentence of an entity corpus: a JSON Lines record
/// `{"id", "text", "entities": [{"start", "end", "type"}]}` with code-point offsets, `end` exclusive.
public struct NERExample: Sendable {
    public var text: Scalars
    /// Flat, sorted spans with their type index (0 PER, 1 LOC, 2 ORG).
    public var spans: [(range: Range<Int>, type: Int)]

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

    /// All examples of a JSONL file's bytes (blank lines skipped).
    public static func parse(_ bytes: [UInt8]) throws -> [NERExample] {
        try bytes.split(separator: 0x0A).filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x0D } }.map { try NERExample(line: $0) }
    }
}
