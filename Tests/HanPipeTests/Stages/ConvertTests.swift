import Foundation
import Testing
@testable import HanPipe

/// The table-driven conversion in `.icuTable` mode (`--exact-icu`) must give exactly the bytes of ICU's
/// transliterator run line by line. (The default `.phrases` mode is tested in ConvertPhraseTests.)
@Suite struct ConvertTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bench = packageRoot.appendingPathComponent("../shared/eval/bench").standardizedFileURL
    static var benchAvailable: Bool {
        FileManager.default.fileExists(atPath: bench.appendingPathComponent("corpus-zh-hant.txt").path)
    }

    /// Converts `scalars` with the table and with ICU alone; returns both texts.
    func both(_ scalars: Scalars, _ target: Script) throws -> (table: Scalars, icu: Scalars) {
        var a = Document(id: "t", source: scalars)
        var b = a
        try Convert(target: target, mode: .icuTable).apply(to: &a)
        try Convert(target: target, icuOnly: true).apply(to: &b)
        return (a.text, b.text)
    }

    func convert(_ s: String, _ target: Script, icuOnly: Bool = false) throws -> String {
        var doc = Document(id: "t", text: s)
        try Convert(target: target, icuOnly: icuOnly, mode: .icuTable).apply(to: &doc)
        return doc.text.string
    }

    /// Checks identity line by line, so a failure names the line.
    func expectIdentical(_ text: String, _ target: Script, _ comment: Comment) throws {
        try expectIdentical(Scalars(scalarsOf: text), target, comment)
    }

    func expectIdentical(_ text: Scalars, _ target: Script, _ comment: Comment) throws {
        let (table, icu) = try both(text, target)
        #expect(table.count == icu.count)
        if table != icu {
            let t = table.split(separator: 0x0A, omittingEmptySubsequences: false)
            let i = icu.split(separator: 0x0A, omittingEmptySubsequences: false)
            let n = (0..<min(t.count, i.count)).first { t[$0] != i[$0] } ?? min(t.count, i.count)
            let line = n < min(t.count, i.count) ? "table \(Array(t[n]).string) | icu \(Array(i[n]).string)" : "line count"
            Issue.record("\(comment): first difference at line \(n + 1): \(line)")
        }
    }

    @Test func embeddedRulesMatchInstalledICU() throws {
        for id in ["Hant-Hans", "Hans-Hant"] {
            let embedded = try #require(ConversionTables.embedded(id: id), "no embedded rules for \(id)")
            #expect(embedded.version == ICU.version, "embedded \(id) rules are from ICU \(embedded.version); rerun Scripts/gen/conversion-table")
            let live = try Transliterator(id: id).rules()
            #expect(String(decoding: embedded.rules, as: UTF8.self) == live,
                    "embedded \(id) rules differ from the installed ICU's; rerun Scripts/gen/conversion-table")
        }
        #expect(ConversionTables.hantToHans?.origin == .embedded)
        #expect(ConversionTables.hansToHant?.origin == .embedded)
    }

    @Test func knownCases() throws {
        #expect(try convert("乾隆 乾坤 著名 看著 頭髮 於是 皇后 後來 臺灣 瞭解 藉口 鍾情 單于 生薑 崑山", .simplified)
                == "干隆 乾坤 著名 看着 头发 于是 皇后 后来 台湾 了解 借口 钟情 单于 生姜 昆山")
        #expect(try convert("「一『二』三」", .simplified) == "“一『二』三”")
        // The ante-context sees the text as already converted (万 is 萬 by the time 余 is reached).
        #expect(try convert("十余 一万余 周三 一出戏", .traditional) == "十餘 一萬余 週三 一齣戲")
        // Every line is converted, as by ICU, whatever it holds (so chunking a long line cannot matter).
        #expect(try convert("“hello”\n“中”", .traditional) == "「hello」\n「中」")
        #expect(try convert("𠀋後\n後", .simplified) == "𠀋后\n后")
        #expect(try convert("", .simplified) == "")
        #expect(try convert("abc\n", .traditional) == "abc\n")
    }

    /// Every code point (except line breaks and surrogates) on a line of its own, both directions: the
    /// single-character table against ICU. Supplementary code points go 64 to a line.
    @Test func everyCodePointAlone() throws {
        var text: Scalars = []
        for c in UInt32(1)...0xFFFF where c != 0x0A && c != 0x0D && !(0xD800...0xDFFF).contains(c) {
            text.append(c); text.append(0x0A)
        }
        var k = 0
        for c in UInt32(0x10000)...0x10FFFF {
            text.append(c)
            k += 1
            if k % 64 == 0 { text.append(0x0A) }
        }
        for target in [Script.simplified, .traditional] {
            try expectIdentical(text, target, "every code point to \(target)")
        }
    }

    /// Lines built from the rules themselves: every rule's pattern alone, between other characters,
    /// repeated, and chained with every rule whose key starts where it ends, in both directions.
    @Test func everyRuleInContext() throws {
        for id in ["Hant-Hans", "Hans-Hant"] {
            let source = try #require(ConversionTables.embedded(id: id))
            let rules = try ConversionRules(utf8: source.rules)
            let e = rules.elements
            func members(_ v: UInt32) -> [UInt32] {
                v & ConversionRules.setFlag == 0 ? [v] : rules.sets[Int(v & ~ConversionRules.setFlag)]
            }
            /// The rule's pattern with the `member`-th character of each set (modulo its size).
            func instance(_ r: ConversionRules.Rule, member: Int) -> Scalars {
                var out: Scalars = []
                for x in Int(r.ante.lowerBound)..<Int(r.post.upperBound) {
                    let m = members(e[x])
                    out.append(m[member % m.count])
                }
                return out
            }
            var byFirst: [UInt32: [Int]] = [:]
            for (index, r) in rules.rules.enumerated() { byFirst[e[Int(r.key.lowerBound)], default: []].append(index) }
            var lines: [Scalars] = []
            for r in rules.rules {
                var maxMembers = 1
                for x in Int(r.ante.lowerBound)..<Int(r.post.upperBound) { maxMembers = max(maxMembers, members(e[x]).count) }
                for member in 0..<maxMembers {
                    let p: Scalars = instance(r, member: member)
                    lines.append(p)
                    lines.append([0x4E2D] + p + [0x6587])
                    lines.append(p + p)
                }
                let key = Array(e[Int(r.key.lowerBound)..<Int(r.key.upperBound)])
                for next in byFirst[key.last!] ?? [] where key.count > 1 {
                    lines.append(key + instance(rules.rules[next], member: 0).dropFirst(rules.rules[next].ante.count + 1))
                }
            }
            var text: Scalars = []
            for line in lines { text.append(contentsOf: line); text.append(0x0A) }
            for target in [Script.simplified, .traditional] {
                try expectIdentical(text, target, "\(id) rule lines to \(target)")
            }
        }
    }

    /// The committed fixtures (hand-written tricky sentences), both files in both directions.
    @Test func fixturesMatchICU() throws {
        for name in ["tricky-hant.txt", "tricky-hans.txt"] {
            let url = ConvertTests.packageRoot.appendingPathComponent("Fixtures/convert/\(name)")
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.count > 1000)
            try expectIdentical(text, .simplified, "\(name) to simplified")
            try expectIdentical(text, .traditional, "\(name) to traditional")
        }
    }

    /// The whole bench corpus, both files in both directions (skipped without ../shared).
    @Test(.enabled(if: ConvertTests.benchAvailable, "needs ../shared/eval/bench"))
    func benchCorpusMatchesICU() throws {
        for name in ["corpus-zh-hant.txt", "corpus-zh.txt"] {
            let text = try String(contentsOf: ConvertTests.bench.appendingPathComponent(name), encoding: .utf8)
            try expectIdentical(text, .simplified, "\(name) to simplified")
            try expectIdentical(text, .traditional, "\(name) to traditional")
        }
    }

    @Test func parserRefusesWhatItCannotReproduce() throws {
        let bad = [
            "a > b;", "中 > 文字;", "中文 > 字;", "$x = 中;", "::Null;", "中 < 文;", "中 <> 文;",
            "[中-文] > 字;", "中 > '文';", "中 > \\u6587;", "中 > |文;", "^中 > 文;", "中. > 文字;",
            "[^中]{文} > 字;", "中 > 文", "中", "[中文 > 字;", "{} > 字;",
        ]
        for source in bad {
            #expect(throws: HanPipeError.self, "\(source)") { try ConversionRules(scalars: Scalars(scalarsOf: source)) }
        }
        let good = try ConversionRules(scalars: Scalars(scalarsOf: "# c\n[一-三]{甲}乙 > 戊;\n甲乙 > 丙丁;\n甲 > 己;"))
        #expect(good.rules.count == 3)
        #expect(good.sets == [[0x4E00, 0x4E01, 0x4E02, 0x4E03, 0x4E04, 0x4E05, 0x4E06, 0x4E07, 0x4E08, 0x4E09]])
        let table = ConversionTable(rules: good)
        var text = Scalars(scalarsOf: "甲乙甲 三甲乙 五甲乙")
        text.withUnsafeMutableBufferPointer { table.convert($0) }
        #expect(text.string == "丙丁己 三戊乙 五丙丁")
    }

    @Test func pipelineOptionSelectsICUOnly() throws {
        var options = Pipeline.Options()
        options.icuConvert = true
        let pipeline = try Pipeline(options: options)
        let convert = try #require(pipeline.stages.compactMap { $0 as? Convert }.first)
        #expect(convert.icuOnly)
        #expect(try Pipeline(options: Pipeline.Options()).stages.compactMap { $0 as? Convert }.first?.icuOnly == false)
    }
}
