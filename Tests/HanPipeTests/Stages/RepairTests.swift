import Foundation
import Testing
@testable import HanPipe

/// The repair stage: mojibake undone, HTML character references decoded, clean text left alone, every
/// change a `repair` edit from which the source is rebuilt.
@Suite struct RepairTests {
    /// Runs repair alone; returns the document.
    func repaired(_ s: String) throws -> Document {
        var doc = Document(id: "t", text: s)
        try Repair().apply(to: &doc)
        return doc
    }

    /// Checks the text after repair, that every edit is a repair edit, and that the source is rebuilt
    /// exactly from the text and the edits.
    func expectRepair(_ input: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let doc = try repaired(input)
        #expect(doc.text.string == expected, "\(PropertyTests.escaped(input))", sourceLocation: sourceLocation)
        #expect(doc.edits.allSatisfy { $0.stage == "repair" }, sourceLocation: sourceLocation)
        #expect(PropertyTests.rebuild(doc) == doc.source, sourceLocation: sourceLocation)
        if input != expected { #expect(!doc.edits.isEmpty, sourceLocation: sourceLocation) }
    }

    // MARK: - HTML character references

    @Test func issueReferenceCases() throws {
        try expectRepair("记者&nbsp;王伟报道", "记者 王伟报道")
        try expectRepair("A&amp;B公司", "A&B公司")
        try expectRepair("&#20013;&#25991;新闻", "中文新闻")
        try expectRepair("&#x4E2D;&#x6587;", "中文")
        try expectRepair("&lt;b&gt;标题&lt;/b&gt;", "<b>标题</b>")
        try expectRepair("&ldquo;好&rdquo;", "“好”")
        try expectRepair("AT&T公司", "AT&T公司")
        try expectRepair("&unknown;词", "&unknown;词")
    }

    @Test func moreReferences() throws {
        try expectRepair("&quot;a&quot; &apos;b&apos; &lsquo;c&rsquo;", "\"a\" 'b' ‘c’")
        try expectRepair("等等&hellip;&mdash;张&middot;三", "等等…—张·三")
        try expectRepair("&#X4e2d;&#xfeff;", "中\u{FEFF}")
        try expectRepair("&#160;&#150;", " –") // numeric NBSP like &nbsp;, 0x80–0x9F as Windows-1252
        // Full HTML5 table: a name outside the short list, and one that stands for two characters.
        try expectRepair("&yen;100 &NotEqualTilde;", "¥100 \u{2242}\u{338}")
        // Left alone: no semicolon, unknown, invalid code points, controls, double escapes decoded once.
        try expectRepair("&amp &nbsp &#20013 &#; &#x; &x4E2D;", "&amp &nbsp &#20013 &#; &#x; &x4E2D;")
        try expectRepair("&#0;&#xD800;&#x110000;&#1;&#99999999;&#xFFFF;", "&#0;&#xD800;&#x110000;&#1;&#99999999;&#xFFFF;")
        try expectRepair("&amp;lt;", "&lt;")
        try expectRepair("&", "&")
        try expectRepair("a&", "a&")
    }

    // MARK: - Mojibake

    @Test func issueMojibakeCases() throws {
        try expectRepair("å\u{8F}‘å¸ƒ", "发布")     // UTF-8 read as Windows-1252 (browser style)
        try expectRepair("å‘å¸ƒ", "发布")           // the same with the undefined byte 0x8F dropped
        try expectRepair("·¢²¼", "发布")             // GBK read as Latin-1
        try expectRepair("鍙戝竷", "发布")             // UTF-8 read as GBK
        try expectRepair("璁㈤槄", "订阅")
        try expectRepair("â€œå¥½â€", "“好”")   // ” = E2 80 9D: 0x9D dropped, the likeliest completion put back
    }

    @Test func everyWay() throws {
        try expectRepair("ä¸\u{AD}æ–‡æ–°é—»", "中文新闻")                 // UTF-8 as Windows-1252
        try expectRepair("ä¸\u{AD}æ\u{96}\u{87}æ\u{96}°é\u{97}»", "中文新闻") // UTF-8 as Latin-1
        try expectRepair("¤¤¤å·s»Dµo¥¬", "中文新聞發布")                // Big5 as Latin-1 (ASCII trail bytes)
        try expectRepair("·¢²¼»á", "发布会")                             // GBK as Latin-1
        try expectRepair("鏂伴椈鍙戝竷浼", "新闻发布浼")                 // UTF-8 as GBK; a lone last byte stays
    }

    @Test func mojibakeInsideCleanText() throws {
        try expectRepair("新华社 ·¢²¼»á 报道", "新华社 发布会 报道")
        try expectRepair("hello ä¸\u{AD}æ–‡ café", "hello 中文 café")
        try expectRepair("记者：鍙戝竷会", "记者：发布会")
        try expectRepair("2023骞达紝", "2023年，")
    }

    @Test func cleanTextIsLeftAlone() throws {
        for s in ["café", "Müller", "Größe, Äpfel und Übung", "déjà vu, où ça?", "·", "«Le Monde»", "½ ¼ ¾", "×÷±°C 5°C",
                  "E·T·A·霍夫曼", "J·K·罗琳的书", "约翰·史密斯说“好”——真的…", "长三角毗邻地区生态环境共保联治制度",
                  "𠮷野家和龘、犇、骉、麤", "鍙", "锟斤拷", "Â", "Ã©", "©2023 版权所有®", "¥100，€20，£5",
                  "乾隆皇帝下江南", "生態環境廳發佈", "ÖÐ", "a·b", "“”‘’", "¡Hola! ¿Qué?", "café…", "é“好”", "Voilà… «déjà»"] {
            let doc = try repaired(s)
            #expect(doc.text.string == s, "\(PropertyTests.escaped(s)) became \(PropertyTests.escaped(doc.text.string))")
            #expect(doc.edits.isEmpty)
        }
    }

    @Test func offsetsPointAtTheGarbledCharacters() throws {
        var doc = Document(id: "t", text: "新闻：å\u{8F}‘å¸ƒ会")
        try Repair().apply(to: &doc)
        #expect(doc.text.string == "新闻：发布会")
        #expect(doc.span(3..<5) == Span(start: 3, end: 5, sourceStart: 3, sourceEnd: 9))
        #expect(doc.span(3..<4).sourceEnd == 6)
        #expect(doc.span(5..<6) == Span(start: 5, end: 6, sourceStart: 9, sourceEnd: 10))
        #expect(doc.edits.map(\.stage) == ["repair"])
        #expect(doc.edits.first.map { ($0.sourceStart, $0.sourceEnd, $0.to) } ?? (0, 0, "") == (3, 9, "发布"))
    }

    @Test func wholePipelineKeepsTheLaws() throws {
        let job = try PropertyTests.job(.keep)
        for s in ["记者&nbsp;王伟报道  \n·¢²¼»á&amp;鍙戝竷\n", "ä¸\u{AD}æ–‡ï¼Œhello&#x4E2D;", "&lt;&#20013;(zhong)&gt;"] {
            let doc = try job.document(id: "t", bytes: Array(s.utf8))
            #expect(PropertyTests.rebuild(doc) == doc.source, "\(PropertyTests.escaped(s))")
        }
    }

    /// Random text over an alphabet of mojibake material (Latin-1, Windows-1252, GBK debris, references,
    /// ASCII trail bytes, Han): repair never traps, its edits rebuild the source, and running it again
    /// on its own output changes nothing it could not decode the first time.
    @Test func randomMojibakeMaterialKeepsTheLaws() throws {
        let pieces = ["å", "¸", "ƒ", "\u{8F}", "‘", "ä", "­", "æ", "–", "‡", "·", "¢", "²", "¼", "»", "á", "¤", "µ", "o",
                      "¥", "¬", "鍙", "戝", "竷", "璁", "㈤", "槄", "骞", "紝", "&", "#", "x", "4E2D", "20013", ";", "amp",
                      "nbsp", "中", "文", "的", " ", "\n", "a", "@", "€", "â", "Ã", "©", "é", "ü", "\u{81}", "\u{9D}", "𠮷"]
        var rng = SplitMix64(seed: 13)
        for round in 0..<3000 {
            var s = ""
            for _ in 0..<Int(rng.next() % 24) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let doc = try repaired(s)
            #expect(PropertyTests.rebuild(doc) == doc.source, "round \(round): \(PropertyTests.escaped(s))")
            #expect(doc.edits.allSatisfy { $0.stage == "repair" && $0.from != $0.to })
        }
    }

    @Test func skipRepair() throws {
        var options = Pipeline.Options()
        #expect(try Pipeline(options: options).names.first == "repair")
        options.skip = ["repair"]
        #expect(try !Pipeline(options: options).names.contains("repair"))
        #expect(Pipeline.stageNames.first == "repair")
    }
}
