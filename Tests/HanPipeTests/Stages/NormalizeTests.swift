import Testing
@testable import HanPipe

/// The normalize stage (spec, stage 2), alone and as the pipeline runs it (before degloss).
@Suite struct NormalizeTests {
    /// Runs normalize only.
    func normalize(_ s: String) throws -> Document {
        var doc = Document(id: "t", text: s)
        try Normalize().apply(to: &doc)
        return doc
    }

    /// The whole cleaning pipeline with `--to keep`.
    func clean(_ s: String) throws -> String {
        var options = Pipeline.Options()
        options.target = .keep
        options.annotate = false
        return try Job(pipeline: try Pipeline(options: options)).document(id: "t", bytes: Array(s.utf8)).text.string
    }

    @Test func fullWidthLettersAndDigitsBecomeHalfWidth() throws {
        #expect(try normalize("Ａ１").text.string == "A1")
        #expect(try normalize("ＢＹＤ的ＡＩ芯片").text.string == "BYD的AI芯片")
        #expect(try normalize("ｗｗｗ").text.string == "www")
    }

    @Test func fullWidthSymbolsInsideNumbers() throws {
        #expect(try normalize("２．５").text.string == "2.5")
        #expect(try normalize("１００％").text.string == "100%")
        #expect(try normalize("１／３").text.string == "1/3")
        #expect(try normalize("１，０００元").text.string == "1,000元")
        // Outside a number the full-width symbols are Chinese punctuation and stay.
        #expect(try normalize("好．").text.string == "好．")
        #expect(try normalize("一，二").text.string == "一，二")
        #expect(try normalize("％").text.string == "％")
    }

    @Test func chinesePunctuationAndBracketsKeepTheirWidth() throws {
        let s = "他说：“好！”（注：略。）【完】"
        #expect(try normalize(s).text.string == s)
        #expect(try normalize("(局)（局）").text.string == "(局)（局）")
    }

    @Test func zeroWidthAndControlCharactersAreRemoved() throws {
        #expect(try normalize("新\u{200B}能\u{200C}源\u{2060}车\u{FEFF}").text.string == "新能源车")
        #expect(try normalize("推\u{00AD}进\u{7}\u{1B}").text.string == "推进")
        #expect(try normalize("a\tb\nc").text.string == "a\tb\nc")
        // A zero-width joiner inside an emoji sequence is part of the emoji.
        #expect(try normalize("👨\u{200D}👩").text.string == "👨\u{200D}👩")
        #expect(try normalize("电\u{200D}池").text.string == "电池")
    }

    @Test func trailingSpacesAreTrimmed() throws {
        #expect(try normalize("一行  \n二行\t\n三行\u{3000}\n四 行 ").text.string == "一行\n二行\n三行\n四 行")
        #expect(try normalize("  缩进").text.string == "  缩进")
    }

    @Test func asciiPunctuationBetweenHanBecomesFullWidth() throws {
        #expect(try normalize("甲,乙;丙:丁?戊!己").text.string == "甲，乙；丙：丁？戊！己")
        #expect(try normalize("成果,38项").text.string == "成果,38项")
        #expect(try normalize("示范区!\n").text.string == "示范区!\n")
        #expect(try normalize("A,B").text.string == "A,B")
        #expect(try normalize("好, 好").text.string == "好, 好")
    }

    @Test func punctuationIsJudgedOnceGlossesAreRemoved() throws {
        #expect(try clean("使命(ming),生態") == "使命，生態")
        #expect(try clean("使命,(sheng)生態") == "使命,(sheng)生態") // (sheng) follows a comma: not a gloss
        #expect(try clean("核心(he xin),使命(ming)") == "核心，使命")
        #expect(try clean("人工智能(ai),生態") == "人工智能(ai),生態") // (ai) stays, so the comma follows ")"
    }

    /// Fixed bug: the Han neighbours of a mark were judged with zero-width and control characters still
    /// in place, so a second clean changed the output (`check` rejected clean text).
    @Test func punctuationIsJudgedWithoutRemovedCharacters() throws {
        #expect(try clean("好!\u{2060}看") == "好！看")
        #expect(try clean("了!\u{7}厅") == "了！厅")
        #expect(try clean("中\u{200B},文") == "中，文")
        #expect(try clean("中\u{200B}(zhong),文") == "中，文")
        #expect(try clean("中(ｚｈｏｎｇ),文") == "中，文")
    }

    /// Fixed bug: NFC ran before full-width letters were folded, and before zero-width characters were
    /// removed, so `Ｉ` U+0301 and `i` U+200B U+0301 came out as `I` U+0301, not NFC. (Compared as code
    /// points: Swift's `==` on strings would call both forms equal.)
    @Test func outputIsNFCAfterFoldingAndRemoval() throws {
        #expect(try normalize("Ｉ\u{301}").text == [0xCD])
        #expect(try normalize("Wei\u{200B}\u{301}").text == Scalars(scalarsOf: "We") + [0xED])
        #expect(try normalize("A\u{30A}\u{AD}\u{301}").text == [0x1FA])
    }

    @Test func nfc() throws {
        #expect(try normalize("Cafe\u{301}").text == Scalars(scalarsOf: "Caf") + [0xE9])
        #expect(try normalize("\u{1100}\u{1161}\u{11A8}").text == [0xAC01])
        // Compatibility characters are not folded (no NFKC): ㎡, ①, the ideographic full stop.
        #expect(try normalize("100㎡①。").text == Scalars(scalarsOf: "100㎡①。"))
    }

    @Test func editsNameNormalizeAndQuoteTheSource() throws {
        let doc = try normalize("２．５\u{200B}好,好")
        #expect(doc.text.string == "2.5好，好")
        // Adjacent changes of one stage make one edit.
        #expect(doc.edits.map(\.stage) == ["normalize", "normalize"])
        #expect(doc.edits.map(\.from) == ["２．５\u{200B}", ","])
        #expect(doc.edits.map(\.to) == ["2.5", "，"])
        #expect(doc.edits.map(\.sourceStart) == [0, 5])
        #expect(doc.edits.map(\.sourceEnd) == [4, 6])
    }

    @Test func cleanTextIsLeftAlone() throws {
        let s = "长三角毗邻地区生态环境共保联治制度复制推广现场会召开。\n第二段，2.5%。"
        let doc = try normalize(s)
        #expect(doc.text.string == s)
        #expect(doc.edits.isEmpty)
    }
}
