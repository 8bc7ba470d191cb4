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

    @Test func placeAbbreviationSpelledOutInBracketsIsOneLOC() {
        let text = Scalars(scalarsOf: "“金嘉平”(上海市金山区，浙江省嘉兴市、平湖市)三地")
        // The tagger's spans: 金嘉平 as PER, the places inside the brackets as LOC.
        let spans: [(range: Range<Int>, type: Int)] = [(1..<4, 0), (6..<9, 1), (9..<12, 1), (13..<16, 1), (16..<19, 1), (20..<23, 1)]
        let out = Entities.placeAbbreviations(spans, text, free: { _ in true })
        #expect(out.first.map { $0.range == 1..<4 && $0.type == 1 } == true)
        #expect(out.count == spans.count)
        // Characters that do not start the places in order: unchanged.
        let other = Scalars(scalarsOf: "“金平嘉”(上海市金山区，浙江省嘉兴市、平湖市)三地")
        #expect(Entities.placeAbbreviations(spans, other, free: { _ in true }).first?.type == 0)
        // A dictionary span wins.
        #expect(Entities.placeAbbreviations(spans, text, free: { _ in false }).first?.type == 0)
    }

    @Test func listedCompanyTheModelMissedIsOneORG() {
        // Two names, 6..<10 and 13..<17, with tagged spans inside them (as `东方` ORG of `东方日升`, and `泰`
        // and `盛` LOC of `泰盛制药`): the names replace them.
        let spans: [(range: Range<Int>, type: Int)] = [(6..<8, 2), (13..<14, 1), (14..<15, 1)]
        let companies = [6..<10, 13..<17]
        let out = Entities.listedCompanies(spans, companies, free: { _ in true })
        #expect(out.map(\.range) == [6..<10, 13..<17])
        #expect(out.allSatisfy { $0.type == 2 })
        // A span that crosses the name's edge, or is the name itself, wins; so does a dictionary span.
        let crossing: [(range: Range<Int>, type: Int)] = [(4..<8, 1), (13..<17, 1)]
        let kept = Entities.listedCompanies(crossing, companies, free: { _ in true })
        #expect(kept.map(\.range) == [4..<8, 13..<17] && kept.map(\.type) == [1, 1])
        #expect(Entities.listedCompanies(spans, companies, free: { $0 != 6..<10 }).map(\.range) == [6..<8, 13..<17])
        // Spans before, between and after are kept in order.
        let around: [(range: Range<Int>, type: Int)] = [(0..<2, 0), (10..<12, 1), (20..<22, 0)]
        #expect(Entities.listedCompanies(around, companies, free: { _ in true }).map(\.range)
                == [0..<2, 6..<10, 10..<12, 13..<17, 20..<22])
    }

    @Test func marginIsZeroForTheModelsOwnSpanAndPositiveElse() throws {
        let model = try NERModel.bundled.get()
        let text = Scalars(scalarsOf: "他在中国银行上海分行工作。")
        var scratch = NERScratch()
        let breaker = try BreakIterator(.word, locale: "zh")
        let spans = try model.tag(text[...], scratch: &scratch, breaker: breaker)
        let org = try #require(spans.first { $0.type == 2 })
        #expect(Array(text[org.range]).string == "中国银行上海分行")
        #expect(model.margin(of: org.range, type: 2, window: 0..<text.count, scratch: &scratch) == 0)
        // 中国银行 alone as ORG, or 上海 as a place (decoded over a window), costs the model something.
        #expect(model.margin(of: 2..<6, type: 2, window: 0..<text.count, scratch: &scratch) > 0)
        #expect(model.margin(of: 6..<8, type: 1, window: 1..<12, scratch: &scratch) > 0)
    }

    @Test func listedCompaniesFromTheEmbeddedList() throws {
        let doc = try annotate("2008年1月至今任蓝色光标总经理，2010年起就职于东方日升。")
        #expect(has(doc, "蓝色光标", .ORG))
        #expect(has(doc, "东方日升", .ORG))
        // A listed name inside a longer tagged name is left to it.
        let longer = try annotate("他是东方日升新能源股份有限公司的董事。")
        #expect(has(longer, "东方日升新能源股份有限公司", .ORG))
        #expect(!has(longer, "东方日升", .ORG))
    }

    @Test func organisationsJoinedByAConnectiveAreTwo() throws {
        let model = try NERModel.bundled.get()
        func split(_ s: String) -> [String] {
            let text = Scalars(scalarsOf: s)
            return Entities.splitCoordinated([(0..<text.count, 2)], text, model: model)
                .map { Entities.withoutAlternativeSuffix($0, text, model: model) }
                .map { Array(text[$0.range]).string }
        }
        #expect(split("中华医学会和邮电总医院血管外科研究所") == ["中华医学会", "邮电总医院血管外科研究所"])
        #expect(split("生态环境厅(局)会同执委会") == ["生态环境厅", "执委会"])
        #expect(split("住房和城乡建设部") == ["住房和城乡建设部"])
        #expect(split("嘉善县生态环境局(分局)") == ["嘉善县生态环境局"])
        #expect(split("中国长江航运（集团）总公司") == ["中国长江航运（集团）总公司"])
        // A span that begins with the connective after a name the tagger left out.
        func after(_ s: String, _ name: String) -> [String] {
            let text = Scalars(scalarsOf: s), start = s.unicodeScalars.count - name.unicodeScalars.count
            return Entities.splitCoordinated([(start..<text.count, 2)], text, model: model).map { Array(text[$0.range]).string }
        }
        #expect(after("两省一市生态环境厅(局)会同执委会", "会同执委会") == ["执委会"])
        #expect(after("市政府联合市教育局", "联合市教育局") == ["市教育局"])
        #expect(after("他们会同执委会", "会同执委会") == ["会同执委会"])                 // no name before it
        #expect(after("湖南省人民政府和会同县人民政府", "会同县人民政府") == ["会同县人民政府"])  // 会同县 is a place
        #expect(after("中国银行和记黄埔", "和记黄埔") == ["和记黄埔"])                     // one character: kept
    }

    @Test func userModelFileIsRefusedWhenInvalid() {
        #expect(throws: (any Error).self) { try Entities(modelPath: "/nonexistent/model.bin") }
    }
}
