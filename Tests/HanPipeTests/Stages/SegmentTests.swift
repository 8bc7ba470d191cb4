import Testing
@testable import HanPipe

/// The segment stage (spec, stage 5): ICU sentence breaks, a line break always ends a sentence, opening
/// quotes and brackets start the next sentence, closing ones stay with theirs.
@Suite struct SegmentTests {
    /// The sentences of `s`, as strings, with the text run through segment only.
    func sentences(_ s: String) throws -> [String] {
        var doc = Document(id: "t", text: s)
        try Segment().apply(to: &doc)
        return doc.sentences.map { Array(doc.text[$0.start..<$0.end]).string }
    }

    @Test func specQuoteCases() throws {
        #expect(try sentences("他說。“好！”") == ["他說。", "“好！”"])
        #expect(try sentences("“我們走吧。”") == ["“我們走吧。”"])
        #expect(try sentences("她答。（注：略。）") == ["她答。", "（注：略。）"])
    }

    @Test func openersOfEveryKindStartTheNextSentence() throws {
        #expect(try sentences("他問。「你好嗎？」她笑了。") == ["他問。", "「你好嗎？」", "她笑了。"])
        #expect(try sentences("讀完了。《紅樓夢》很長。") == ["讀完了。", "《紅樓夢》很長。"])
        #expect(try sentences("見下文。【編者按】此文轉載。") == ["見下文。", "【編者按】此文轉載。"])
        #expect(try sentences("結束了。『好』") == ["結束了。", "『好』"])
    }

    @Test func closingQuotesStayWithTheirSentence() throws {
        #expect(try sentences("“我們走吧。”司機說。") == ["“我們走吧。”", "司機說。"])
        #expect(try sentences("他說：「好！」然後走了。") == ["他說：「好！」", "然後走了。"])
        #expect(try sentences("（完。）下一篇。") == ["（完。）", "下一篇。"])
    }

    @Test func aLineBreakAlwaysEndsASentence() throws {
        #expect(try sentences("標題沒有句號\n正文第一句。第二句！") == ["標題沒有句號", "正文第一句。", "第二句！"])
        #expect(try sentences("一行，\n還是一行") == ["一行，", "還是一行"])
        #expect(try sentences("第一行（注\n第二行）") == ["第一行（注", "第二行）"])
    }

    @Test func blankLinesAndSpacesGiveNoSentence() throws {
        #expect(try sentences("\n\n第一段。\n\n\n第二段。\n") == ["第一段。", "第二段。"])
        #expect(try sentences("  前後有空格。  ") == ["前後有空格。"])
        #expect(try sentences("   \n\t\n").isEmpty)
        #expect(try sentences("").isEmpty)
    }

    @Test func terminators() throws {
        #expect(try sentences("真的嗎？真的！好吧。") == ["真的嗎？", "真的！", "好吧。"])
        #expect(try sentences("他說……然後呢？") == ["他說……然後呢？"])
        #expect(try sentences("增長5.2%。下降3.1%。") == ["增長5.2%。", "下降3.1%。"])
    }

    @Test func characterOutsideTheBMPKeepsOffsetsInCodePoints() throws {
        var doc = Document(id: "t", text: "𠀀好。😀對。")
        try Segment().apply(to: &doc)
        #expect(doc.sentences.map(\.start) == [0, 3])
        #expect(doc.sentences.map(\.end) == [3, 6])
    }

    @Test func sentenceSourceOffsetsFollowEarlierEdits() throws {
        var options = Pipeline.Options()
        options.target = .keep
        let job = Job(pipeline: try Pipeline(options: options))
        let doc = try job.document(id: "t", bytes: Array("長(chang)城。\r\n他說。“好！”".utf8))
        #expect(doc.text.string == "長城。\n他說。“好！”")
        #expect(doc.sentences.map { Array(doc.text[$0.start..<$0.end]).string } == ["長城。", "他說。", "“好！”"])
        #expect(doc.sentences.map(\.sourceStart) == [0, 12, 15])
        #expect(doc.sentences.map(\.sourceEnd) == [10, 15, 19])
    }
}
