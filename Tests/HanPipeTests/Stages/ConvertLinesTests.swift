import Foundation
import Testing
@testable import HanPipe

/// The phrase layer's fast path relies on conversion being line-local: neither phrases, nor the
/// table's rules, nor the word breaker's runs of Han characters cross a line break, so only the lines
/// that hold a gloss-shaped parenthetical are scanned on a gloss-free view, and the candidate scan may
/// skip any position its filters reject. These tests hold the stage to that.
@Suite struct ConvertLinesTests {
    func convert(_ s: String, _ target: Script) throws -> String {
        var doc = Document(id: "t", text: s)
        try Convert(target: target).apply(to: &doc)
        return doc.text.string
    }

    /// The fixture lines, each also with glosses after its first and third Han characters.
    func lines(_ name: String) throws -> [String] {
        let url = ConvertTests.packageRoot.appendingPathComponent("Fixtures/convert/\(name)")
        let plain = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        var result: [String] = []
        for (k, line) in plain.enumerated() {
            result.append(line)
            var glossed = ""
            var han = 0
            for c in line {
                glossed.append(c)
                if c.unicodeScalars.allSatisfy({ isHan($0.value) }) {
                    han += 1
                    if han == 1 { glossed += k % 2 == 0 ? "(gan)" : "（zhòng）" }
                    if han == 3 { glossed += "(le)(ㄌㄜ˙)" }
                }
            }
            result.append(glossed)
        }
        return result
    }

    /// A text converts as its lines do one by one, whichever lines hold glosses.
    @Test func wholeTextEqualsItsLines() throws {
        for (name, target) in [("tricky-hant.txt", Script.simplified), ("tricky-hans.txt", .traditional)] {
            let all = try lines(name)
            let one = try all.map { try convert($0, target) }
            // Glossed and plain lines interleaved, then only a few glossed lines among plain ones.
            #expect(try convert(all.joined(separator: "\n"), target) == one.joined(separator: "\n"), "\(name)")
            let sparse = all.indices.filter { $0 % 2 == 0 || $0 % 15 == 1 }
            #expect(try convert(sparse.map { all[$0] }.joined(separator: "\n"), target)
                    == sparse.map { one[$0] }.joined(separator: "\n"), "\(name) sparse")
        }
    }

    /// A gloss on one line changes nothing on the others, and a gloss inside a phrase still lets the
    /// phrase apply (the line is scanned on its gloss-free view).
    @Test func glossOnOneLineOnly() throws {
        let text = "干活\n重(chong)制区\n干（gàn）活\n包括发动机"
        #expect(try convert(text, .traditional) == "幹活\n重(chong)製區\n幹（gàn）活\n包括發動機")
        #expect(try convert("乾(qian)隆皇帝\n乾隆皇帝", .simplified) == "乾(qian)隆皇帝\n乾隆皇帝")
    }

    /// Positions the candidate filters reject are never phrase starts: every phrase of a sample still
    /// applies when it stands alone, at the start, in the middle and at the end of a line.
    @Test func candidateFilterKeepsEveryPhrase() throws {
        for (target, cases) in [(Script.traditional, [("干活", "幹活"), ("心理发展", "心理發展"), ("系鞋带", "繫鞋帶")]),
                                (Script.simplified, [("乾隆", "乾隆"), ("瞭望", "瞭望"), ("慰藉", "慰藉")])] {
            for (input, want) in cases {
                #expect(try convert(input, target) == want)
                #expect(try convert("。" + input + "。", target) == "。" + want + "。")
                #expect(try convert("ab\n" + input, target) == "ab\n" + want)
            }
        }
    }
}
