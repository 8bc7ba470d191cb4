/// Writes HTML pages to look at: an article page per annotated document, and an index page listing them.
///
/// Article page: the clean text, one `<p>` per line, with PER, LOC, ORG and number mentions highlighted
/// (Okabe–Ito colours, which stay apart under the common colour-vision deficiencies, plus a different
/// underline style and a small type label for each, so colour is never the only cue); a thin dotted bar
/// where a sentence starts inside a line; and a checkbox that shows every edit (removed glosses, decode
/// and normalize fixes) in place: removed text struck through at its clean-text position, replacement
/// text boxed. The toggle is pure CSS (`:checked ~`), so the page needs no script at all; unchecked, it
/// shows the clean text. A legend explains the colours, the header gives the document id and counts.
///
/// Index page: one table row per input with its counts and a relative link.
///
/// Pages are self-contained (inline CSS, no script, no network, no remote assets), `lang="zh"`, UTF-8,
/// and byte-identical on every run. Escaping is hand-written (`escape`): `&`, `<`, `>`, `"` and `'`
/// become character references everywhere, text and attributes alike; control and invisible characters
/// are shown as `⟨U+XXXX⟩`. Links are percent-encoded per path component (`percentEncodePath`).
///
/// Worst case: linear in the text plus O(k log k) for k span and edit boundaries.
public enum HTMLWriter {
    // MARK: - Public API

    /// The counts shown on an article page and in its index row.
    public struct Summary: Equatable, Sendable {
        public var id: String
        public var sentences = 0
        public var per = 0
        public var loc = 0
        public var org = 0
        public var numbers = 0
        public var edits = 0

        public init(id: String) { self.id = id }

        /// The counts of one document.
        public init(_ doc: Document) {
            self.init(id: doc.id)
            add(doc)
        }

        /// Adds the counts of `doc` (one chunk of a document processed in pieces).
        public mutating func add(_ doc: Document) { add(doc, edits: doc.edits) }

        mutating func add(_ doc: Document, edits: [Edit]) {
            sentences += doc.sentences.count
            for e in doc.entities {
                switch e.type {
                case .PER: per += 1
                case .LOC: loc += 1
                case .ORG: org += 1
                }
            }
            numbers += doc.numbers.count
            self.edits += edits.count
        }
    }

    /// One row of the index page: a document's counts and the path of its article page relative to the
    /// index page's folder, unencoded, `/`-separated (for example `news/a b#1.html`).
    public struct IndexEntry: Equatable, Sendable {
        public var summary: Summary
        public var link: String
        public init(summary: Summary, link: String) {
            self.summary = summary
            self.link = link
        }
    }

    /// The article page of one annotated document.
    public static func article(_ doc: Document) -> [UInt8] {
        let edits = doc.edits
        var summary = Summary(id: doc.id)
        summary.add(doc, edits: edits)
        var body = ""
        body.reserveCapacity(doc.text.count * 4)
        HTMLWriter.body(doc, edits: edits, atLineStart: true, into: &body)
        var h = articleHead(summary, stageCounts: stageCounts(edits), target: doc.target)
        h += body
        h += articleTail
        return Array(h.utf8)
    }

    /// The article page of a document processed in chunks (`Job.stream`): the body is kept in a spool,
    /// so memory stays bounded, and written after the header once the counts are known. For a document
    /// that fits one chunk the bytes equal `article(_:)`.
    public final class Stream {
        public private(set) var summary: Summary
        let target: Script
        private var stageCounts: [String: Int] = [:]
        private let body = Spool()
        private var atLineStart = true

        public init(id: String, target: Script) {
            summary = Summary(id: id)
            self.target = target
        }

        /// Adds the next chunk.
        public func add(_ doc: Document) throws {
            let edits = doc.edits
            summary.add(doc, edits: edits)
            for (stage, count) in HTMLWriter.stageCounts(edits) { stageCounts[stage, default: 0] += count }
            var h = ""
            HTMLWriter.body(doc, edits: edits, atLineStart: atLineStart, into: &h)
            try body.append(Array(h.utf8))
            if let last = doc.text.last { atLineStart = last == 0x0A }
        }

        /// The page, in blocks.
        public func write(_ write: ([UInt8]) throws -> Void) throws {
            try write(Array(HTMLWriter.articleHead(summary, stageCounts: stageCounts, target: target).utf8))
            try body.replay(write)
            try write(Array(HTMLWriter.articleTail.utf8))
        }
    }

    /// The index page: one row per entry (sorted by link, so the page does not depend on the order inputs
    /// finished in), then a row of totals.
    public static func index(_ entries: [IndexEntry], title: String = "hanpipe") -> [UInt8] {
        let rows = entries.sorted { Array($0.link.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.link.unicodeScalars.map(\.value)) }
        var total = Summary(id: "")
        for r in rows {
            total.sentences += r.summary.sentences
            total.per += r.summary.per
            total.loc += r.summary.loc
            total.org += r.summary.org
            total.numbers += r.summary.numbers
            total.edits += r.summary.edits
        }
        var h = ""
        head(title: title, into: &h)
        h += "<header>\n<h1>"; escape(title, into: &h); h += "</h1>\n"
        h += "<p class=\"counts\">\(rows.count) \(rows.count == 1 ? "document" : "documents")</p>\n</header>\n"
        h += "<main>\n<table>\n<thead><tr><th class=\"id\">document</th><th>sentences</th>"
        h += "<th><mark class=\"per\">PER</mark></th><th><mark class=\"loc\">LOC</mark></th><th><mark class=\"org\">ORG</mark></th>"
        h += "<th><mark class=\"num\">numbers</mark></th><th>edits</th></tr></thead>\n<tbody>\n"
        func cells(_ s: Summary, into h: inout String) {
            h += "<td>\(s.sentences)</td><td>\(s.per)</td><td>\(s.loc)</td><td>\(s.org)</td><td>\(s.numbers)</td><td>\(s.edits)</td>"
        }
        for r in rows {
            h += "<tr><td class=\"id\"><a href=\""; escape(percentEncodePath(r.link), into: &h); h += "\">"
            escape(r.summary.id, into: &h); h += "</a></td>"
            cells(r.summary, into: &h)
            h += "</tr>\n"
        }
        h += "</tbody>\n<tfoot><tr><td class=\"id\">total</td>"
        cells(total, into: &h)
        h += "</tr></tfoot>\n</table>\n</main>\n</body>\n</html>\n"
        return Array(h.utf8)
    }

    /// Appends `s` with `&`, `<`, `>`, `"` and `'` replaced by character references (safe in text and in
    /// quoted attribute values).
    public static func escape(_ s: String, into out: inout String) {
        for c in s.unicodeScalars { appendEscaped(c.value, into: &out) }
    }

    /// `s` escaped as by `escape(_:into:)`.
    public static func escape(_ s: String) -> String {
        var out = ""
        escape(s, into: &out)
        return out
    }

    /// A relative path as a URL path: every byte outside `A–Z a–z 0–9 - . _ ~` is percent-encoded in
    /// UTF-8, except the `/` between components; so spaces, `#`, `?`, `%`, `:` (which would otherwise
    /// start a scheme such as `javascript:`) and non-ASCII names all survive as a relative link.
    public static func percentEncodePath(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(b)
            default:
                out.append(UInt8(ascii: "%")); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Internals

    /// A highlighted span of the clean text.
    private struct Mark {
        var start: Int
        var end: Int
        var cls: String
        var label: String
        var title: String
    }

    /// An edit placed in the clean text: `from` is shown struck through before `start`, and the clean
    /// characters `start..<end` (its `to`) are boxed.
    private struct Placed {
        var start: Int
        var end: Int
        var edit: Edit
    }

    private static func stageCounts(_ edits: [Edit]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for e in edits { counts[e.stage, default: 0] += 1 }
        return counts
    }

    /// Everything before the body: head, header with the counts, legend, toggle, and the first `<p>`.
    private static func articleHead(_ summary: Summary, stageCounts: [String: Int], target: Script) -> String {
        var h = ""
        head(title: summary.id, into: &h)
        h += "<header>\n<h1>"; escape(summary.id, into: &h); h += "</h1>\n"
        h += "<p class=\"counts\">"
        let byStage = stageCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        countsLine(summary, byStage: byStage, target: target, into: &h)
        h += "</p>\n</header>\n"
        h += legend
        h += "<input type=\"checkbox\" id=\"show-edits\"><label for=\"show-edits\" class=\"toggle\">Show edits in place: removed glosses and other removed text struck through, replacements boxed</label>\n"
        h += "<main>\n<p>"
        return h
    }

    private static let articleTail = "</p>\n</main>\n</body>\n</html>\n"

    /// The body of one document or chunk: its lines as paragraph content separated by `</p>\n<p>`.
    /// `atLineStart` tells whether the text starts a line (false for a chunk cut inside a long line,
    /// where a sentence starting at the chunk's first character gets its boundary mark).
    private static func body(_ doc: Document, edits: [Edit], atLineStart: Bool, into h: inout String) {
        let text = doc.text
        let n = text.count
        func clamp(_ s: Span) -> (Int, Int) { (min(max(0, s.start), n), min(max(0, s.end), n)) }
        var entityMarks: [Mark] = doc.entities.compactMap { e in
            let (a, b) = clamp(e.span)
            guard a < b else { return nil }
            return Mark(start: a, end: b, cls: e.type.rawValue.lowercased(), label: e.type.rawValue, title: e.type.rawValue)
        }
        var numberMarks: [Mark] = doc.numbers.compactMap { m in
            let (a, b) = clamp(m.span)
            guard a < b else { return nil }
            var title = m.kind.rawValue + " " + describe(m.value)
            if let high = m.high { title += "–" + describe(high) }
            if let unit = m.unit { title += " " + unit }
            if m.approximate { title += " (approximate)" }
            return Mark(start: a, end: b, cls: "num", label: "NUM", title: title)
        }
        // Entities and numbers are each flat; keep them so even if a caller's lists overlap.
        func flatten(_ marks: inout [Mark]) {
            marks.sort { ($0.start, $0.end) < ($1.start, $1.end) }
            var kept: [Mark] = []
            for m in marks where kept.last.map({ m.start >= $0.end }) ?? true { kept.append(m) }
            marks = kept
        }
        flatten(&entityMarks)
        flatten(&numberMarks)

        // Edits are in source order and the origin map is non-decreasing, so one pass places them.
        var placed: [Placed] = []
        placed.reserveCapacity(edits.count)
        var i = 0
        for e in edits {
            while i < n && Int(doc.origin[i]) < e.sourceStart { i += 1 }
            let length = e.to.unicodeScalars.count
            placed.append(Placed(start: i, end: min(n, i + length), edit: e))
        }

        var sentenceStarts = Set<Int>()
        for s in doc.sentences where s.start < n && (s.start > 0 ? text[s.start - 1] != 0x0A : !atLineStart) {
            sentenceStarts.insert(s.start)
        }

        var points: [Int] = [0, n]
        for m in entityMarks { points.append(m.start); points.append(m.end) }
        for m in numberMarks { points.append(m.start); points.append(m.end) }
        for p in placed { points.append(p.start); points.append(p.end) }
        points.append(contentsOf: sentenceStarts)
        for (k, c) in text.enumerated() where c == 0x0A { points.append(k); points.append(k + 1) }
        points.sort()
        var unique: [Int] = []
        unique.reserveCapacity(points.count)
        for p in points where unique.last != p { unique.append(p) }

        // Elements stay open across boundaries that do not concern them (a removed gloss inside a name
        // keeps the name one element); they nest entity ⊃ number ⊃ replacement.
        var ei = 0, ni = 0, pi = 0, di = 0
        var openEntity: Int?, openNumber: Int?, openIns: Int?
        func closeIns() { if openIns != nil { h += "</ins>"; openIns = nil } }
        func closeNumber(at a: Int) {
            closeIns()
            if let k = openNumber { close(numberMarks[k], last: numberMarks[k].end == a, into: &h); openNumber = nil }
        }
        func closeEntity(at a: Int) {
            closeNumber(at: a)
            if let k = openEntity { close(entityMarks[k], last: entityMarks[k].end == a, into: &h); openEntity = nil }
        }
        for (index, a) in unique.enumerated() {
            let b = index + 1 < unique.count ? unique[index + 1] : a
            let newline = b == a + 1 && text[a] == 0x0A
            while ei < entityMarks.count && entityMarks[ei].end <= a { ei += 1 }
            while ni < numberMarks.count && numberMarks[ni].end <= a { ni += 1 }
            while pi < placed.count && placed[pi].end <= a { pi += 1 }
            let entity = !newline && b > a && ei < entityMarks.count && entityMarks[ei].start <= a ? ei : nil
            let number = !newline && b > a && ni < numberMarks.count && numberMarks[ni].start <= a ? ni : nil
            var ins: Int?
            var q = pi
            while !newline && b > a && q < placed.count && placed[q].start <= a {
                if placed[q].end > a && placed[q].start < placed[q].end { ins = q; break }
                q += 1
            }
            if entity != openEntity { closeEntity(at: a) }
            if number != openNumber { closeNumber(at: a) }
            if ins != openIns { closeIns() }
            // Struck-through removed text belonging before position `a`.
            while di < placed.count && placed[di].start <= a {
                let p = placed[di]
                if !p.edit.from.isEmpty {
                    h += "<del class=\"e "; h += p.edit.stage; h += "\" title=\""
                    escape(p.edit.stage + (p.edit.to.isEmpty ? ": removed" : ": replaced by the boxed text"), into: &h)
                    h += "\">"
                    visible(p.edit.from, into: &h)
                    h += "</del>"
                }
                di += 1
            }
            if sentenceStarts.contains(a) { h += "<span class=\"sb\" title=\"sentence boundary\"></span>" }
            guard b > a else { break }
            if newline {
                h += "</p>\n<p>"
                continue
            }
            if let k = entity, openEntity == nil { open(entityMarks[k], into: &h); openEntity = k }
            if let k = number, openNumber == nil { open(numberMarks[k], into: &h); openNumber = k }
            if let k = ins, openIns == nil {
                let r = placed[k]
                h += "<ins class=\"e "; h += r.edit.stage; h += "\" title=\""
                escape(r.edit.stage + ": " + r.edit.from + " → " + r.edit.to, into: &h)
                h += "\">"
                openIns = k
            }
            for k in a..<b { appendEscaped(text[k], into: &h) }
        }
        closeEntity(at: n)
    }

    private static func open(_ m: Mark, into h: inout String) {
        h += "<mark class=\""; h += m.cls; h += "\" title=\""; escape(m.title, into: &h); h += "\">"
    }

    private static func close(_ m: Mark, last: Bool, into h: inout String) {
        if last { h += "<span class=\"t\">"; h += m.label; h += "</span>" }
        h += "</mark>"
    }

    private static func describe(_ v: NumberMention.Value) -> String {
        switch v {
        case let .integer(i): return String(i)
        case let .real(d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        case let .date(s): return s
        }
    }

    /// Removed text made visible: line breaks, tabs, a whitespace-only removal, and control or invisible
    /// characters get a visible stand-in.
    private static func visible(_ s: String, into h: inout String) {
        let allSpace = s.unicodeScalars.allSatisfy { $0.value == 0x20 || $0.value == 0x3000 }
        for c in s.unicodeScalars {
            switch c.value {
            case 0x0A: h += "↵"
            case 0x0D: h += "␍"
            case 0x09: h += "⇥"
            case 0x20 where allSpace: h += "␣"
            case 0x3000 where allSpace: h += "⟨U+3000⟩"
            default: appendEscaped(c.value, into: &h)
            }
        }
    }

    @inline(__always) private static func appendEscaped(_ c: UInt32, into out: inout String) {
        switch c {
        case 0x26: out += "&amp;"
        case 0x3C: out += "&lt;"
        case 0x3E: out += "&gt;"
        case 0x22: out += "&quot;"
        case 0x27: out += "&#39;"
        case 0x09, 0x0A: out.unicodeScalars.append(Unicode.Scalar(c)!)
        default:
            if c < 0x20 || JSONWriter.isInvisible(c) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE {
                let hex = String(c, radix: 16, uppercase: true)
                out += "⟨U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "⟩"
            } else if let scalar = Unicode.Scalar(c) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\u{FFFD}"
            }
        }
    }

    private static func countsLine(_ s: Summary, byStage: String, target: Script, into h: inout String) {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        h += plural(s.sentences, "sentence")
        h += " · <span class=\"per\">\(s.per) PER</span> · <span class=\"loc\">\(s.loc) LOC</span> · <span class=\"org\">\(s.org) ORG</span> · "
        h += "<span class=\"num\">" + plural(s.numbers, "number") + "</span> · " + plural(s.edits, "edit")
        if !byStage.isEmpty { h += " (" + byStage + ")" }
        h += target == .keep ? " · script kept" : " · converted to " + target.rawValue
    }

    private static func head(title: String, into h: inout String) {
        h += "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        escape(title, into: &h)
        h += " · hanpipe</title>\n<style>\n"
        h += css
        h += "</style>\n</head>\n<body>\n"
    }

    private static let legend = """
        <p class="legend">\
        <span class="item"><mark class="per">人名<span class="t">PER</span></mark> person (orange, solid underline)</span> \
        <span class="item"><mark class="loc">地名<span class="t">LOC</span></mark> place (blue, dashed)</span> \
        <span class="item"><mark class="org">机构<span class="t">ORG</span></mark> organisation (green, double)</span> \
        <span class="item"><mark class="num">三成<span class="t">NUM</span></mark> number (purple, dotted)</span> \
        <span class="item"><span class="sb"></span>sentence start</span></p>

        """

    // Okabe–Ito: orange #E69F00, sky blue #56B4E9 (blue #0072B2 for lines), bluish green #009E73,
    // reddish purple #CC79A7, vermillion #D55E00 for removed text.
    private static let css = """
        body{font:18px/2.1 "Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:44em;margin:1.5em auto;padding:0 1em;color:#1a1a1a;background:#fff}
        h1{font-size:1.25em;line-height:1.4;margin:.2em 0;overflow-wrap:anywhere}
        header{border-bottom:1px solid #ddd;margin-bottom:.6em}
        .counts{color:#444;font-size:.85em;margin:.2em 0 .6em}
        .legend{font-size:.85em;color:#333;line-height:2.4;margin:.3em 0}
        .legend .item{white-space:nowrap;margin-right:.9em}
        .legend mark{margin-right:.2em}
        .toggle{font-size:.85em;color:#333;cursor:pointer}
        main{margin-top:.8em}
        main p{margin:0 0 .9em}
        main p:empty{display:none}
        mark{color:inherit;background:none;padding:0 1px;border-radius:2px;text-underline-offset:5px;text-decoration-thickness:2px}
        mark.per,span.per{background:#fbe7bf;text-decoration-line:underline;text-decoration-style:solid;text-decoration-color:#E69F00}
        mark.loc,span.loc{background:#d6ecf9;text-decoration-line:underline;text-decoration-style:dashed;text-decoration-color:#0072B2}
        mark.org,span.org{background:#c9eadf;text-decoration-line:underline;text-decoration-style:double;text-decoration-color:#009E73}
        mark.num,span.num{background:#f3dbe8;text-decoration-line:underline;text-decoration-style:dotted;text-decoration-color:#A8457D}
        .counts span{padding:0 2px;border-radius:2px}
        .t{font:600 .5em/1 sans-serif;vertical-align:super;margin-left:1px;color:#333;letter-spacing:.02em}
        .sb{display:inline-block;width:0;height:1.1em;vertical-align:-.15em;border-left:1px dotted #999;margin:0 .25em}
        del.e{display:none;color:#B34700;text-decoration:line-through;text-decoration-thickness:1px;font-size:.85em;background:#fdeee5;padding:0 1px}
        ins.e{text-decoration:none}
        #show-edits:checked ~ main del.e{display:inline}
        #show-edits:checked ~ main ins.e{outline:1px solid #777;outline-offset:1px;background:#eee}
        table{border-collapse:collapse;width:100%;font-size:.9em;line-height:1.6}
        th,td{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:right}
        th.id,td.id{text-align:left;overflow-wrap:anywhere}
        tfoot td{font-weight:600;border-top:2px solid #999}

        """
}
