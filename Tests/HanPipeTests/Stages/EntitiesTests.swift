import Testing
@testable import HanPipe

/// These tests use the embedded model (Sources/CHanPipeData/data/ner-model.bin).
@Suite struct EntitiesTests {
    func annotate(_ s: String, _ target: Script = .simplified) throws -> Document {
        var options = Pipeline.Options()
        options.target = target
        return try Job(pipeline: try Pipeline(options: options)).document(id: "t", bytes: Array(s.utf8))
    }

    func has(_ doc: Document, _ text: String, _ type: Entity.Kind) -> Bool {
        doc.entities.contains { $0.text == text && $0.type == type }
    }

    @Test func findsOrganisationsPlacesAndPeople() throws {
        let doc = try annotate("国务院办公厅发文后，上海市生态环境局局长张伟在嘉定区召开会议。")
        #expect(has(doc, "国务院办公厅", .ORG) || has(doc, "国务院", .ORG))
        #expect(has(doc, "上海市生态环境局", .ORG))
        #expect(has(doc, "张伟", .PER))
        #expect(has(doc, "嘉定区", .LOC))
        for e in doc.entities {
            #expect(Array(doc.text[e.span.start..<e.span.end]).string == e.text)
        }
        // Flat and sorted.
        for (a, b) in zip(doc.entities, doc.entities.dropFirst()) { #expect(a.span.end <= b.span.start) }
    }

    @Test func traditionalInputGivesTheSameEntities() throws {
        let simplified = try annotate("江苏省生态环境厅和浙江省生态环境厅在昆山市开会。", .keep)
        let traditional = try annotate("江蘇省生態環境廳和浙江省生態環境廳在崑山市開會。", .keep)
        #expect(!simplified.entities.isEmpty)
        #expect(simplified.entities.map(\.span) == traditional.entities.map(\.span))
        #expect(simplified.entities.map(\.type) == traditional.entities.map(\.type))
        // `text` is the clean text, here still Traditional.
        #expect(traditional.entities.contains { $0.text == "江蘇省生態環境廳" })
    }

    @Test func sourceOffsetsSurviveCleaning() throws {
        // The gloss is removed by degloss, so clean and source offsets differ after it.
        let doc = try annotate("長三角(chang san jiao)的上海市生态环境局发布通知。")
        let e = try #require(doc.entities.first { $0.text == "上海市生态环境局" })
        let source = Array(doc.source[e.span.sourceStart..<e.span.sourceEnd]).string
        #expect(source == "上海市生态环境局")
        #expect(e.span.sourceStart > e.span.start)
    }

    @Test func noEntitiesInPlainText() throws {
        let doc = try annotate("建立健全一体化制度，推动共保联治。")
        #expect(doc.entities.isEmpty)
    }

    @Test func spansNeverHoldHalfABracketPair() {
        let text = Scalars(scalarsOf: "嘉善县生态环境局(分局)")
        #expect(Entities.balanced(0..<10, text) == 0..<8)      // 嘉善县生态环境局(分
        #expect(Entities.balanced(0..<12, text) == 0..<12)     // balanced: kept
        #expect(Entities.balanced(8..<12, text) == 8..<12)
        #expect(Entities.balanced(11..<12, text) == nil)       // only a closer
        #expect(Entities.balanced(10..<12, text) == 10..<11)   // 局) → 局
    }

    @Test func userModelFileIsRefusedWhenInvalid() {
        #expect(throws: (any Error).self) { try Entities(modelPath: "/nonexistent/model.bin") }
    }
}
