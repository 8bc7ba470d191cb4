import Testing
@testable import HanPipe

@Suite struct NERTaggerTests {
    func wellFormed(_ tags: [UInt8]) -> Bool {
        guard let first = tags.first, let last = tags.last else { return true }
        if !NERTags.allowedFirst(Int(first)) || !NERTags.allowedLast(Int(last)) { return false }
        return zip(tags, tags.dropFirst()).allSatisfy { NERTags.allowed(Int($0), Int($1)) }
    }

    @Test func tagsRoundTrip() {
        let spans: [(range: Range<Int>, type: Int)] = [(0..<3, 2), (3..<4, 0), (6..<8, 1)]
        let tags = NERTags.encode(spans, length: 9)
        #expect(tags == [9, 10, 11, 4, 0, 0, 5, 7, 0])
        let back = NERTags.decode(tags)
        #expect(back.map(\.range) == spans.map(\.range))
        #expect(back.map(\.type) == spans.map(\.type))
    }

    @Test func viterbiNeverBreaksTheTagRules() {
        let n = NERTags.count
        // Emissions that, taken one by one, would give I-PER, E-LOC, B-ORG (all ill-formed).
        var emission = [Float](repeating: 0, count: 3 * n)
        emission[0 * n + NERTags.tag(0, .inside)] = 10
        emission[1 * n + NERTags.tag(1, .end)] = 10
        emission[2 * n + NERTags.tag(2, .begin)] = 10
        let transition = [Float](repeating: 0, count: n * n)
        var back: [UInt8] = [], tags: [UInt8] = []
        emission.withUnsafeBufferPointer { e in
            transition.withUnsafeBufferPointer { t in
                Viterbi().decode(emission: e.baseAddress!, length: 3, transition: t.baseAddress!, back: &back, tags: &tags)
            }
        }
        #expect(tags.count == 3)
        #expect(wellFormed(tags))
        #expect(!tags.contains(UInt8(NERTags.tag(0, .inside))))
    }

    @Test func viterbiFollowsTransitions() {
        let n = NERTags.count
        // Flat emissions but a strong B-LOC → E-LOC transition: a two-character LOC wins.
        var emission = [Float](repeating: 0, count: 2 * n)
        emission[0 * n + NERTags.tag(1, .begin)] = 1
        var transition = [Float](repeating: 0, count: n * n)
        transition[NERTags.tag(1, .begin) * n + NERTags.tag(1, .end)] = 5
        var back: [UInt8] = [], tags: [UInt8] = []
        emission.withUnsafeBufferPointer { e in
            transition.withUnsafeBufferPointer { t in
                Viterbi().decode(emission: e.baseAddress!, length: 2, transition: t.baseAddress!, back: &back, tags: &tags)
            }
        }
        #expect(tags == [UInt8(NERTags.tag(1, .begin)), UInt8(NERTags.tag(1, .end))])
    }

    @Test func modelBytesRoundTrip() throws {
        var transitions = [Float](repeating: 0, count: NERTags.count * NERTags.count)
        transitions[14] = -2.5
        var features: [(key: UInt64, weights: [Float])] = []
        for i in 1...500 {
            var row: [Float] = []
            for t in 0..<NERTags.count { row.append(Float((t * 37 + i) % 11) - 5) }
            features.append((UInt64(i) << 20 | 7, row))
        }
        let lexicon: [(UInt64, UInt32)] = [(42, 3), (43, 8)]
        let bytes = NERModel.serialize(transitions: transitions, features: features, lexicon: lexicon)
        // The same parts in another order give the same bytes.
        #expect(bytes == NERModel.serialize(transitions: transitions, features: features.reversed(), lexicon: lexicon.reversed()))
        let model = try NERModel.make(transitions: transitions, features: features, lexicon: lexicon)
        #expect(model.rowCount == 500)
        #expect(model.transitions[14] == -2.5)
        for (key, weights) in features {
            let scores = try #require(model.scores(key))
            for t in 0..<NERTags.count { #expect(abs(scores[t] - weights[t]) < 0.05) }
            var row = SIMD16<Float>(repeating: 1)
            model.accumulate(key, into: &row)
            #expect(abs(row[3] - 1 - weights[3]) < 0.05)
        }
        #expect(model.scores(UInt64(9999) << 20) == nil)
        var untouched = SIMD16<Float>(repeating: 1)
        model.accumulate(UInt64(9999) << 20, into: &untouched)
        #expect(untouched == SIMD16<Float>(repeating: 1))
        #expect(model.lexicon.find(43) == 8)
        #expect(model.lexicon.find(44) == nil)
        // A damaged file is refused.
        var damaged = bytes
        damaged[0] = 0
        #expect(throws: (any Error).self) {
            try damaged.withUnsafeBytes { try NERModel(bytes: $0) }
        }
    }

    @Test func gazetteerMatches() throws {
        var g = Gazetteer()
        for name in ["上海", "上海市", "嘉定区"] { g.add(Scalars(scalarsOf: name), .division) }
        g.add(Scalars(scalarsOf: "法国"), .region)
        g.add(Scalars(scalarsOf: "王"), .surname)
        g.add(Scalars(scalarsOf: "欧阳"), .surname)
        g.add(Scalars(scalarsOf: "局"), .orgSuffix)
        g.add(Scalars(scalarsOf: "研究院"), .orgSuffix)
        let model = try NERModel.make(transitions: [Float](repeating: 0, count: 169), features: [], lexicon: g.tablePairs())
        var f = NERFeatures()
        var keys: [UInt64] = []
        let text = Scalars(scalarsOf: "上海市嘉定区王强和欧阳在法国研究院")
        try f.extract(text[...], lexicon: model.lexicon, breaker: try BreakIterator(.word), into: &keys)
        #expect(keys.count == text.count * NERFeatures.templateCount)
        #expect(Array(f.placeLength[0..<6]) == [3, 3, 3, 3, 3, 3])   // 上海市 (longest, not 上海), 嘉定区
        #expect(f.place[0] & 7 == 1 && f.place[1] & 7 == 2 && f.place[2] & 7 == 3)
        #expect(f.place[0] >> 3 == UInt64(Gazetteer.Kind.division.rawValue))
        #expect(f.place[12] >> 3 == UInt64(Gazetteer.Kind.region.rawValue))
        #expect(f.surname[6] == 1 && f.surname[9] == 2 && f.surname[7] == 0)
        #expect(f.suffixEnd[16] == 3)                                 // 研究院 ends at 院
        #expect(f.place[8] == 0)
    }

    @Test func latinNamesMatchOnlyWholeTokens() throws {
        var g = Gazetteer()
        for name in ["google", "ati", "at&t", "tcl科技"] { g.add(Scalars(scalarsOf: name), .orgName) }
        let model = try NERModel.make(transitions: [Float](repeating: 0, count: 169), features: [], lexicon: g.tablePairs())
        var f = NERFeatures()
        var keys: [UInt64] = []
        /// The organisation-name tags: 1 B, 2 I, 3 E, 4 S, 0 none.
        func org(_ s: String) throws -> [UInt64] {
            try f.extract(Scalars(scalarsOf: s)[...], lexicon: model.lexicon, breaker: try BreakIterator(.word), into: &keys)
            return f.org
        }
        #expect(try org("用Google搜") == [0, 1, 2, 2, 2, 2, 3, 0])
        #expect(try org("AT&T和ATIS") == [1, 2, 2, 3, 0, 0, 0, 0, 0])    // not the ATI of ATIS
        #expect(try org("Googles") == [0, 0, 0, 0, 0, 0, 0])
        #expect(try org("xGoogle") == [0, 0, 0, 0, 0, 0, 0])
        #expect(try org("TCL科技") == [1, 2, 2, 2, 3])                   // a Latin start, a Han end
    }

    @Test func clusterFeatures() throws {
        var g = Gazetteer()
        for word in ["腾讯", "阿里", "公司", "收购"] { g.add(Scalars(scalarsOf: word), .word) }
        let lines = "# test\nc\t张\t7\t1\nc\t王\t7\t1\nc\t收\t9\t2\nw\t腾讯\t4\nw\t阿里\t4\nw\t收购\t30\n"
        try Array(lines.utf8).withUnsafeBufferPointer { try g.add(clusterLines: $0) }
        let model = try NERModel.make(transitions: [Float](repeating: 0, count: 169), features: [], lexicon: g.tablePairs())
        var f = NERFeatures()
        let k = NERFeatures.templateCount
        func keys(_ s: String) throws -> [UInt64] {
            var keys: [UInt64] = []
            try f.extract(Scalars(scalarsOf: s)[...], lexicon: model.lexicon, breaker: try BreakIterator(.word), into: &keys)
            return keys
        }
        // Same clusters, different strings: the character- and word-cluster keys agree, the identities differ.
        let a = try keys("张说腾讯收购"), b = try keys("王说阿里收购")
        #expect(a[0 * k + 3] != b[0 * k + 3])                        // c[0]: 张 vs 王
        for t in 30...32 { #expect(a[0 * k + t] == b[0 * k + t]) }  // their clusters
        for i in 2...3 { #expect(a[i * k + 14] != b[i * k + 14]) }  // the words 腾讯 / 阿里
        for i in 2...5 { for t in 33...34 { #expect(a[i * k + t] == b[i * k + t]) } }
        // A character or word without a cluster: cluster 0, unlike a clustered one.
        let c = try keys("赵说公司收购")
        #expect(c[0 * k + 31] != a[0 * k + 31])
        #expect(c[2 * k + 33] != a[2 * k + 33])
        // Bad lines are refused.
        for bad in ["c\t张\t255\t1\n", "c\t张\t7\n", "w\t腾讯\tx\n", "q\t腾讯\t1\n", "w\t\t1\n"] {
            var h = Gazetteer()
            #expect(throws: HanPipeError.self) { try Array(bad.utf8).withUnsafeBufferPointer { try h.add(clusterLines: $0) } }
        }
    }

    @Test func trainingIsDeterministicAndLearns() throws {
        func example(_ text: String, _ entities: [(String, Int)]) -> NERExample { .labelled(text, entities) }
        let train = [
            example("张明在北京工作。", [("张明", 0), ("北京", 1)]),
            example("李华去了上海。", [("李华", 0), ("上海", 1)]),
            example("王强在北京大学读书。", [("王强", 0), ("北京大学", 2)]),
            example("上海大学的张明来了。", [("上海大学", 2), ("张明", 0)]),
            example("今天天气很好。", []),
        ]
        var settings = NERTrainer.Settings()
        settings.epochs = 10
        settings.minCount = 1
        settings.prune = 0
        var g = Gazetteer()
        g.add(Scalars(scalarsOf: "大学"), .orgSuffix)
        let trainer = NERTrainer(settings: settings)
        let a = try trainer.train(train: train, dev: [("dev", train)], gazetteer: g) { _ in }
        let b = try trainer.train(train: train, dev: [("dev", train)], gazetteer: g) { _ in }
        #expect(a == b)
        // Feature dropout draws from the run's generator: the same bytes again, and other weights.
        var dropping = settings
        dropping.featureDropout = 0.3
        let c = try NERTrainer(settings: dropping).train(train: train, dev: [("dev", train)], gazetteer: g) { _ in }
        let d = try NERTrainer(settings: dropping).train(train: train, dev: [("dev", train)], gazetteer: g) { _ in }
        #expect(c == d && c != a)
        var naming = settings
        naming.nameDropout = 0.5
        let e = try NERTrainer(settings: naming).train(train: train, dev: [("dev", train)], gazetteer: g) { _ in }
        let f = try NERTrainer(settings: naming).train(train: train, dev: [("dev", train)], gazetteer: g) { _ in }
        #expect(e == f && e != a && e != c)
        // Cost-augmented updates also come on sentences tagged right by too small a margin: other bytes,
        // the same again, and a model that still learns the sentences.
        var costing = settings
        costing.marginCost = 10
        let g1 = try NERTrainer(settings: costing).train(train: train, dev: [("dev", train)], gazetteer: g) { _ in }
        let g2 = try NERTrainer(settings: costing).train(train: train, dev: [("dev", train)], gazetteer: g) { _ in }
        #expect(g1 == g2 && g1 != a)
        var scratch = NERScratch()
        let breaker = try BreakIterator(.word)
        for bytes in [a, g1] {
            let model = try bytes.withUnsafeBytes { raw -> NERModel in
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: raw.count, alignment: 16)
                buffer.copyMemory(from: raw)
                return try NERModel(bytes: UnsafeRawBufferPointer(buffer), owned: buffer)
            }
            for ex in train {
                let got = try model.tag(ex.text[...], scratch: &scratch, breaker: breaker)
                #expect(got.map(\.range) == ex.spans.map(\.range))
                #expect(got.map(\.type) == ex.spans.map(\.type))
            }
        }
    }

    @Test func parsesCorpusLines() throws {
        let line = #"{"id": "x", "text": "在北京的张明", "entities": [{"start": 1, "end": 3, "type": "LOC", "text": "北京"}, {"start": 4, "end": 6, "type": "PER", "text": "张明"}]}"#
        let ex = try NERExample(line: Array(line.utf8)[...])
        #expect(ex.text.string == "在北京的张明")
        #expect(ex.spans.map(\.range) == [1..<3, 4..<6])
        #expect(ex.spans.map(\.type) == [1, 0])
        let bad = #"{"id": "y", "text": "北京", "entities": [{"start": 1, "end": 3, "type": "LOC"}]}"#
        #expect(throws: (any Error).self) { try NERExample(line: Array(bad.utf8)[...]) }
    }
}
