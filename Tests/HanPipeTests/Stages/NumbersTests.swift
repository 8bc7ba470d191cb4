import Foundation
import Testing
@testable import HanPipe

@Suite struct NumbersTests {
    /// Runs the numbers stage alone over `text` (no conversion, so Traditional input stays Traditional).
    func mentions(_ text: String) throws -> [NumberMention] {
        var doc = Document(id: "t", text: text)
        try Numbers().apply(to: &doc)
        return doc.numbers
    }

    /// The one mention of `text`, or a failure.
    func one(_ text: String) throws -> NumberMention {
        let ms = try mentions(text)
        #expect(ms.count == 1, "\(text): \(ms.map(\.text))")
        return try #require(ms.first)
    }

    func real(_ v: NumberMention.Value?) -> Double? {
        switch v {
        case let .integer(i)?: return Double(i)
        case let .real(d)?: return d
        default: return nil
        }
    }

    // MARK: Kinds and values

    @Test func arabicWithSeparatorsAndDecimals() throws {
        let ms = try mentions("共有1,234,567人参加，增长3.5%，长12.5米。")
        #expect(ms.map(\.text) == ["1,234,567人", "3.5%", "12.5米"])
        #expect(ms[0].value == .integer(1_234_567) && ms[0].unit == "人" && ms[0].kind == .cardinal)
        #expect(ms[1].value == .real(3.5) && ms[1].kind == .percent && ms[1].unit == nil)
        #expect(ms[2].value == .real(12.5) && ms[2].kind == .decimal && ms[2].unit == "米")
    }

    @Test func approximatePairsTimesAPower() throws {
        let ms = try mentions("来了五六十人，花了三四百元，有五六万人。")
        #expect(ms.map(\.text) == ["五六十人", "三四百元", "五六万人"])
        #expect(ms.map(\.value) == [.integer(50), .integer(300), .integer(50000)])
        #expect(ms.map(\.high) == [.integer(60), .integer(400), .integer(60000)])
        #expect(ms.allSatisfy { $0.approximate })
    }

    @Test func chineseNumerals() throws {
        #expect(try one("形成一百三十六项成果").value == .integer(136))
        #expect(try one("两千六百人").value == .integer(2600))
        #expect(try one("兩千六").value == .integer(2600))
        #expect(try one("三万五").value == .integer(35000))
        #expect(try one("一百二十万三").value == .integer(1_203_000))
        #expect(try one("一亿五千万零六千三百五十五").value == .integer(150_006_355))
        #expect(try one("一千零一十").value == .integer(1010))
        #expect(try one("卅年").value == .integer(30))
        #expect(try one("零点零一").value == .real(0.01))
        #expect(try one("负十一").value == .integer(-11))
        #expect(try one("二〇〇二年").value == .date("2002"))
    }

    @Test func financialNumeralsInBothScripts() throws {
        let s = try one("金额：壹仟贰佰叁拾肆元整。")
        #expect(s.text == "壹仟贰佰叁拾肆元整" && s.value == .integer(1234) && s.kind == .money && s.unit == "元")
        let t = try one("金額：貳拾參圓")
        #expect(t.value == .integer(23) && t.kind == .money)
        let u = try one("玖仟陆佰陆拾伍圆壹角捌分")
        #expect(real(u.value) == 9665.18)
        #expect(try one("壹佰壹拾壹").value == .integer(111))
    }

    @Test func mixedArabicAndChinese() throws {
        let ms = try mentions("吸引4万人，投资3.5亿元，规模1.2万亿，另有100万三千")
        #expect(ms.map(\.text) == ["4万人", "3.5亿元", "1.2万亿", "100万三千"])
        #expect(ms[0].value == .integer(40_000) && ms[0].unit == "人")
        #expect(ms[1].value == .integer(350_000_000) && ms[1].kind == .money && ms[1].unit == "元")
        #expect(ms[2].value == .integer(1_200_000_000_000))
        #expect(ms[3].value == .integer(1_003_000))
    }

    @Test func percentages() throws {
        let ms = try mentions("上涨15%，下降百分之十五，占百分之3.5，百分之负三点八")
        #expect(ms.map(\.text) == ["15%", "百分之十五", "百分之3.5", "百分之负三点八"])
        #expect(ms.allSatisfy { $0.kind == .percent })
        #expect(ms.map { real($0.value)! } == [15, 15, 3.5, -3.8])
    }

    @Test func fractions() throws {
        let a = try one("约占三分之一")
        #expect(a.text == "三分之一" && a.kind == .fraction && real(a.value)! == 1.0 / 3.0)
        let b = try one("概率是1/3。")
        #expect(b.text == "1/3" && b.kind == .fraction && real(b.value)! == 1.0 / 3.0)
        #expect(real(try one("十分之一").value) == 0.1)
    }

    @Test func ordinals() throws {
        let a = try one("第三届大会")
        #expect(a.text == "第三届" && a.value == .integer(3) && a.unit == "届" && a.kind == .ordinal)
        let b = try one("排名第136，")
        #expect(b.text == "第136" && b.value == .integer(136) && b.kind == .ordinal && b.unit == nil)
    }

    @Test func ranges() throws {
        let ms = try mentions("持续3至5天，温度3-5度，三到五年，年产30万—40万公斤")
        #expect(ms.map(\.text) == ["3至5天", "3-5度", "三到五年", "30万—40万公斤"])
        #expect(ms.allSatisfy { $0.kind == .range })
        #expect(ms[0].value == .integer(3) && ms[0].high == .integer(5) && ms[0].unit == "天")
        #expect(ms[2].value == .integer(3) && ms[2].high == .integer(5) && ms[2].unit == "年")
        #expect(ms[3].value == .integer(300_000) && ms[3].high == .integer(400_000) && ms[3].unit == "公斤")
        let pair = try one("来了两三个人")
        #expect(pair.text == "两三个" && pair.kind == .range && pair.approximate && pair.high == .integer(3))
        // A score is not a range: the second number is smaller.
        #expect(try mentions("以3-1获胜").map(\.text) == ["3", "1"])
    }

    @Test func approximateForms() throws {
        let a = try one("示范区成立4年多来")
        #expect(a.text == "4年多" && a.value == .integer(4) && a.unit == "年" && a.approximate)
        let b = try one("十余人参加")
        #expect(b.text == "十余人" && b.value == .integer(10) && b.approximate)
        let c = try one("三十多个国家")
        #expect(c.text == "三十多个" && c.value == .integer(30) && c.unit == "个" && c.approximate)
        let d = try one("近百名学生")
        #expect(d.text == "近百名" && d.value == .integer(100) && d.approximate)
        let e = try one("收入100多万元")
        #expect(e.text == "100多万元" && e.value == .integer(1_000_000) && e.kind == .money && e.approximate)
        let f = try one("约2.5亿年前")
        #expect(f.text == "约2.5亿年" && f.value == .integer(250_000_000) && f.approximate)
        // 近 before a time span means "the last": not approximate, not part of the mention.
        let g = try one("近两年来")
        #expect(g.text == "两年" && !g.approximate)
        #expect(!(try one("一共136项").approximate))
    }

    @Test func money() throws {
        let ms = try mentions("捐款100美元、20欧元、¥100和$5，共3块钱")
        #expect(ms.map(\.text) == ["100美元", "20欧元", "¥100", "$5", "3块钱"])
        #expect(ms.allSatisfy { $0.kind == .money })
        #expect(ms.map(\.unit) == ["美元", "欧元", "¥", "$", "块钱"])
    }

    @Test func dates() throws {
        let ms = try mentions("2023年5月1日开幕，5月1日闭幕，2023年完成，二〇二三年五月一日，截至2023-05-01，5月份，22日")
        #expect(ms.map(\.text) == ["2023年5月1日", "5月1日", "2023年", "二〇二三年五月一日", "2023-05-01", "5月份", "22日"])
        #expect(ms.allSatisfy { $0.kind == .date })
        #expect(ms.map(\.value) == [.date("2023-05-01"), .date("--05-01"), .date("2023"), .date("2023-05-01"),
                                    .date("2023-05-01"), .date("--05"), .date("---22")])
        // A duration is not a date.
        let d = try one("历时五个月")
        #expect(d.kind == .cardinal && d.unit == "个月")
    }

    @Test func unitsArePartOfText() throws {
        let ms = try mentions("行驶5公里，运送3吨，三个城市，136项成果，增加0.2个百分点，零下四摄氏度")
        #expect(ms.map(\.text) == ["5公里", "3吨", "三个", "136项", "0.2个百分点", "零下四摄氏度"])
        #expect(ms.map(\.unit) == ["公里", "吨", "个", "项", "个百分点", "摄氏度"])
        #expect(ms[5].value == .integer(-4))
    }

    @Test func unitsAfterLargePowers() throws {
        let a = try one("建成100万千瓦发电机组")
        #expect(a.text == "100万千瓦" && a.value == .integer(1_000_000) && a.unit == "千瓦")
        let b = try one("行驶3千米")
        #expect(b.value == .integer(3) && b.unit == "千米")
        let c = try one("两千米")
        #expect(c.value == .integer(2000) && c.unit == "米")
    }

    @Test func determinersAndEvery() throws {
        #expect(try mentions("签约下一届，后一种观点，同一个地方").isEmpty)
        #expect(try one("每一条信息").text == "一条")
        #expect(try one("最后一站").text == "一站")
    }

    @Test func traditionalInput() throws {
        let ms = try mentions("已形成136項成果，兩個城市，投資1.5億美元，3萬人，第十九屆，一百三十六項")
        #expect(ms.map(\.text) == ["136項", "兩個", "1.5億美元", "3萬人", "第十九屆", "一百三十六項"])
        #expect(ms.map(\.unit) == ["項", "個", "美元", "人", "屆", "項"])
        #expect(ms[2].value == .integer(150_000_000) && ms[2].kind == .money)
        #expect(ms[3].value == .integer(30_000))
        #expect(ms[5].value == .integer(136))
    }

    @Test func measureWordsFromCEDICT() throws {
        // 手 (lots of shares) and 响 (strokes of a bell) come from CC-CEDICT's classifiers, not the hand list.
        #expect(MeasureWords.cedict.contains("手") && MeasureWords.cedict.contains("响"))
        let a = try one("成交量为7.47亿手，")
        #expect(a.text == "7.47亿手" && a.unit == "手" && a.value == .integer(747_000_000))
        #expect(try one("聆听第一响钟声").text == "第一响")
        // Excluded from the generated list: 一些, 一下, 一路 stay words.
        #expect(try mentions("一些人看了一下，一路顺风").isEmpty)
        #expect(try one("机电提灌机械22万台套").text == "22万台套")
    }

    @Test func bothEndsWithUnitsAreTwoMentions() throws {
        #expect(try mentions("从12岁到15岁").map(\.text) == ["12岁", "15岁"])
        #expect(try mentions("高60.5米至79.5米").map(\.text) == ["60.5米", "79.5米"])
        let r = try one("长10至30厘米")
        #expect(r.text == "10至30厘米" && r.kind == .range && r.high == .integer(30) && r.unit == "厘米")
    }

    @Test func numeralAndNounCompoundsAreNotCounts() throws {
        // A bare Chinese numeral before a noun (no measure word) is a compound; 号 keeps serial numbers.
        #expect(try mentions("成为十二使君之一").isEmpty)
        #expect(try one("天舟五号货运飞船").text == "五")
        #expect(try mentions("新一轮停火，新一代卫星").isEmpty)
    }

    @Test func countsWhereICUGluesTheNumeralOrUnit() throws {
        // ICU may glue a particle to the numeral (了三) or the measure word to the next word (家用).
        #expect(try one("村里兴办了三个企业，规模不大").text == "三个")
        #expect(try one("他有三个孩子").text == "三个")
        #expect(try one("150多家用人单位").text == "150多家")
        // The same idioms stay silent with the added measure words (丝 is left out: 一丝不苟).
        #expect(try mentions("一丝不苟，一丝一毫").isEmpty)
    }

    @Test func yearsAndDecades() throws {
        let a = try one("965年，吴昌文战死")
        #expect(a.kind == .date && a.value == .date("0965"))
        // A duration of three digits mid-sentence stays a count.
        #expect(try one("历时300年，").kind == .cardinal)
        let b = try one("于1980年代后停售")
        #expect(b.text == "1980年代" && b.unit == "年代" && b.value == .integer(1980))
    }

    // MARK: No false hits

    @Test func numeralsInsideOrdinaryWords() throws {
        for w in ["统一零售价", "一致", "一体化", "一些", "一起", "唯一", "一般", "万一", "长三角", "三心二意",
                  "一心一意", "一去二三里", "十分重要", "千万不要", "百姓", "一度", "一半"] {
            let ms = try mentions(w)
            #expect(ms.isEmpty, "\(w): \(ms.map(\.text))")
        }
        // Codes, versions and times are not numbers.
        #expect(try mentions("5G网络、PM2.5、版本1.2.3、10:30开会、formula_12").isEmpty)
        // Enumerators and vague quantities.
        #expect(try mentions("一、总体要求\n二是加强管理，数十人，上百人，几十个").isEmpty)
    }

    @Test func longNumeralRunsAreNotNumbers() throws {
        // A run longer than any numeral is no number, and reading it stays linear.
        #expect(try mentions(String(repeating: "一", count: 5000)).isEmpty)
        #expect(try mentions(String(repeating: "9", count: 5000)).isEmpty)
    }

    @Test func mentionsAreOrderedAndMatchTheirTextOnNumeralSoup() throws {
        // Pseudo-random strings over numeral characters, units and punctuation (fixed seed): mentions
        // must not overlap, must come in order, and must hold exactly their span's text.
        let alphabet = Array("零〇一二两兩三四五六七八九十百千万亿廿卅壹贰叁拾佰仟第约近负点分之多余来几个项年月日号元%.-—至到,0123456789 统长角的人吨公里¥$。，")
        var seed: UInt64 = 42
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        for _ in 0..<500 {
            let text = String((0..<(1 + next() % 40)).map { _ in alphabet[next() % alphabet.count] })
            var doc = Document(id: "r", text: text)
            try Numbers().apply(to: &doc)
            var end = 0
            for m in doc.numbers {
                #expect(m.span.start >= end && m.span.end > m.span.start, "\(text)")
                #expect(doc.text[m.span.start..<m.span.end].string == m.text, "\(text)")
                end = m.span.end
            }
        }
    }

    @Test func idiomListYieldsNoMention() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/numbers/idioms.txt")
        let list = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(list.count >= 150)
        for idiom in list {
            for text in [idiom, "他们说\(idiom)。"] {
                let ms = try mentions(text)
                #expect(ms.isEmpty, "\(text): \(ms.map(\.text))")
            }
        }
    }

    // MARK: Offsets

    /// An excerpt of the seed article (Traditional, ASCII comma, pinyin glosses), through the whole
    /// pipeline: offsets must point at the mention in the clean text and in the source.
    @Test func seedExcerptOffsets() throws {
        let source = "示范區(qu)成立4年多來,已形成136項(xiang)具(ju)有(you)開創性(xing)的一(yi)體(ti)(ti)化制(zhi)度(du)創新(xin)(xin)成果,"
            + "38項(xiang)面(mian)向(xiang)全國復(fu)(fu)制(zhi)推(tui)(tui)廣(guang)。其中(zhong),生態環境制度創新21項,向全國復制推廣8項。"
        for target in [Script.simplified, .keep] {
            var options = Pipeline.Options()
            options.target = target
            options.skip = ["entities"]
            let doc = try Job(pipeline: try Pipeline(options: options)).document(id: "seed", bytes: Array(source.utf8))
            let src = Array(source.unicodeScalars)
            let expected = target == .keep ? ["4年多", "136項", "38項", "21項", "8項"] : ["4年多", "136项", "38项", "21项", "8项"]
            #expect(doc.numbers.map(\.text) == expected)
            #expect(doc.numbers.map(\.value) == [.integer(4), .integer(136), .integer(38), .integer(21), .integer(8)])
            #expect(doc.numbers[0].approximate && doc.numbers.dropFirst().allSatisfy { !$0.approximate })
            for m in doc.numbers {
                #expect(doc.text[m.span.start..<m.span.end].string == m.text)
                // The source span holds the same characters in the source script, glosses excluded here
                // because none falls inside a mention.
                let inSource = String(String.UnicodeScalarView(src[m.span.sourceStart..<m.span.sourceEnd]))
                #expect(inSource == expected[doc.numbers.firstIndex(of: m)!].replacingOccurrences(of: "项", with: "項"))
            }
            #expect(doc.numbers[0].span.sourceStart == 9 && doc.numbers[0].span.sourceEnd == 12)
            #expect(doc.numbers[1].span.sourceStart == 17 && doc.numbers[1].span.sourceEnd == 21)
        }
    }

    @Test func spanOverGlossCoversTheGloss() throws {
        let source = "形成一(yi)批成果"
        var options = Pipeline.Options()
        options.target = .keep
        options.skip = ["entities"]
        let doc = try Job(pipeline: try Pipeline(options: options)).document(id: "g", bytes: Array(source.utf8))
        let m = try #require(doc.numbers.first)
        #expect(m.text == "一批" && m.span.start == 2 && m.span.end == 4)
        #expect(m.span.sourceStart == 2 && m.span.sourceEnd == 8) // 一(yi)批
    }

    @Test func jsonFields() throws {
        var doc = Document(id: "j", text: "成立4年多，3至5人")
        try Numbers().apply(to: &doc)
        let json = String(decoding: JSONWriter.document(doc), as: UTF8.self)
        #expect(json.contains(#"{"start": 2, "end": 5, "source_start": 2, "source_end": 5, "text": "4年多", "value": 4, "unit": "年", "kind": "cardinal", "approximate": true}"#))
        #expect(json.contains(#""text": "3至5人", "value": 3, "high": 5, "unit": "人", "kind": "range"}"#))
    }
}
