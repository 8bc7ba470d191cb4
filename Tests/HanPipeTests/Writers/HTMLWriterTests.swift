import Foundation
import Testing
@testable import HanPipe

@Suite struct HTMLWriterTests {
    func process(_ s: String, id: String = "t.txt", _ target: Script = .simplified) throws -> Document {
        var options = Pipeline.Options()
        options.target = target
        return try Job(pipeline: try Pipeline(options: options)).document(id: id, bytes: Array(s.utf8))
    }

    func page(_ doc: Document) -> String { String(decoding: HTMLWriter.article(doc), as: UTF8.self) }

    /// The inner HTML of `<main>`.
    func main(_ html: String) -> String {
        let start = html.range(of: "<main>\n")!.upperBound
        let end = html.range(of: "</main>")!.lowerBound
        return String(html[start..<end])
    }

    /// Removes every element `<tag…>…</tag>` whose opening tag starts with `open` (no nesting of the same tag).
    func removeElements(_ s: String, open: String, close: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let a = rest.range(of: open) {
            out += rest[..<a.lowerBound]
            guard let b = rest[a.upperBound...].range(of: close) else { break }
            rest = rest[b.upperBound...]
        }
        return out + rest
    }

    func stripTags(_ s: String) -> String {
        var out = ""
        var inTag = false
        for c in s {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// What a reader sees: with the toggle off (removed text hidden) or on (removed text shown, and —
    /// to rebuild the source — replacement text dropped).
    func visibleText(_ html: String, showEdits: Bool) -> String {
        var body = main(html)
        body = body.replacingOccurrences(of: "</p>\n<p>", with: "\n")
        body = removeElements(body, open: "<span class=\"t\">", close: "</span>")
        if showEdits {
            body = removeElements(body, open: "<ins ", close: "</ins>")
            body = body.replacingOccurrences(of: "</del>", with: "")
        } else {
            body = removeElements(body, open: "<del ", close: "</del>")
        }
        body = stripTags(body)
        if showEdits { body = body.replacingOccurrences(of: "␣", with: " ") }
        return String(body.dropLast("\n".count))  // the closing "</p>\n"
    }

    @Test func escapesMarkupInTextAndId() throws {
        let doc = try process("标题<script>alert(1)</script>＆ A&B \"引\" 'x'\n上海市政府。", id: "a<b>&\"c'.txt")
        let html = page(doc)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(visibleText(html, showEdits: false).hasPrefix("标题<script>alert(1)</script>＆ A&B"))
        #expect(main(html).hasPrefix("<p>标题&lt;script&gt;alert("))
        #expect(html.contains("A&amp;B"))
        #expect(html.contains("&quot;引&quot; &#39;x&#39;"))
        #expect(html.contains("<title>a&lt;b&gt;&amp;&quot;c&#39;.txt · hanpipe</title>"))
        #expect(html.contains("<h1>a&lt;b&gt;&amp;&quot;c&#39;.txt</h1>"))
        // No raw & outside a character reference.
        var rest = Substring(html)
        while let amp = rest.firstIndex(of: "&") {
            let tail = rest[amp...]
            #expect(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains { tail.hasPrefix($0) }, "\(tail.prefix(12))")
            rest = rest[rest.index(after: amp)...]
        }
    }

    @Test func escapeFunction() {
        #expect(HTMLWriter.escape("<a href=\"x\" title='y'>&amp;</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;")
        #expect(HTMLWriter.escape("上\u{200B}海\u{1}") == "上⟨U+200B⟩海⟨U+0001⟩")
    }

    @Test func everyEntityAndNumberIsHighlighted() throws {
        let doc = try process("国务院办公厅发文后，上海市生态环境局局长张伟在嘉定区召开会议。示范区投资3.5亿元，增长百分之十五。")
        let html = page(doc)
        #expect(doc.entities.count >= 3)
        #expect(doc.numbers.count >= 2)
        for e in doc.entities {
            let tag = e.type.rawValue
            #expect(html.contains("<mark class=\"\(tag.lowercased())\" title=\"\(tag)\">\(HTMLWriter.escape(e.text))<span class=\"t\">\(tag)</span></mark>"), "\(e.text)")
        }
        for m in doc.numbers {
            #expect(html.contains("\">\(HTMLWriter.escape(m.text))<span class=\"t\">NUM</span></mark>"), "\(m.text)")
        }
        #expect(html.contains("<mark class=\"num\" title=\"money 350000000 元\">3.5亿元"))
        #expect(markTexts(html, classes: ["per", "loc", "org"]) == doc.entities.map(\.text))
        // Counts in the header.
        let s = HTMLWriter.Summary(doc)
        #expect(html.contains("\(s.per) PER</span> · <span class=\"loc\">\(s.loc) LOC</span> · <span class=\"org\">\(s.org) ORG"))
        #expect(s.per + s.loc + s.org == doc.entities.count)
    }

    @Test func cleanTextWithEditsHiddenSourceWithEditsShown() throws {
        // Glosses (degloss), full-width digits (normalize), a trailing space (normalize), a CR-free text.
        let source = "長三角(jiao)毗鄰地區生(sheng)(sheng)態(tai)環(huan)境(jing)，廳(局)會同１２３家單位 \n第二行。第二句。"
        let doc = try process(source, .keep)
        #expect(!doc.edits.isEmpty)
        let html = page(doc)
        #expect(visibleText(html, showEdits: false) == doc.text.string)
        #expect(visibleText(html, showEdits: true) == source)
        #expect(html.contains("<del class=\"e degloss\" title=\"degloss: removed\">(sheng)(sheng)</del>")
                || html.contains("<del class=\"e degloss\" title=\"degloss: removed\">(sheng)</del>"))
        #expect(html.contains("<ins class=\"e normalize\""))
        #expect(html.contains("<del class=\"e normalize\" title=\"normalize: removed\">␣</del>"))
        // Converted text too: the page shows the clean (Simplified) text.
        let simplified = try process(source)
        #expect(visibleText(page(simplified), showEdits: false) == simplified.text.string)
    }

    @Test func sentenceBoundariesInsideLines() throws {
        let doc = try process("第一句。第二句！第三句？\n第四句。")
        let html = main(page(doc))
        #expect(doc.sentences.count == 4)
        // Two boundaries inside the first line; none at a line start.
        #expect(html.components(separatedBy: "<span class=\"sb\"").count - 1 == 2)
    }

    @Test func selfContainedAndDeterministic() throws {
        let doc = try process("【谷騰環保網訊】長三角(jiao)毗鄰地區生(sheng)態(tai)環境共保聯治，上海市生态环境局http://example.com/x.png")
        let bytes = HTMLWriter.article(doc)
        let html = String(decoding: bytes, as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">"))
        // The only URL-like text is the escaped page text itself, never a reference.
        let outsideMain = html.replacingOccurrences(of: main(html), with: "")
        for needle in ["http://", "https://", "src=", "<script", "<link", "url(", "@import", "<img", "<iframe"] {
            #expect(!outsideMain.contains(needle), "\(needle)")
        }
        for needle in ["src=", "<script", "<link", "href=", "<img"] { #expect(!html.contains(needle), "\(needle)") }
        #expect(HTMLWriter.article(doc) == bytes)
        #expect(HTMLWriter.article(try process("【谷騰環保網訊】長三角(jiao)毗鄰地區生(sheng)態(tai)環境共保聯治，上海市生态环境局http://example.com/x.png")) == bytes)
    }

    @Test func percentEncodesLinks() {
        #expect(HTMLWriter.percentEncodePath("news/a b#1?.html") == "news/a%20b%231%3F.html")
        #expect(HTMLWriter.percentEncodePath("新闻/长三角.html") == "%E6%96%B0%E9%97%BB/%E9%95%BF%E4%B8%89%E8%A7%92.html")
        #expect(HTMLWriter.percentEncodePath("javascript:alert(1)") == "javascript%3Aalert%281%29")
        #expect(HTMLWriter.percentEncodePath("100%&'\".html") == "100%25%26%27%22.html")
    }

    @Test func indexListsEveryInputWithCountsAndLinks() throws {
        let a = try process("上海市生态环境局局长张伟在嘉定区召开会议。", id: "news/a b#1?.txt")
        let b = try process("长三角(jiao)投资3.5亿元。", id: "新闻/<b>&.txt")
        let entries = [
            HTMLWriter.IndexEntry(summary: .init(b), link: "新闻/<b>&.html"),
            HTMLWriter.IndexEntry(summary: .init(a), link: "news/a b#1?.html"),
        ]
        let bytes = HTMLWriter.index(entries, title: "out")
        let html = String(decoding: bytes, as: UTF8.self)
        #expect(HTMLWriter.index(entries.reversed(), title: "out") == bytes, "row order does not depend on input order")
        #expect(html.contains("<a href=\"news/a%20b%231%3F.html\">news/a b#1?.txt</a>"))
        #expect(html.contains("<a href=\"%E6%96%B0%E9%97%BB/%3Cb%3E%26.html\">新闻/&lt;b&gt;&amp;.txt</a>"))
        #expect(html.range(of: "news/a%20b")!.lowerBound < html.range(of: "%E6%96%B0")!.lowerBound)
        let sa = HTMLWriter.Summary(a)
        #expect(html.contains("</a></td><td>\(sa.sentences)</td><td>\(sa.per)</td><td>\(sa.loc)</td><td>\(sa.org)</td><td>\(sa.numbers)</td><td>\(sa.edits)</td>"))
        let sb = HTMLWriter.Summary(b)
        #expect(sb.edits == 1 && sb.numbers == 1)
        #expect(html.contains("<td class=\"id\">total</td><td>\(sa.sentences + sb.sentences)</td>"))
        #expect(html.contains("<p class=\"counts\">2 documents</p>"))
        #expect(!html.contains("http") && !html.contains("<script"))
    }
}

/// The visible text (removed text hidden, type labels dropped) of each outermost `<mark>` of the given
/// classes in `<main>`, in page order.
func markTexts(_ html: String, classes: [String]) -> [String] {
    let t = HTMLWriterTests()
    let body = t.main(html)
    var result: [String] = []
    var rest = Substring(body)
    while let start = rest.range(of: "<mark class=\"") {
        let cls = rest[start.upperBound...].prefix { $0 != "\"" }
        guard classes.contains(String(cls)) else { rest = rest[start.upperBound...]; continue }
        var depth = 0
        var i = start.lowerBound
        var end = rest.endIndex
        while i < rest.endIndex {
            if rest[i...].hasPrefix("<mark") { depth += 1 } else if rest[i...].hasPrefix("</mark>") {
                depth -= 1
                if depth == 0 { end = rest.index(i, offsetBy: 7); break }
            }
            i = rest.index(after: i)
        }
        var inner = String(rest[start.lowerBound..<end])
        inner = t.removeElements(inner, open: "<span class=\"t\">", close: "</span>")
        inner = t.removeElements(inner, open: "<del ", close: "</del>")
        result.append(t.stripTags(inner))
        rest = rest[end...]
    }
    return result
}

/// The seed article (../shared/seeds, present in the project's work tree but not in a fresh clone)
/// through the whole library pipeline: its page holds every entity's text and no remote reference. The
/// page and an index are left in `.build/pages/` for `Scripts/screenshot` to look at.
@Suite struct HTMLSeedPageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let seeds = root.deletingLastPathComponent().appendingPathComponent("shared/seeds")

    static var seedFiles: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: seeds, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "txt" }.sorted { $0.path < $1.path }
    }

    @Test(.enabled(if: !seedFiles.isEmpty, "../shared/seeds is not there"))
    func seedPages() throws {
        let out = Self.root.appendingPathComponent(".build/pages")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let job = Job(pipeline: try Pipeline(options: Pipeline.Options()))
        var entries: [HTMLWriter.IndexEntry] = []
        for file in Self.seedFiles {
            let doc = try job.document(id: file.lastPathComponent, bytes: Array(try Data(contentsOf: file)))
            let bytes = HTMLWriter.article(doc)
            let html = String(decoding: bytes, as: UTF8.self)
            #expect(!doc.entities.isEmpty && !doc.edits.isEmpty)
            #expect(markTexts(html, classes: ["per", "loc", "org"]) == doc.entities.map(\.text))
            for needle in ["http://", "https://", "src=", "<script", "<link", "url("] { #expect(!html.contains(needle)) }
            let name = file.deletingPathExtension().lastPathComponent + ".html"
            try Data(bytes).write(to: out.appendingPathComponent(name))
            entries.append(HTMLWriter.IndexEntry(summary: HTMLWriter.Summary(doc), link: name))
        }
        try Data(HTMLWriter.index(entries, title: "seeds")).write(to: out.appendingPathComponent("index.html"))
    }
}

@Suite struct HTMLStreamTests {
    @Test func streamedPageEqualsWholePage() throws {
        var options = Pipeline.Options()
        options.skip = ["entities", "numbers"]  // the tagger may see across a cut; these stages are local
        let job = Job(pipeline: try Pipeline(options: options), encoding: .utf8)
        let text = ChangeReportStreamTests.longText
        let whole = HTMLWriter.article(try job.document(id: "t", bytes: Array(text.utf8)))
        let docs = try ChangeReportStreamTests.chunks(text, job: job)
        #expect(docs.count > 100)
        let stream = HTMLWriter.Stream(id: "t", target: .simplified)
        for doc in docs { try stream.add(doc) }
        var bytes: [UInt8] = []
        try stream.write { bytes.append(contentsOf: $0) }
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: whole, as: UTF8.self))
        // One chunk: the same bytes as `article`.
        let doc = try job.document(id: "t", bytes: Array(text.utf8))
        let one = HTMLWriter.Stream(id: "t", target: .simplified)
        try one.add(doc)
        var oneBytes: [UInt8] = []
        try one.write { oneBytes.append(contentsOf: $0) }
        #expect(oneBytes == whole)
    }
}
