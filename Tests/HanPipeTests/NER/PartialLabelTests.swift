import Testing
@testable import HanPipe

extension NERExample {
    /// A gold example for tests: each (name, type) marks the first occurrence of name in text.
    static func labelled(_ text: String, _ entities: [(String, Int)]) -> NERExample {
        let s = Scalars(scalarsOf: text)
        var spans: [(range: Range<Int>, type: Int)] = []
        for (name, type) in entities {
            let n = Scalars(scalarsOf: name)
            let start = (0...(s.count - n.count)).first { Array(s[$0..<$0 + n.count]) == n }!
            spans.append((start..<start + n.count, type))
        }
        return NERExample(text: s, spans: spans)
    }
}

@Suite struct PartialLabelTests {
    func example(_ text: String, _ entities: [(String, Int)]) -> NERExample { .labelled(text, entities) }

    @Test func completeLabelsHaveNoMask() {
        #expect(example("张明在北京。", [("张明", 0), ("北京", 1)]).allowedTags() == nil)
    }

    @Test func unmarkedTypeIsFreeOutsideTheLabels() throws {
        // 腾讯 ORG and 马化腾 PER are given; 深圳 is not marked (the set has no LOC).
        var ex = example("马化腾在深圳的公司腾讯。", [("马化腾", 0), ("公司", 2), ("腾讯", 2)])
        ex.markPartial(unmarked: [1], nominal: ["公司"])
        let allowed = try #require(ex.allowedTags())
        let loc = NERTags.mask(of: 1), o = NERTags.bit(0)
        #expect(allowed[0] == NERTags.bit(NERTags.tag(0, .begin)))
        #expect(allowed[2] == NERTags.bit(NERTags.tag(0, .end)))
        #expect(allowed[4] == o | loc)                                  // 深: O or any LOC tag
        #expect(allowed[7] == o | loc | NERTags.mask(of: 2))            // 公 of the nominal 公司: optional
        #expect(allowed[9] == NERTags.bit(NERTags.tag(2, .begin)))      // 腾讯 stays ORG
        #expect(ex.optional == [1])
        // Scoring ignores the unmarked type.
        #expect(ex.scoredSpans.count == 3)
        var score = NERScore()
        score.add(predicted: [(0..<3, 0), (4..<6, 1), (9..<11, 2)], of: ex)
        #expect(score.predicted == [1, 0, 1])
        #expect(score.correct == [1, 0, 1])
    }

    /// A set without places must not teach that places are O: trained on full sentences with LOC and on
    /// partial ones without, the model keeps tagging the places of the partial sentences' kind.
    @Test func partialLabelsDoNotUnlearnTheUnmarkedType() throws {
        var train = [
            example("张明在北京工作。", [("张明", 0), ("北京", 1)]),
            example("李华去了上海。", [("李华", 0), ("上海", 1)]),
            example("王强在北京大学读书。", [("王强", 0), ("北京大学", 2)]),
        ]
        for text in ["张明去了北京。", "李华在上海工作。", "王强去了上海。"] {
            var ex = example(text, [(String(text.prefix(2)), 0)])
            ex.markPartial(unmarked: [1])
            train.append(ex)
        }
        var settings = NERTrainer.Settings()
        settings.epochs = 8
        settings.minCount = 1
        settings.prune = 0
        var places = Gazetteer()
        for name in ["北京", "上海"] { places.add(Scalars(scalarsOf: name), .division) }
        let bytes = try NERTrainer(settings: settings).train(train: train, dev: [("dev", Array(train[0..<3]))], gazetteer: places) { _ in }
        let model = try bytes.withUnsafeBytes { raw -> NERModel in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: raw.count, alignment: 16)
            buffer.copyMemory(from: raw)
            return try NERModel(bytes: UnsafeRawBufferPointer(buffer), owned: buffer)
        }
        var scratch = NERScratch()
        let got = try model.tag(Scalars(scalarsOf: "张明去了上海。")[...], scratch: &scratch, breaker: try BreakIterator(.word))
        #expect(got.contains { $0.range == 4..<6 && $0.type == 1 })
        #expect(got.contains { $0.range == 0..<2 && $0.type == 0 })
    }

    /// An unmarked place is looked for only inside a place-gazetteer match: elsewhere the character is O, so
    /// the latent update cannot keep a LOC the model guessed in text the set leaves unlabelled (财务部).
    @Test func unmarkedPlacesOnlyWhereTheGazetteerHasOne() throws {
        var g = Gazetteer()
        g.add(Scalars(scalarsOf: "北京"), .division)
        let model = try NERModel.make(transitions: [Float](repeating: 0, count: 169), features: [], lexicon: g.tablePairs())
        var ex = example("张明在北京财务部工作。", [("张明", 0)])
        ex.markPartial(unmarked: [1])
        var f = NERFeatures()
        var keys: [UInt64] = []
        try f.extract(ex.text[...], lexicon: model.lexicon, breaker: try BreakIterator(.word), into: &keys)
        let anywhere = try #require(NERTrainer.allowedTags(ex, places: nil))
        let listed = try #require(NERTrainer.allowedTags(ex, places: f.place))
        let loc = NERTags.mask(of: 1), o = NERTags.bit(0)
        #expect(anywhere[5] == o | loc && anywhere[3] == o | loc)
        #expect(listed[3] == o | loc && listed[4] == o | loc)          // 北京
        #expect(listed[5] == o && listed[6] == o && listed[2] == o)    // 财务部, 在
        #expect(listed[0] == anywhere[0])                              // 张明 keeps its label
        #expect(NERTrainer.allowedTags(example("北京。", [("北京", 1)]), places: f.place) == nil)
    }

    @Test func forcedTagsConstrainTheDecode() throws {
        let model = try NERModel.bundled.get()
        var scratch = NERScratch()
        let text = Scalars(scalarsOf: "上海市生态环境局发布通知")
        let breaker = try BreakIterator(.word)
        var forced = [UInt8](repeating: NERTags.free, count: text.count)
        for i in 0..<3 { forced[i] = 0 }   // 上海市 may not be (part of) an entity
        let got = try model.tag(text[...], scratch: &scratch, breaker: breaker, forced: forced[...])
        #expect(!got.contains { $0.range.lowerBound < 3 })
    }

    @Test func latinTokensAndRepetitionAreFeatures() throws {
        let model = try NERModel.make(transitions: [Float](repeating: 0, count: 169), features: [], lexicon: Gazetteer().tablePairs())
        var f = NERFeatures()
        var keys: [UInt64] = []
        let text = Scalars(scalarsOf: "用CAPCOM和Google哈哈哈")
        try f.extract(text[...], lexicon: model.lexicon, breaker: try BreakIterator(.word), into: &keys)
        let k = NERFeatures.templateCount
        #expect(f.latin[1] & 7 == 1 && f.latin[6] & 7 == 3)        // C…M: begin, end
        #expect(f.latin[1] >> 3 & 3 == 2)                           // ALL CAPS
        #expect(f.latin[8] >> 3 & 3 == 1)                           // Google: Capitalised
        #expect(f.latin[0] == 0 && keys[0 * k + 26] == 0)          // 用: no Latin key
        #expect(keys[1 * k + 26] != 0 && keys[1 * k + 27] != 0)
        #expect(keys[15 * k + 28] != 0)                             // 哈 repeated
        #expect(keys[0 * k + 28] == 0)
    }
}
