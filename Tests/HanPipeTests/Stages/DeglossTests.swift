import Testing
@testable import HanPipe

@Suite struct DeglossTests {
    func clean(_ s: String, _ target: Script = .keep) throws -> String {
        var options = Pipeline.Options()
        options.target = target
        options.annotate = false
        let job = Job(pipeline: try Pipeline(options: options))
        return try job.document(id: "t", bytes: Array(s.utf8)).text.string
    }

    @Test func removesRepeatedAndToneGlosses() throws {
        #expect(try clean("生(sheng)(sheng)態(tai)") == "生態")
        #expect(try clean("長(cháng)城") == "長城")
        #expect(try clean("長(chang2)城") == "長城")
        #expect(try clean("女(nü)人(ren)") == "女人")
        #expect(try clean("女(nv)女(nu:)") == "女女")
    }

    @Test func keepsRealParentheticals() throws {
        #expect(try clean("生態環境廳(ting)(局)") == "生態環境廳(局)")
        #expect(try clean("世界衛生組織(WHO)") == "世界衛生組織(WHO)")
        #expect(try clean("人工智能(ai)") == "人工智能(ai)")
        #expect(try clean("北京(Beijing)") == "北京(Beijing)")
        #expect(try clean("成立(2023)") == "成立(2023)")
    }

    @Test func multiSyllableAndNested() throws {
        #expect(try clean("長三角(chang san jiao)") == "長三角")
        #expect(try clean("長三角(changsanjiao)") == "長三角")
        #expect(try clean("(上海市(shi)金山區,浙江(jiang)省)") == "(上海市金山區，浙江省)")
    }

    @Test func zhuyin() throws {
        #expect(try clean("中(ㄓㄨㄥ)文(ㄨㄣˊ)") == "中文")
    }

    @Test func fullWidthBrackets() throws {
        #expect(try clean("長三角（jiao）毗鄰") == "長三角毗鄰")
        #expect(try clean("銀行（yínháng）和保險公司（見附表）") == "銀行和保險公司（見附表）")
        #expect(try clean("（上海市（shi）金山區）") == "（上海市金山區）")
    }

    @Test func everyPinyinSpelling() throws {
        #expect(try clean("公交(gong1 jiao1)") == "公交")
        #expect(try clean("長三角(chang2san1jiao3)") == "長三角")
        #expect(try clean("綠(lu:4)色") == "綠色")
        #expect(try clean("綠(lü)色") == "綠色")
        #expect(try clean("綠(lv)色") == "綠色")
        #expect(try clean("略(lüè)") == "略")
        #expect(try clean("西安(xi'an)") == "西安")
        #expect(try clean("長三角(chang-san-jiao)") == "長三角")
        #expect(try clean("的(de5)") == "的")
    }

    @Test func anyReadingOfAPolyphonicCharacterCounts() throws {
        #expect(try clean("長(zhang)輩長(chang)城") == "長輩長城")
        #expect(try clean("行(hang)業行(xing)走") == "行業行走")
        #expect(try clean("重(chong)慶重(zhong)要") == "重慶重要")
        #expect(try clean("长(chang)城", .traditional) == "長城")
        #expect(try clean("長(chang)城", .simplified) == "长城")
    }

    @Test func zhuyinWithToneMarks() throws {
        #expect(try clean("符號(ㄈㄨˊ ㄏㄠˋ)") == "符號")
        #expect(try clean("長(ㄔㄤˊ)城長(ㄓㄤˇ)輩") == "長城長輩")
        #expect(try clean("的(˙ㄉㄜ)") == "的")
        #expect(try clean("注音符號（ㄅㄆㄇㄈ）") == "注音符號（ㄅㄆㄇㄈ）")
    }

    @Test func chainsOfGlosses() throws {
        #expect(try clean("制(zhi)(zhi)(zhi)(zhi)(zhi)(zhi)度") == "制度")
        #expect(try clean("生(sheng)(shēng)(sheng1)(ㄕㄥ)態") == "生態")
        #expect(try clean("水務(wu)(利)") == "水務(利)")
        // A real parenthetical breaks the chain: what follows it does not follow a Han character.
        #expect(try clean("廳(局)(ju)") == "廳(局)(ju)")
    }

    @Test func glossesCoverTheLastCharactersOnly() throws {
        #expect(try clean("生態環境(huan jing)") == "生態環境")
        #expect(try clean("長三角(chang san)") == "長三角(chang san)")
        #expect(try clean("研究機構(ji)") == "研究機構(ji)")
        #expect(try clean("長三角(chang san jiao de)") == "長三角(chang san jiao de)")
    }

    @Test func whatStays() throws {
        #expect(try clean("細顆粒物(PM2.5)") == "細顆粒物(PM2.5)")
        #expect(try clean("李偉(Li Wei)") == "李偉(Li Wei)")
        #expect(try clean("長城(Chang)") == "長城(Chang)")
        #expect(try clean("長城(CHANG)") == "長城(CHANG)")
        #expect(try clean("長(chang6)") == "長(chang6)")
        #expect(try clean("中心(center)") == "中心(center)")
        #expect(try clean("大數據(big data)") == "大數據(big data)")
        #expect(try clean("修正(2018年修正)") == "修正(2018年修正)")
        #expect(try clean("長()") == "長()")
        #expect(try clean("ABC(chang)") == "ABC(chang)")
        #expect(try clean("長 (chang)") == "長 (chang)")
        #expect(try clean("(chang)長") == "(chang)長")
        #expect(try clean("長(chang") == "長(chang")
        #expect(try clean("長(ㄔㄤchang)") == "長(ㄔㄤchang)")
    }

    @Test func keepGlossesSkipsTheStage() throws {
        var options = Pipeline.Options()
        options.target = .keep
        options.keepGlosses = true
        options.annotate = false
        let pipeline = try Pipeline(options: options)
        #expect(!pipeline.names.contains("degloss"))
        #expect(try Job(pipeline: pipeline).document(id: "t", bytes: Array("長(chang)城".utf8)).text.string == "長(chang)城")
    }

    @Test func removedGlossesAreEdits() throws {
        var doc = Document(id: "t", text: "長(chang)三角（jiao）")
        try Degloss().apply(to: &doc)
        #expect(doc.text.string == "長三角")
        #expect(doc.edits == [
            Edit(stage: "degloss", sourceStart: 1, sourceEnd: 8, from: "(chang)", to: ""),
            Edit(stage: "degloss", sourceStart: 10, sourceEnd: 16, from: "（jiao）", to: ""),
        ])
    }
}
