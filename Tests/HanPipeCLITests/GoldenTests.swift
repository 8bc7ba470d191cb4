import Testing
import Foundation
import HanPipe

/// The golden cases in Fixtures/golden (layout in its README.md): each `<name>.in` is run through the
/// built `hanpipe` with the options in `<name>.args`, and the output must equal the committed
/// `<name>.txt` (clean) and `<name>.json` (annotate) byte for byte. `Scripts/update-fixtures` regenerates
/// the expected files deliberately.
enum Golden {
    static var directory: URL { CLI.packageRoot.appendingPathComponent("Fixtures/golden") }

    /// Every case name (`<name>.in`), sorted.
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".in") }.map { String($0.dropLast(3)) }.sorted()
    }()

    /// Derived cases, `<origin>~<variant>`: the same article re-encoded (GB18030, Big5, UTF-16) or with
    /// other line endings.
    static var variants: [String] { cases.filter { $0.contains("~") } }

    /// The hand-written case a derived case was made from.
    static func origin(_ name: String) -> String { String(name.prefix(while: { $0 != "~" })) }

    static func data(_ file: String) -> Data? { FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) }

    static func text(_ file: String) -> String? { data(file).map { String(decoding: $0, as: UTF8.self) } }

    /// The case's extra options, one per line.
    static func arguments(_ name: String) -> [String] {
        (text(name + ".args") ?? "").split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }

    /// The options without `--encoding …`, for reading the (UTF-8) clean output back.
    static func argumentsForCleanText(_ name: String) -> [String] {
        var result: [String] = []
        var skipNext = false
        for a in arguments(name) {
            if skipNext { skipNext = false; continue }
            if a == "--encoding" { skipNext = true; continue }
            if a.hasPrefix("--encoding=") { continue }
            result.append(a)
        }
        return result
    }

    /// Runs the CLI inside Fixtures/golden, so that a document's `id` is its file name.
    static func run(_ arguments: [String], stdin: Data? = nil) throws -> CLI.Result {
        try CLI.run(arguments, stdin: stdin, in: directory)
    }

    /// The top-level parentheticals of a text, in `()` or `（）` (either width closes either), in order.
    /// An unclosed bracket runs to the end of its line.
    static func parentheticals(_ text: String) -> [String] {
        var result: [String] = []
        var current: [Character] = []
        var depth = 0
        for c in text {
            if depth > 0 {
                if c == "\n" { result.append(String(current)); current = []; depth = 0; continue }
                current.append(c)
                if c == "(" || c == "（" { depth += 1 }
                if c == ")" || c == "）" {
                    depth -= 1
                    if depth == 0 { result.append(String(current)); current = [] }
                }
            } else if c == "(" || c == "（" {
                depth = 1
                current = [c]
            }
        }
        if depth > 0 { result.append(String(current)) }
        return result
    }
}

/// A readable line diff of two texts (longest common subsequence; the files are small).
func lineDiff(expected: String, actual: String, context: Int = 1) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
        for j in stride(from: b.count - 1, through: 0, by: -1) {
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
        }
    }
    var lines: [(Character, String)] = []
    var i = 0, j = 0
    while i < a.count || j < b.count {
        if i < a.count && j < b.count && a[i] == b[j] { lines.append((" ", a[i])); i += 1; j += 1 }
        else if j < b.count && (i == a.count || lcs[i][j + 1] >= lcs[i + 1][j]) { lines.append(("+", b[j])); j += 1 }
        else { lines.append(("-", a[i])); i += 1 }
    }
    var show = [Bool](repeating: false, count: lines.count)
    for (k, line) in lines.enumerated() where line.0 != " " {
        for m in max(0, k - context)...min(lines.count - 1, k + context) { show[m] = true }
    }
    var out = "--- expected\n+++ actual\n"
    var skipped = false
    for (k, line) in lines.enumerated() {
        if show[k] { out += "\(line.0)\(line.1)\n"; skipped = false } else if !skipped { out += "…\n"; skipped = true }
    }
    return out
}

@Suite struct GoldenTests {
    @Test func thereAreEnoughCases() {
        let handWritten = Golden.cases.filter { !$0.contains("~") && $0 != "seed" }
        #expect(handWritten.count >= 12, "Fixtures/golden should hold at least 12 hand-written articles")
        #expect(Golden.cases.contains("seed"))
        for encoding in ["gb18030", "big5", "utf-16le-bom", "crlf"] {
            #expect(Golden.variants.contains { $0.hasSuffix("~" + encoding) }, "no \(encoding) case")
        }
    }

    @Test(arguments: Golden.cases)
    func outputsMatchExpectedFiles(_ name: String) throws {
        let args = Golden.arguments(name)
        for (command, ext) in [("clean", ".txt"), ("annotate", ".json")] {
            let r = try Golden.run([command] + args + [name + ".in"])
            #expect(r.status == 0, "\(command) \(name).in exited \(r.status): \(r.stderr)")
            let expected = try #require(Golden.data(name + ext), "\(name)\(ext) is missing; run Scripts/update-fixtures")
            if r.stdout != expected {
                let diff = lineDiff(expected: String(decoding: expected, as: UTF8.self), actual: String(decoding: r.stdout, as: UTF8.self))
                Issue.record("\(command) \(name).in differs from \(name)\(ext) (Scripts/update-fixtures regenerates it deliberately):\n\(diff)")
            }
        }
    }

    @Test(arguments: Golden.variants)
    func encodedInputGivesTheSameCleanText(_ name: String) throws {
        let origin = Golden.origin(name)
        #expect(Golden.data(origin + ".in") != Golden.data(name + ".in"), "\(name).in should differ from \(origin).in in bytes")
        let mine = try Golden.run(["clean"] + Golden.arguments(name) + [name + ".in"])
        let theirs = try Golden.run(["clean"] + Golden.arguments(origin) + [origin + ".in"])
        #expect(mine.status == 0 && theirs.status == 0, "\(mine.stderr)\(theirs.stderr)")
        if mine.stdout != theirs.stdout {
            let diff = lineDiff(expected: String(decoding: theirs.stdout, as: UTF8.self), actual: String(decoding: mine.stdout, as: UTF8.self))
            Issue.record("\(name).in and \(origin).in clean differently:\n\(diff)")
        }
        #expect(Golden.data(name + ".txt") == Golden.data(origin + ".txt"), "committed \(name).txt differs from \(origin).txt")
    }

    /// No real parenthetical is lost, and no gloss is left: the parentheticals in the clean text are
    /// exactly those listed by hand in `<name>.keep` (a derived case uses its origin's list).
    @Test(arguments: Golden.cases)
    func parentheticalsKeptAreExactlyTheRealOnes(_ name: String) throws {
        let keepFile = Golden.origin(name) + ".keep"
        let keep = try #require(Golden.text(keepFile), "\(keepFile) is missing: list the parentheticals that must survive")
        let expected = keep.split(separator: "\n").map(String.init)
        let clean = try #require(Golden.text(name + ".txt"))
        let found = Golden.parentheticals(clean)
        #expect(found == expected, "\(name).txt keeps \(found), \(keepFile) lists \(expected)")
    }

    @Test(arguments: Golden.cases)
    func checkAcceptsCleanOutputAndRejectsRawInput(_ name: String) throws {
        let clean = try Golden.run(["check"] + Golden.argumentsForCleanText(name) + [name + ".txt"])
        #expect(clean.status == 0, "check rejects \(name).txt: \(String(decoding: clean.stdout, as: UTF8.self))\(clean.stderr)")
        if Golden.data(name + ".in") != Golden.data(name + ".txt") {
            let raw = try Golden.run(["check"] + Golden.arguments(name) + [name + ".in"])
            #expect(raw.status == 1, "check accepts raw \(name).in (status \(raw.status)): \(raw.stderr)")
        }
    }

    /// The law of the annotation format, on the JSON the CLI writes: with `--to keep`, applying `edits` (in
    /// source order) to `text` gives back the decoded source exactly.
    @Test(arguments: Golden.cases)
    func annotateJSONRebuildsTheSource(_ name: String) throws {
        let args = Golden.arguments(name).filter { $0 != "--to" && !Script.allCases.map(\.rawValue).contains($0) }
        let r = try Golden.run(["annotate", "--to", "keep"] + args + [name + ".in"])
        #expect(r.status == 0, "\(r.stderr)")
        // JSONDecoder, not JSONSerialization: on Linux the latter drops a U+FEFF that begins a string
        // (the `from` of a BOM edit).
        struct Annotation: Decodable {
            struct EditJSON: Decodable { var source_start: Int; var source_end: Int; var from: String; var to: String }
            var to: String; var text: String; var edits: [EditJSON]
        }
        let object = try JSONDecoder().decode(Annotation.self, from: r.stdout)
        #expect(object.to == "keep")
        let text = Array(object.text.unicodeScalars)
        var rebuilt: [Unicode.Scalar] = []
        var t = 0, s = 0
        for edit in object.edits {
            let from = Array(edit.from.unicodeScalars), to = Array(edit.to.unicodeScalars)
            let (start, end) = (edit.source_start, edit.source_end)
            try #require(start >= s && end - start == from.count && t + (start - s) + to.count <= text.count, "bad edit \(edit)")
            rebuilt += text[t..<(t + start - s)]
            t += start - s
            #expect(Array(text[t..<(t + to.count)]) == to, "edit \(edit) does not match the text")
            rebuilt += from
            t += to.count
            s = end
        }
        rebuilt += text[t...]
        let encoding = Golden.arguments(name).firstIndex(of: "--encoding").map { Golden.arguments(name)[$0 + 1] } ?? "auto"
        let source = try Decode.decode(Array(try #require(Golden.data(name + ".in"))), encoding: Decode.Encoding(rawValue: encoding) ?? .auto)
        #expect(rebuilt.map(\.value) == source, "\(name): text + edits do not rebuild the source")
    }

    @Test func checkRejectsTheRawSeedWithADiff() throws {
        let r = try Golden.run(["check", "--to", "keep", "--diff", "seed.in"])
        #expect(r.status == 1)
        let diff = String(decoding: r.stdout, as: UTF8.self)
        #expect(diff.contains("-【谷騰環保網訊】長三角(jiao)毗鄰"))
        #expect(diff.contains("+【谷騰環保網訊】長三角毗鄰"))
    }

    /// `annotate --jsonl` gives the same bytes for -j 1 and -j 2, and on a second run, over enough records
    /// to fill several batches.
    @Test func jsonlOutputDoesNotDependOnWorkers() throws {
        var records: [String] = []
        let texts = Golden.cases.filter { !$0.contains("~") }.compactMap { Golden.text($0 + ".in") }
        #expect(!texts.isEmpty)
        var k = 0
        while records.count < 2600 {
            for text in texts {
                // Vary the texts so that records differ: cut each at a different point.
                let scalars = Array(text.unicodeScalars)
                let cut = scalars.count > 0 ? (k * 37) % scalars.count : 0
                var s = String.UnicodeScalarView(); s.append(contentsOf: scalars[cut...])
                let object: [String: Any] = ["id": "r\(k)", "text": String(s), "n": k]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                records.append(String(decoding: data, as: UTF8.self))
                k += 1
            }
        }
        let input = Data((records.joined(separator: "\n") + "\n").utf8)
        let one = try Golden.run(["annotate", "--jsonl", "-j", "1"], stdin: input)
        let two = try Golden.run(["annotate", "--jsonl", "-j", "2"], stdin: input)
        let again = try Golden.run(["annotate", "--jsonl", "-j", "2"], stdin: input)
        #expect(one.status == 0 && two.status == 0 && again.status == 0, "\(one.stderr)\(two.stderr)")
        #expect(one.stdout == two.stdout, "annotate --jsonl differs between -j 1 and -j 2")
        #expect(two.stdout == again.stdout, "annotate --jsonl differs between two runs")
        let lines = one.stdout.split(separator: 0x0A)
        #expect(lines.count == records.count)
        for (index, line) in lines.enumerated() where index % 97 == 0 {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            #expect(object["id"] as? String == "r\(index)")
            #expect(object["n"] as? Int == index)
            #expect(object["sentences"] is [Any])
        }
    }

    @Test func annotateIsTheSameOnTwoRuns() throws {
        let files = Golden.cases.filter { !Golden.arguments($0).contains("--encoding") }.map { $0 + ".in" }
        let first = try Golden.run(["annotate"] + files)
        let second = try Golden.run(["annotate"] + files)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
    }

    /// Legacy bytes read as UTF-8 on request: exit 3, one line naming the file and the first bad byte.
    @Test func explicitUTF8OnLegacyBytesNamesFileAndOffset() throws {
        let name = "simplified-economy~gb18030.in"
        let bytes = try #require(Golden.data(name))
        let text = String(decoding: bytes, as: UTF8.self)
        // The first bad byte: where decoding as UTF-8 first produces U+FFFD.
        let good = text.unicodeScalars.prefix(while: { $0 != "\u{FFFD}" })
        let offset = String(String.UnicodeScalarView(good)).utf8.count
        let r = try Golden.run(["clean", "--encoding", "utf-8", name])
        #expect(r.status == 3)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(name) && r.stderr.contains("byte offset \(offset)"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func parentheticalExtraction() {
        #expect(Golden.parentheticals("a(b(c)d)e（f）(g") == ["(b(c)d)", "（f）", "(g"])
    }
}
