import Foundation
import HanPipe

// The laws every hanpipe output obeys: one source, compiled into the property tests (this folder is
// part of the HanPipeTests target) and into the fuzz targets (Fuzz/Sources/FuzzLaws/Laws.swift is a
// symbolic link to this file). It uses only the library's public API and Foundation, never a test
// framework: a broken law is thrown as a `LawViolation`, which a test records as an issue and a fuzz
// target turns into a crash that libFuzzer saves.
//
// The stage and field names come from the registry (`StageRegistry`), so a new stage is checked with no
// change here: its edits must carry a registered rewriting stage's name, and its annotation field is
// checked as a list of spans.

/// A broken law, with what was broken.
public struct LawViolation: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum Laws {
    // MARK: Names from the registry

    /// The names an edit's `stage` may have: `decode` (line endings, byte order mark), then every
    /// rewriting stage of the registry, in order.
    public static func editStages(_ registry: StageRegistry = .standard) -> [String] {
        ["decode"] + registry.stages.filter { $0.kind == .rewriting }.map(\.name)
    }

    /// The annotation members of the JSON output, in order: the registry's fields, then `edits`.
    public static func annotationKeys(_ registry: StageRegistry = .standard) -> [String] {
        registry.fields.map(\.name) + ["edits"]
    }

    static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    // MARK: Laws on the document in memory

    /// Every span lies inside the text and its source range inside the source; spans of one field are in
    /// order and do not overlap (their source ranges neither); entities' and numbers' `text` is their
    /// slice; edits lie inside the source in source order, quote it exactly, change something and carry
    /// a registered stage name; sentences never cross a line break and cover every character that is not
    /// whitespace (when `segmented`: the segment stage ran); with `rebuild` (`--to keep`) text + edits
    /// gives back the source exactly, and in any case the edits account for the length.
    public static func check(_ doc: Document, rebuild: Bool, segmented: Bool = true,
                             registry: StageRegistry = .standard) throws {
        let n = doc.text.count, m = doc.source.count
        func inBounds(_ s: Span, _ what: String) throws {
            guard 0 <= s.start, s.start <= s.end, s.end <= n else { throw LawViolation("\(what) \(s) outside text of \(n)") }
            guard 0 <= s.sourceStart, s.sourceStart <= s.sourceEnd, s.sourceEnd <= m else {
                throw LawViolation("\(what) \(s) outside source of \(m)")
            }
        }
        func inOrder(_ spans: [Span], _ what: String) throws {
            var previous: Span?
            for (k, s) in spans.enumerated() {
                try inBounds(s, "\(what)[\(k)]")
                if s.start == s.end { throw LawViolation("\(what)[\(k)] \(s) is empty") }
                if let p = previous, p.end > s.start { throw LawViolation("\(what) \(p) and \(s) overlap or are out of order") }
                if what == "sentences" {
                    if s.sourceStart == s.sourceEnd { throw LawViolation("a non-empty sentence \(s) has an empty source range") }
                    if let p = previous, p.sourceEnd > s.sourceStart { throw LawViolation("sentences \(p) and \(s) overlap in the source") }
                }
                previous = s
            }
        }
        try inOrder(doc.sentences, "sentences")
        try inOrder(doc.entities.map(\.span), "entities")
        try inOrder(doc.numbers.map(\.span), "numbers")
        for (name, spans) in doc.spans.sorted(by: { $0.key < $1.key }) { try inOrder(spans, name) }
        for e in doc.entities where doc.string(e.span) != e.text { throw LawViolation("entity \(e) is not its slice") }
        for x in doc.numbers where doc.string(x.span) != x.text { throw LawViolation("number \(x) is not its slice") }

        // Sentences: no line break inside, every non-blank character in one.
        let text = doc.text
        var covered = [Bool](repeating: false, count: n)
        for s in doc.sentences {
            if text[s.start..<s.end].contains(0x0A) { throw LawViolation("sentence \(s) crosses a line break") }
            for k in s.start..<s.end { covered[k] = true }
        }
        if segmented, let k = text.indices.first(where: { !covered[$0] && !blank.contains(text[$0]) }) {
            throw LawViolation("character \(k) (U+\(String(text[k], radix: 16))) is in no sentence")
        }

        // Edits: registered stage names, in source order, quoting the source; they rebuild it.
        let stages = Set(editStages(registry))
        var s = 0, delta = 0
        for (k, edit) in doc.edits.enumerated() {
            let what = "edits[\(k)] \(edit)"
            guard stages.contains(edit.stage) else { throw LawViolation("\(what): stage \(edit.stage) is not registered") }
            guard s <= edit.sourceStart, edit.sourceStart <= edit.sourceEnd, edit.sourceEnd <= m else {
                throw LawViolation("\(what) is out of source order or outside the source of \(m) (after \(s))")
            }
            let from = scalars(edit.from), to = scalars(edit.to)
            if from != Array(doc.source[edit.sourceStart..<edit.sourceEnd]) { throw LawViolation("\(what) does not quote the source") }
            if from == to { throw LawViolation("\(what) changes nothing") }
            delta += from.count - to.count
            s = edit.sourceEnd
        }
        if n + delta != m { throw LawViolation("the edits do not account for the length (\(n) + \(delta) ≠ \(m))") }
        if rebuild {
            let rebuilt = try Laws.rebuild(doc)
            if rebuilt != doc.source {
                let at = zip(rebuilt, doc.source).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(rebuilt.count, m)
                throw LawViolation("text + edits does not rebuild the source (first difference at \(at) of \(m))")
            }
        }
    }

    /// The source rebuilt from the clean text and the edits, applied in source order (each edit's `to`
    /// in the text is replaced by its `from`); throws when an edit's `to` is not what the clean text
    /// holds at that point. With `--to keep` this is the source exactly.
    public static func rebuild(_ doc: Document) throws -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(doc.source.count)
        var t = 0, s = 0
        let text = doc.text
        for edit in doc.edits {
            guard edit.sourceStart >= s, edit.sourceEnd >= edit.sourceStart else {
                throw LawViolation("edit \(edit) is out of source order (at \(s))")
            }
            let same = edit.sourceStart - s
            let to = scalars(edit.to)
            guard t + same + to.count <= text.count, Array(text[(t + same)..<(t + same + to.count)]) == to else {
                throw LawViolation("edit \(edit) does not match the clean text at \(t + same)")
            }
            out.append(contentsOf: text[t..<(t + same)])
            out.append(contentsOf: scalars(edit.from))
            t += same + to.count
            s = edit.sourceEnd
        }
        out.append(contentsOf: text[t...])
        return out
    }

    /// What a sentence need not cover.
    static let blank = Set<UInt32>([0x20, 0x09, 0x0A, 0x0D, 0x3000, 0xA0, 0x2028, 0x2029] + Array(0x2000...0x200A))

    // MARK: Laws on the JSON as written

    /// The bytes with every raw U+FEFF (EF BB BF) spelled `\ufeff`. Foundation's JSONSerialization drops
    /// a raw U+FEFF at the start of a string value (it reads it as a byte order mark), but keeps the
    /// escaped form; outside strings the bytes are invalid either way, so the rewrite changes no verdict.
    public static func escapingBOM(_ bytes: some Collection<UInt8>) -> Data {
        var out = Data()
        out.reserveCapacity(bytes.count)
        var it = Array(bytes)[...]
        while let b = it.first {
            if b == 0xEF && it.count >= 3 && it.dropFirst().first == 0xBB && it.dropFirst(2).first == 0xBF {
                out.append(contentsOf: Array("\\ufeff".utf8)); it = it.dropFirst(3)
            } else {
                out.append(b); it = it.dropFirst()
            }
        }
        return out
    }

    /// Parses a JSON object written by hanpipe (with Foundation's JSONSerialization, a parser independent
    /// of hanpipe's), or throws.
    public static func parseObject(_ bytes: [UInt8], what: String) throws -> [String: Any] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: escapingBOM(bytes), options: [.fragmentsAllowed])
        } catch {
            throw LawViolation("\(what) is not valid JSON (\(error)): \(String(decoding: bytes.prefix(300), as: UTF8.self))")
        }
        guard let dict = object as? [String: Any] else { throw LawViolation("\(what) is not a JSON object") }
        return dict
    }

    /// Checks one annotation object as written: `text` is the document's clean text, `to` a string, every
    /// registry field a list of spans inside the text (and the source) in order without overlap, entities'
    /// and numbers' `text` their slice with a known type or kind, and the edits (``checkEdits``).
    /// `source` is the decoded source; `rebuild` says whether the source must be rebuilt exactly.
    public static func checkAnnotation(_ obj: [String: Any], source: [UInt32], text expected: [UInt32], rebuild: Bool,
                                       registry: StageRegistry = .standard) throws {
        guard let textString = obj["text"] as? String else { throw LawViolation("no string text") }
        let text = scalars(textString)
        if text != expected { throw LawViolation("JSON text differs from the document's text") }
        guard obj["to"] is String else { throw LawViolation("no string \"to\"") }

        func int(_ d: [String: Any], _ key: String, _ what: String) throws -> Int {
            guard let n = d[key] as? NSNumber, let v = Int(exactly: n.doubleValue) else { throw LawViolation("\(what): \(key) is not an integer") }
            return v
        }
        func objects(_ key: String) throws -> [[String: Any]] {
            guard let array = obj[key] as? [Any] else { throw LawViolation("\(key) is not an array") }
            return try array.map { item in
                guard let d = item as? [String: Any] else { throw LawViolation("\(key) holds a non-object") }
                return d
            }
        }
        let entityTypes = Set(Entity.Kind.allCases.map(\.rawValue))
        let numberKinds = Set(NumberMention.Kind.allCases.map(\.rawValue))
        for field in registry.fields {
            var previousEnd = 0
            for (k, d) in try objects(field.name).enumerated() {
                let what = "\(field.name)[\(k)]"
                let start = try int(d, "start", what), end = try int(d, "end", what)
                let ss = try int(d, "source_start", what), se = try int(d, "source_end", what)
                guard 0 <= start, start < end, end <= text.count else { throw LawViolation("\(what) \(start)..<\(end) empty or outside text of \(text.count)") }
                guard 0 <= ss, ss <= se, se <= source.count else { throw LawViolation("\(what) source \(ss)..<\(se) outside source of \(source.count)") }
                guard start >= previousEnd else { throw LawViolation("\(what) overlaps or precedes the span before it") }
                previousEnd = end
                if let t = d["text"] {
                    guard let t = t as? String, scalars(t) == Array(text[start..<end]) else { throw LawViolation("\(what) text is not its slice") }
                }
                switch field.name {
                case "entities":
                    guard let type = d["type"] as? String, entityTypes.contains(type) else { throw LawViolation("\(what): bad entity type") }
                case "numbers":
                    guard let kind = d["kind"] as? String, numberKinds.contains(kind) else { throw LawViolation("\(what): bad number kind") }
                    guard d["value"] is NSNumber || d["value"] is String || d["value"] is NSNull else { throw LawViolation("\(what): bad number value") }
                    if let unit = d["unit"] {
                        guard let u = unit as? String, !u.isEmpty, end - start >= scalars(u).count else { throw LawViolation("\(what): bad unit") }
                    }
                default: break
                }
            }
        }
        try checkEdits(objects("edits"), source: source, text: text, rebuild: rebuild, registry: registry)
    }

    /// The edit laws on the JSON: each edit names a registered stage, its `from` is its source slice,
    /// edits are in source order, none changes nothing, and (with `rebuild`) text + edits gives back the
    /// source.
    public static func checkEdits(_ edits: [[String: Any]], source: [UInt32], text: [UInt32], rebuild: Bool,
                                  registry: StageRegistry = .standard) throws {
        let stages = Set(editStages(registry))
        var s = 0, t = 0
        var rebuilt: [UInt32] = []
        rebuilt.reserveCapacity(source.count)
        for (k, e) in edits.enumerated() {
            let what = "edits[\(k)]"
            guard let stage = e["stage"] as? String, stages.contains(stage) else { throw LawViolation("\(what): bad stage") }
            guard let a = (e["source_start"] as? NSNumber).map({ $0.intValue }),
                  let b = (e["source_end"] as? NSNumber).map({ $0.intValue }),
                  let fromString = e["from"] as? String, let toString = e["to"] as? String
            else { throw LawViolation("\(what): missing fields") }
            guard s <= a, a <= b, b <= source.count else { throw LawViolation("\(what) source \(a)..<\(b) out of order or outside \(source.count) (after \(s))") }
            let from = scalars(fromString), to = scalars(toString)
            if from != Array(source[a..<b]) { throw LawViolation("\(what): from is not source[\(a)..<\(b)]") }
            if from == to { throw LawViolation("\(what): an edit that changes nothing") }
            guard rebuild else { s = b; continue }
            let gap = a - s
            guard t + gap + to.count <= text.count else { throw LawViolation("\(what): runs past the end of the text") }
            rebuilt.append(contentsOf: text[t..<(t + gap)])
            t += gap
            if Array(text[t..<(t + to.count)]) != to { throw LawViolation("\(what): to is not the text at \(t)") }
            t += to.count
            rebuilt.append(contentsOf: from)
            s = b
        }
        guard rebuild else { return }
        rebuilt.append(contentsOf: text[t...])
        if rebuilt != source {
            let at = zip(rebuilt, source).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(rebuilt.count, source.count)
            throw LawViolation("text + edits does not rebuild the source (first difference at \(at); \(rebuilt.count) vs \(source.count))")
        }
    }

    /// Both sets of laws on one processed document: the document in memory, then its JSON as the writer
    /// writes it (the registry's fields), parsed back.
    public static func checkAll(_ doc: Document, rebuild: Bool, segmented: Bool = true,
                                registry: StageRegistry = .standard) throws {
        try check(doc, rebuild: rebuild, segmented: segmented, registry: registry)
        let obj = try parseObject(JSONWriter.document(doc, fields: registry.fields), what: "JSON output")
        try checkAnnotation(obj, source: Array(doc.source), text: Array(doc.text), rebuild: rebuild, registry: registry)
    }
}
