import Foundation
import Testing
@testable import HanPipe

/// The default conversion (`.phrases`: ICU's rules with its defects fixed, OpenCC's phrases at word
/// edges), user conversion dictionaries, regional variants, and the offsets of length-changing entries.
@Suite struct ConvertPhraseTests {
    func convert(_ s: String, _ target: Script, mode: Convert.Mode = .phrases, variants: Variants? = nil,
                 dictionaries: [ConversionDictionary] = []) throws -> String {
        var doc = Document(id: "t", text: s)
        try Convert(target: target, mode: mode, variants: variants, dictionaries: dictionaries).apply(to: &doc)
        return doc.text.string
    }

    func dictionary(_ text: String, name: String = "d.tsv") throws -> ConversionDictionary {
        try ConversionDictionary(bytes: Array(text.utf8), name: name)
    }

    /// The cases of Fixtures/convert/*.tsv (`t2s|s2t<TAB>input<TAB>expected`), each on its own.
    @Test func ownPitfallAndPhraseCases() throws {
        let folder = ConvertTests.packageRoot.appendingPathComponent("Fixtures/convert")
        var count = 0
        for name in ["pitfalls.tsv", "phrases.tsv", "dictionary.tsv"] {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                try #require(f.count == 3, "\(name): \(line)")
                let target: Script = f[0] == "t2s" ? .simplified : .traditional
                #expect(try convert(f[1], target) == f[2], "\(name): \(f[1])")
                count += 1
            }
        }
        #expect(count > 700)
    }

    /// The examples of the issue, in both directions, against ICU's own output.
    @Test func issueExamples() throws {
        let t2s = [("乾隆皇帝", "乾隆皇帝", "干隆皇帝"), ("足球俱樂部", "足球俱乐部", "足球具乐部"), ("登高瞭望", "登高瞭望", "登高了望"),
                   ("慰藉心靈", "慰藉心灵", "慰借心灵"), ("蕭乾", "萧乾", "萧干")]
        for (input, want, icu) in t2s {
            #expect(try convert(input, .simplified) == want)
            #expect(try convert(input, .simplified, mode: .icuTable) == icu)
        }
        let s2t = [("干活", "幹活", "乾活"), ("范冰冰", "范冰冰", "範冰冰"), ("心理发展", "心理發展", "心理髮展"),
                   ("说明了", "說明了", "說明瞭"), ("系鞋带", "繫鞋帶", "系鞋帶"), ("复习", "複習", "復習"),
                   ("一见钟情", "一見鍾情", "一見鍾情"), ("远征", "遠征", "遠徵")]
        for (input, want, icu) in s2t {
            #expect(try convert(input, .traditional) == want)
            #expect(try convert(input, .traditional, mode: .icuTable) == icu)
        }
    }

    /// A phrase applies only where it fits the word breaker's words: never across a word's edge.
    @Test func phrasesRespectWordEdges() throws {
        // 括发 (→ 括髮) is a phrase, but here 包括 and 发动机 are the words.
        #expect(try convert("包括发动机", .traditional) == "包括發動機")
        // Inside one longer word.
        #expect(try convert("瞭望台", .simplified) == "瞭望台")
        // ICU's 明了 > 明瞭 does not reach into the phrase 说明.
        #expect(try convert("这说明了问题", .traditional) == "這說明了問題")
        // Across a line break nothing is a phrase.
        let apart = try convert("干", .traditional) + "\n" + convert("活", .traditional)
        #expect(try convert("干\n活", .traditional) == apart)
    }

    /// Phrases are found as if gloss-shaped parentheticals were not there, so removing a gloss later
    /// (degloss) cannot make a second cleaning convert differently.
    @Test func glossesDoNotHidePhrases() throws {
        #expect(try convert("重(chong)制区", .traditional) == "重(chong)製區")
        #expect(try convert("重制区", .traditional) == "重製區")
        #expect(try convert("干（gàn）活 干(big data)活", .traditional) == "幹（gàn）活 幹(big data)活")
        // Not a gloss shape: the parenthetical separates the words.
        #expect(try convert("干(Gan)活", .traditional) == "乾(Gan)活")
        for target in [Script.simplified, .traditional] {
            let job = try PropertyTests.job(target, annotate: false)
            let input = "\u{7740}\u{884c}\u{548c}\u{91cd}(zhe4 heng4 huo chong)\u{5236}\u{533a}\u{6703}"
            let once = try job.document(id: "a", bytes: Array(input.utf8)).text
            let twice = try job.document(id: "b", bytes: Array(once.string.utf8)).text
            #expect(once == twice, "\(target)")
        }
    }

    /// The fixes to ICU's table, and the characters it misses.
    @Test func icuDefectsFixed() throws {
        #expect(try convert("俱樂部 大阪 諮詢 鉅額 擡頭", .simplified) == "俱乐部 大阪 咨询 巨额 抬头")
        #expect(try convert("俱樂部 大阪 諮詢 鉅額 擡頭", .simplified, mode: .icuTable) == "具乐部 大坂 谘询 钜额 擡头")
        #expect(try convert("二𫫇英", .traditional) == "二噁英")
    }

    @Test func pipelineOptionsSelectTheMode() throws {
        func stage(_ options: Pipeline.Options) throws -> Convert {
            try #require(try Pipeline(options: options).stages.compactMap { $0 as? Convert }.first)
        }
        var options = Pipeline.Options()
        #expect(try stage(options).mode == .phrases)
        options.conversion = .icuTable
        #expect(try stage(options).mode == .icuTable)
        options.target = .traditional
        options.variants = .hk
        #expect(try stage(options).variants == .hk)
        options.target = .simplified
        #expect(try stage(options).variants == nil, "variants only apply to Traditional")
    }

    // MARK: - User dictionaries

    @Test func dictionaryFormat() throws {
        let d = try dictionary("\u{FEFF}# comment\n于谦\n\n自行车\t腳踏車\r\n的士\t計程車\n")
        #expect(d.entries == [
            .init(from: "于谦", to: nil, line: 2), .init(from: "自行车", to: "腳踏車", line: 4), .init(from: "的士", to: "計程車", line: 5),
        ])
        let bad: [(String, Int)] = [("a\tb\tc\n", 1), ("ok\tfine\n\tempty from\n", 2), ("x\t\n", 1), ("# c\n \n  \t\n好\t\n", 4)]
        for (text, line) in bad {
            #expect(throws: ConversionDictionary.ParseError.self) { try dictionary(text) }
            do { _ = try dictionary(text) } catch let e as ConversionDictionary.ParseError {
                #expect(e.line == line, "\(text)")
                #expect(e.description.hasPrefix("d.tsv:\(line): "))
            }
        }
        #expect(throws: ConversionDictionary.ParseError.self) {
            try ConversionDictionary(bytes: [0x61, 0x0A, 0xFF, 0x0A], name: "d.tsv")
        }
        #expect(throws: HanPipeError.self) { try ConversionDictionary(contentsOf: "/nonexistent/d.tsv") }
    }

    /// The acceptance example: a protected name and a replacement, Simplified to Traditional.
    @Test func dictionaryProtectsAndReplaces() throws {
        let d = try dictionary("于谦\n自行车\t腳踏車\n")
        #expect(try convert("于谦骑自行车去学校。", .traditional, dictionaries: [d]) == "于谦騎腳踏車去學校。")
        #expect(try convert("于谦骑自行车去学校。", .traditional, mode: .icuTable) == "於謙騎自行車去學校。")
        // The other direction: each entry is read in the source's script, the replacement in the target's.
        #expect(try convert("于謙騎自行車去學校。", .simplified, dictionaries: [d]) == "于謙骑脚踏车去学校。")
        // Later entries win, also across dictionaries; entries win over phrases.
        let later = try dictionary("自行车\t單車\n干活\t做工\n")
        #expect(try convert("骑自行车干活", .traditional, dictionaries: [d, later]) == "騎單車做工")
        // Through the pipeline options.
        var options = Pipeline.Options()
        options.target = .traditional
        options.conversionDictionaries = [d]
        var doc = Document(id: "t", text: "于谦骑自行车去学校。")
        try Pipeline(options: options).process(&doc)
        #expect(doc.text.string == "于谦騎腳踏車去學校。")
    }

    /// An entry that changes the length is an edit of stage convert; later spans keep both offsets right.
    @Test func lengthChangingEntriesKeepOffsets() throws {
        let d = try dictionary("的士\t計程車\n北京大学\t北大\n")
        for target in [Script.traditional, .simplified] {
            var options = Pipeline.Options()
            options.target = target
            options.conversionDictionaries = [d]
            let source = "我坐的士去北京大学，花了25元。张伟在上海工作了3年。"
            var doc = Document(id: "t", text: source)
            try Pipeline(options: options).process(&doc)
            let text = doc.text
            #expect(text.string.contains(target == .traditional ? "計程車" : "计程车"))
            #expect(text.string.contains("北大"))
            #expect(doc.edits.map(\.stage) == ["convert", "convert"])
            #expect(doc.edits.map(\.from) == ["的士", "北京大学"])
            let numbers = doc.numbers
            #expect(numbers.count >= 2)
            for n in numbers {
                #expect(Array(text[n.span.start..<n.span.end]).string == n.text)
                #expect(Array(doc.source[n.span.sourceStart..<n.span.sourceEnd]).string == n.text, "number \(n.text)")
            }
            for e in doc.entities {
                #expect(Array(text[e.span.start..<e.span.end]).string == e.text)
                let src = Array(doc.source[e.span.sourceStart..<e.span.sourceEnd]).string
                #expect(try convert(src, target) == e.text || e.text == "北大", "entity \(e.text) from \(src)")
            }
            // A span over a replacement maps to the whole replaced source text, either way round.
            let at = try #require(text.firstRange(of: Scalars(scalarsOf: "北大")))
            #expect(doc.sourceRange(at) == 5..<9)
            let taxi = try #require(text.firstRange(of: Scalars(scalarsOf: target == .traditional ? "計程車" : "计程车")))
            #expect(doc.sourceRange(taxi) == 2..<4)
            // The lengths add up through the edits.
            let delta = doc.edits.reduce(0) { $0 + $1.from.unicodeScalars.count - $1.to.unicodeScalars.count }
            #expect(text.count + delta == doc.source.count)
        }
        // With --to keep nothing is converted and the source is rebuilt from text + edits.
        var options = Pipeline.Options()
        options.target = .keep
        options.conversionDictionaries = [d]
        var doc = Document(id: "t", text: "我坐的士去北京大学。")
        try Pipeline(options: options).process(&doc)
        #expect(doc.text == doc.source && doc.edits.isEmpty)
    }

    // MARK: - Variants

    @Test func regionalVariants() throws {
        #expect(try convert("这里睡着了，污水，启动", .traditional) == "這裡睡著了，污水，啓動")
        #expect(try convert("这里睡着了，污水，启动", .traditional, variants: .tw) == "這裡睡著了，汙水，啟動")
        #expect(try convert("这里睡着了，著作，为什么", .traditional, variants: .hk) == "這裏睡着了，著作，為什麼")
        // A protected text keeps its characters.
        let d = try dictionary("污水\n")
        #expect(try convert("污水 污染", .traditional, variants: .tw, dictionaries: [d]) == "污水 汙染")
    }

    /// Long text in chunks gives the same output as whole (phrases never straddle a chunk cut).
    @Test func streamingEqualsWhole() throws {
        let folder = ConvertTests.packageRoot.appendingPathComponent("Fixtures/convert")
        var lines: [String] = []
        for name in ["pitfalls.tsv", "phrases.tsv"] {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                lines.append(String(line.split(separator: "\t")[1]))
            }
        }
        let oneLine = Array((lines.joined() + "\n").utf8)
        for target in [Script.simplified, .traditional] {
            var options = Pipeline.Options()
            options.target = target
            let job = Job(pipeline: try Pipeline(options: options))
            let whole = try PropertyTests.streamed(oneLine, job: job, block: 1 << 20, chunk: 1 << 20, sentences: false)
            for chunk in [7, 50, 300] {
                let streamed = try PropertyTests.streamed(oneLine, job: job, block: 13, chunk: chunk, sentences: false)
                #expect(streamed == whole, "\(target), chunks of \(chunk)")
            }
        }
    }
}
