import Testing
@testable import HanPipe

@Suite struct EntityDictionaryTests {
    func parse(_ text: String, file: String = "ents.tsv") throws -> EntityDictionary {
        try EntityDictionary(bytes: Array(text.utf8), file: file)
    }

    func annotate(_ s: String, _ dictionaries: [EntityDictionary], target: Script = .keep) throws -> Document {
        var options = Pipeline.Options()
        options.target = target
        options.entityDictionaries = dictionaries
        return try Job(pipeline: try Pipeline(options: options)).document(id: "t", bytes: Array(s.utf8))
    }

    @Test func parsesTypesCommentsAndBlankLines() throws {
        let d = try parse("# my names\n谷腾环保网\tORG\r\n\n张三丰\tPER\n京津冀\tLOC  \n长三角\t-\n")
        #expect(d.entries.count == 4)
        #expect(d.entries[Scalars(scalarsOf: "谷腾环保网")] == .entity(.ORG))
        #expect(d.entries[Scalars(scalarsOf: "张三丰")] == .entity(.PER))
        #expect(d.entries[Scalars(scalarsOf: "京津冀")] == .entity(.LOC))
        #expect(d.entries[Scalars(scalarsOf: "长三角")] == .suppress)
        #expect(d.maxLength == 5)
    }

    @Test func badLinesNameTheFileAndLine() {
        #expect(throws: EntityDictionary.ParseError(file: "ents.tsv", line: 3, message: "unknown type 'CITY' (PER, LOC, ORG or -)")) {
            try parse("# header\n上海\tLOC\n浦东\tCITY\n")
        }
        #expect((try? parse("a\tLOC\nb\tCITY\n")) == nil)
        let missingTab = #expect(throws: EntityDictionary.ParseError.self) { try parse("上海\tLOC\n\n北京 LOC\n", file: "d/x.tsv") }
        #expect(missingTab?.description == "d/x.tsv:3: expected text<TAB>TYPE")
        let emptyText = #expect(throws: EntityDictionary.ParseError.self) { try parse("\tORG\n") }
        #expect(emptyText?.description == "ents.tsv:1: empty text")
        let lowerCase = #expect(throws: EntityDictionary.ParseError.self) { try parse("上海\tloc\n") }
        #expect(lowerCase?.description == "ents.tsv:1: unknown type 'loc' (PER, LOC, ORG or -)")
        let badUTF8 = #expect(throws: EntityDictionary.ParseError.self) {
            try EntityDictionary(bytes: Array("上海\tLOC\n".utf8) + [0xFF, 0x09] + Array("ORG\n".utf8), file: "ents.tsv")
        }
        #expect(badUTF8?.line == 2)
        #expect(throws: HanPipeError.self) { try EntityDictionary(path: "/nonexistent/ents.tsv") }
    }

    @Test func longestEntryWinsThenLeftmost() throws {
        let d = try EntityDictionary([("长三角", .suppress), ("长三角生态绿色一体化发展示范区执委会", .entity(.ORG)),
                                      ("AB", .entity(.ORG)), ("BCD", .entity(.LOC))])
        let text = Scalars(scalarsOf: "长三角生态绿色一体化发展示范区执委会和长三角；ABCD")
        let m = d.matches(in: text)
        #expect(m.map(\.range) == [0..<18, 19..<22, 24..<27])
        #expect(m.map(\.action) == [.entity(.ORG), .suppress, .entity(.LOC)])
    }

    @Test func laterEntriesAndDictionariesWin() throws {
        let d = try parse("京东\tLOC\n京东\tORG\n")
        #expect(d.entries[Scalars(scalarsOf: "京东")] == .entity(.ORG))
        let doc = try annotate("京东发布财报。", [d, try parse("京东\t-\n")])
        #expect(!doc.entities.contains { $0.text == "京东" })
    }

    @Test func entriesMatchEitherScript() throws {
        let traditionalEntry = try parse("谷騰環保網\tORG\n")
        #expect(traditionalEntry.entries[Scalars(scalarsOf: "谷腾环保网")] == .entity(.ORG))
        for text in ["【谷腾环保网讯】", "【谷騰環保網訊】"] {
            let doc = try annotate(text, [traditionalEntry])
            let e = try #require(doc.entities.first)
            #expect(e.type == .ORG)
            #expect(Array(doc.text[e.span.start..<e.span.end]).string == e.text)
            #expect(e.span.start == 1 && e.span.end == 6)
        }
    }

    /// The seed example: forced ORGs, a suppressed place, and the model around them.
    @Test func seedExample() throws {
        let d = try parse("长三角生态绿色一体化发展示范区执委会\tORG\n谷腾环保网\tORG\n长三角\t-\n")
        let text = "【谷騰環保網訊】長三角生態綠色一體化發展示範區執委會會同上海市生態環境局在長三角毗鄰地區召開現場會。"
        let doc = try annotate(text, [d])
        #expect(doc.entities.contains { $0.text == "谷騰環保網" && $0.type == .ORG })
        #expect(doc.entities.contains { $0.text == "長三角生態綠色一體化發展示範區執委會" && $0.type == .ORG })
        #expect(!doc.entities.contains { $0.text.hasPrefix("長三角") && $0.type == .LOC })
        #expect(!doc.entities.contains { $0.text.contains("谷騰") && $0.type == .PER })
        // The model still tags the rest, without overlapping a dictionary span.
        #expect(doc.entities.contains { $0.text == "上海市生態環境局" && $0.type == .ORG })
        for (a, b) in zip(doc.entities, doc.entities.dropFirst()) { #expect(a.span.end <= b.span.start) }
        // Simplified output gives the same spans.
        let simplified = try annotate(text, [d], target: .simplified)
        #expect(simplified.entities.map(\.span.start) == doc.entities.map(\.span.start))
        #expect(simplified.entities.contains { $0.text == "长三角生态绿色一体化发展示范区执委会" })
    }

    @Test func emptyDictionaryChangesNothing() throws {
        let text = "国务院办公厅发文后，上海市生态环境局局长张伟在嘉定区召开会议。"
        let plain = try annotate(text, [])
        let withEmpty = try annotate(text, [try parse("# nothing\n")])
        #expect(plain.entities == withEmpty.entities)
    }

    @Test func entrySpanningWhitespaceIsKept() throws {
        let d = try parse("AT&T Inc\tORG\n")
        let doc = try annotate("他在AT&T Inc工作。", [d])
        #expect(doc.entities.contains { $0.text == "AT&T Inc" && $0.type == .ORG })
    }
}
