/// What cleaning changes in one file, located in the SOURCE file: for `check --output-format github|json`.
///
/// Every change made by decode, normalize and degloss comes from the document's edit log; conversion is
/// character for character and not in the log, so its changes are found by comparing each clean
/// character that no other stage changed with the source character it comes from (through the origin
/// map); neighbouring converted characters make one change. Changes are in source order.
///
/// Positions: `line` is 1-based, counting LF, CRLF and a lone CR as one line break each (as the source
/// file has them, before decode turns them into LF). `column` is 1-based and counts Unicode code points
/// (characters as hanpipe counts them; UTF-16-based editors differ only after a character outside the
/// BMP, such as an emoji); a byte order mark at the start of the file is not counted.
///
/// Per changed line there is one message, e.g. `gloss (sheng) removed; 繁→简 3 characters`, its column
/// the first change's.
///
/// Worst case: linear in the source and clean text.
public struct ChangeReport: Equatable, Sendable {
    // MARK: - Public API

    /// One change, in source coordinates.
    public struct Change: Equatable, Sendable {
        /// 1-based line of the change's first source character.
        public var line: Int
        /// 1-based column (code points) of the change's first source character.
        public var column: Int
        /// `decode`, `normalize`, `convert` or `degloss`.
        public var stage: String
        /// Code-point offsets in the decoded source, end exclusive.
        public var sourceStart: Int
        public var sourceEnd: Int
        /// The source text and what cleaning makes of it.
        public var from: String
        public var to: String
    }

    /// The summary of one changed line.
    public struct Line: Equatable, Sendable {
        public var line: Int
        /// The column of the line's first change.
        public var column: Int
        public var message: String
    }

    /// The file's name as shown (a path, or the `--stdin-filename` name).
    public var path: String
    /// The target script (names the direction of conversion messages).
    public var target: Script
    public private(set) var changes: [Change] = []
    /// One summary per changed line, in line order.
    public var lines: [Line] { ChangeReport.summarise(changes, target: target) }

    /// Whether cleaning changes nothing the report can point at. (A file can still differ from its
    /// clean text without changes only if the caller lays the text out differently.)
    public var isEmpty: Bool { changes.isEmpty }

    /// The report for a processed document (`doc.source` is the decoded file, `doc.text` its clean text).
    public init(_ doc: Document, path: String) {
        self.init(path: path, target: doc.target)
        add(doc)
    }

    /// An empty report, to `add` the chunks of a document processed in pieces (`Job.stream`).
    public init(path: String, target: Script) {
        self.path = path
        self.target = target
    }

    /// Adds the next chunk: its changes, with lines, columns and source offsets counted from the start
    /// of the file.
    public mutating func add(_ doc: Document) {
        let positions = LinePositions(doc.source, bom: sourceOffset == 0 && doc.source.first == 0xFEFF,
                                      firstLine: linesBefore + 1, firstColumnShift: columnsCarried)
        var all: [Change] = []
        for e in doc.edits {
            let (line, column) = positions.position(of: e.sourceStart)
            all.append(Change(line: line, column: column, stage: e.stage, sourceStart: e.sourceStart + sourceOffset,
                              sourceEnd: e.sourceEnd + sourceOffset, from: e.from, to: e.to))
        }
        // Conversion: clean characters no stage changed, that differ from their source character.
        var converted: [Change] = []
        var i = 0
        let n = doc.text.count
        while i < n {
            let o = Int(doc.origin[i])
            guard !doc.changed[i], o < doc.source.count, doc.source[o] != doc.text[i] else { i += 1; continue }
            var j = i + 1
            while j < n && !doc.changed[j] && Int(doc.origin[j]) == o + (j - i) && doc.source[Int(doc.origin[j])] != doc.text[j]
                && !ChangeReport.isLineBreak(doc.source[Int(doc.origin[j])]) {
                j += 1
            }
            let (line, column) = positions.position(of: o)
            converted.append(Change(line: line, column: column, stage: "convert", sourceStart: o + sourceOffset,
                                    sourceEnd: o + (j - i) + sourceOffset,
                                    from: doc.source[o..<o + (j - i)].string, to: doc.text[i..<j].string))
            i = j
        }
        // Merge the two sorted lists (edits and conversions never share a source character).
        changes.reserveCapacity(changes.count + all.count + converted.count)
        var a = 0, b = 0
        while a < all.count || b < converted.count {
            if b == converted.count || (a < all.count && all[a].sourceStart <= converted[b].sourceStart) {
                changes.append(all[a]); a += 1
            } else {
                changes.append(converted[b]); b += 1
            }
        }
        // Where the next chunk starts.
        linesBefore += positions.starts.count - 1
        let tail = doc.source.count - positions.starts.last!
        columnsCarried = positions.starts.count == 1 ? columnsCarried + tail - (positions.bom ? 1 : 0) : tail
        sourceOffset += doc.source.count
    }

    /// Line breaks in the chunks added so far.
    private var linesBefore = 0
    /// Characters of the current line in the chunks added so far (when a chunk ends inside a line).
    private var columnsCarried = 0
    /// Code points of the chunks added so far.
    private var sourceOffset = 0

    /// GitHub Actions workflow commands, one `::error file=PATH,line=N,col=M::MESSAGE` per changed line
    /// of each report. Escaped per GitHub's rules: in the message `%` → `%25`, CR → `%0D`, LF → `%0A`;
    /// in properties also `:` → `%3A` and `,` → `%2C`.
    public static func github(_ reports: [ChangeReport]) -> [UInt8] {
        var out = ""
        for report in reports {
            let file = escapeProperty(report.path)
            for line in report.lines {
                out += "::error file=\(file),line=\(line.line),col=\(line.column)::\(escapeData(line.message))\n"
            }
        }
        return Array(out.utf8)
    }

    /// One JSON document for a run: `{"files": [{"path": …, "changes": [{"line", "column", "stage",
    /// "source_start", "source_end", "from", "to"}…], "lines": [{"line", "column", "message"}…]}…]}`,
    /// keys in this order, one change per line, byte-stable.
    public static func json(_ reports: [ChangeReport]) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "{\n  \"files\": [".utf8)
        for (k, report) in reports.enumerated() {
            out.append(contentsOf: (k == 0 ? "\n    {\"path\": " : ",\n    {\"path\": ").utf8)
            JSONWriter.appendString(report.path, to: &out)
            out.append(contentsOf: ",\n     \"changes\": [".utf8)
            for (c, change) in report.changes.enumerated() {
                out.append(contentsOf: (c == 0 ? "\n      " : ",\n      ").utf8)
                out.append(contentsOf: "{\"line\": ".utf8); JSONWriter.appendInt(change.line, to: &out)
                out.append(contentsOf: ", \"column\": ".utf8); JSONWriter.appendInt(change.column, to: &out)
                out.append(contentsOf: ", \"stage\": ".utf8); JSONWriter.appendString(change.stage, to: &out)
                out.append(contentsOf: ", \"source_start\": ".utf8); JSONWriter.appendInt(change.sourceStart, to: &out)
                out.append(contentsOf: ", \"source_end\": ".utf8); JSONWriter.appendInt(change.sourceEnd, to: &out)
                out.append(contentsOf: ", \"from\": ".utf8); JSONWriter.appendString(change.from, to: &out)
                out.append(contentsOf: ", \"to\": ".utf8); JSONWriter.appendString(change.to, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: (report.changes.isEmpty ? "]" : "\n     ]").utf8)
            out.append(contentsOf: ",\n     \"lines\": [".utf8)
            for (l, line) in report.lines.enumerated() {
                out.append(contentsOf: (l == 0 ? "\n      " : ",\n      ").utf8)
                out.append(contentsOf: "{\"line\": ".utf8); JSONWriter.appendInt(line.line, to: &out)
                out.append(contentsOf: ", \"column\": ".utf8); JSONWriter.appendInt(line.column, to: &out)
                out.append(contentsOf: ", \"message\": ".utf8); JSONWriter.appendString(line.message, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: (report.lines.isEmpty ? "]}" : "\n     ]}").utf8)
        }
        out.append(contentsOf: (reports.isEmpty ? "]\n}\n" : "\n  ]\n}\n").utf8)
        return out
    }

    /// A workflow command's message (data): `%`, CR and LF escaped.
    public static func escapeData(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A workflow command's property value: as `escapeData`, plus `:` and `,`.
    public static func escapeProperty(_ s: String) -> String {
        var out = ""
        for c in escapeData(s).unicodeScalars {
            switch c {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    // MARK: - Internals

    static func isLineBreak(_ c: UInt32) -> Bool { c == 0x0A || c == 0x0D }

    /// Line starts of a chunk's source, for offset → (line, column) by binary search.
    struct LinePositions {
        var starts: [Int] = [0]
        let bom: Bool
        let firstLine: Int
        let firstColumnShift: Int

        init(_ source: Scalars, bom: Bool, firstLine: Int = 1, firstColumnShift: Int = 0) {
            self.bom = bom
            self.firstLine = firstLine
            self.firstColumnShift = firstColumnShift
            var i = 0
            while i < source.count {
                let c = source[i]
                if c == 0x0A || (c == 0x0D && (i + 1 == source.count || source[i + 1] != 0x0A)) { starts.append(i + 1) }
                i += 1
            }
        }

        func position(of offset: Int) -> (line: Int, column: Int) {
            var lo = 0, hi = starts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
            var column = offset - starts[lo] + 1
            if lo == 0 {
                if bom && offset > 0 { column -= 1 }
                column += firstColumnShift
            }
            return (firstLine + lo, column)
        }
    }

    /// One message per changed line: the line's changes described by kind, in a fixed order (line
    /// endings and encoding, normalization, conversion, glosses).
    static func summarise(_ changes: [Change], target: Script) -> [Line] {
        var result: [Line] = []
        var start = 0
        while start < changes.count {
            var end = start + 1
            while end < changes.count && changes[end].line == changes[start].line { end += 1 }
            let group = changes[start..<end]
            var parts: [String] = []
            var decode: [String] = []
            var normalize: [String] = []
            var convertCount = 0
            var glosses: [String] = []
            for change in group {
                switch change.stage {
                case "convert": convertCount += change.to.unicodeScalars.count
                case "degloss": glosses.append(change.from)
                case "normalize": normalize.append(describeNormalize(change))
                default: decode.append(describeDecode(change))
                }
            }
            parts.append(contentsOf: unique(decode))
            parts.append(contentsOf: unique(normalize))
            if convertCount > 0 {
                let arrow = target == .traditional ? "简→繁" : "繁→简"
                parts.append("\(arrow) \(convertCount) character\(convertCount == 1 ? "" : "s")")
            }
            if !glosses.isEmpty {
                let shown = glosses.prefix(4).map(visible).joined(separator: ", ")
                let more = glosses.count > 4 ? " and \(glosses.count - 4) more" : ""
                parts.append((glosses.count == 1 ? "gloss " : "glosses ") + shown + more + " removed")
            }
            result.append(Line(line: group.first!.line, column: group.first!.column, message: parts.joined(separator: "; ")))
            start = end
        }
        return result
    }

    /// Repeated descriptions once, with a count: `full-width ， (3×)`.
    private static func unique(_ items: [String]) -> [String] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for item in items {
            if counts[item] == nil { order.append(item) }
            counts[item, default: 0] += 1
        }
        return order.map { counts[$0]! > 1 ? "\($0) (\(counts[$0]!)×)" : $0 }
    }

    private static func describeDecode(_ c: Change) -> String {
        switch (c.from, c.to) {
        case ("\u{FEFF}", ""): return "byte order mark removed"
        case ("\r", ""): return "CRLF line ending → LF"
        case ("\r", "\n"): return "CR line ending → LF"
        default: return "decode: \(visible(c.from)) → \(visible(c.to))"
        }
    }

    private static func describeNormalize(_ c: Change) -> String {
        let from = Array(c.from.unicodeScalars), to = Array(c.to.unicodeScalars)
        if to.isEmpty {
            if from.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\u{3000}" }) { return "trailing space removed" }
            if from.allSatisfy({ $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) }) {
                return "control character \(visible(c.from)) removed"
            }
            return "invisible \(visible(c.from)) removed"
        }
        if from.count == to.count && zip(from, to).allSatisfy({ $0.value == $1.value + 0xFEE0 }) {
            return "half-width \(visible(c.to))"
        }
        if from.count == to.count && zip(from, to).allSatisfy({ $0.value < 0x80 && $1.value >= 0x3000 }) {
            return "full-width \(visible(c.to))"
        }
        return "normalized \(visible(c.from)) → \(visible(c.to))"
    }

    /// Text for a message: invisible and control characters as `U+XXXX`.
    static func visible(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if c.value < 0x20 || c.value == 0x7F || JSONWriter.isInvisible(c.value) || c.value == 0x3000 {
                let hex = String(c.value, radix: 16, uppercase: true)
                out += "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
