import Testing
import Foundation
@testable import HanPipe

/// A small seeded generator (SplitMix64), written here rather than taken from a property-testing package:
/// the inputs it builds are specific to hanpipe, and a failure names its seed so it reproduces exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// The next number: the library's `mix64` (SplitMix64's finaliser, golden-ratio step included) of the
    /// state, which then takes that step.
    mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return mix64(state)
    }
}

/// Builds dirty scraped-news-like inputs: Han text in both scripts, correct and wrong glosses in every
/// form, brackets of both widths (balanced or not), every line ending, BOMs, full-width digits,
/// zero-width and control characters, trailing spaces, ASCII punctuation, combining marks and emoji.
struct DirtyText {
    var rng: SplitMix64
    /// Han characters, Traditional and Simplified, many of them polyphonic.
    static let han = Array("長长三角生態态環环境制度復复行重中文了會会地區区局廳厅水務务利發发乾干後后著着為为樂乐朝調调和覺觉數数的一")
    static let pieces = [
        "(", ")", "（", "）", "()", "（）", "(局)", "(WHO)", "(PM2.5)", "(2023)", "(Li Wei)", "(Beijing)", "(ai)",
        "(big data)", "(ㄅㄆㄇ)", "\n", "\n", "\r\n", "\r", "\r\r\n", "\u{FEFF}", "２．５", "１００％", "１，０００",
        "ＡＩ", "\u{200B}", "\u{200D}", "\u{00AD}", "\u{2060}", "\u{7}", "\u{1B}", "  \n", "\t\n", "\u{3000}\n", " ",
        ",", ";", ":", "?", "!", "。", "！", "？", "“", "”", "「", "」", "…", "e\u{301}", "\u{301}", "A\u{30A}",
        "\u{1100}\u{1161}\u{11A8}", "👨\u{200D}👩", "😀", "PM2.5", "Li Wei", "2023", "１２", "ai", "𠀀", "\u{F900}",
        "\u{A0}", "\u{2003}", "\u{3000}", "\u{2028}", "１，０００，０００", "３％", "((", "))", "（（", "\u{3105}\u{02CA}",
        "(這是一段很長很長的說明文字，用來測試括號裡的長內容會不會被誤刪，長度超過掃描的上限也應該原樣保留下來。)",
    ]

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    /// A gloss of the `count` Han characters at the end of `chars`: right, wrong or odd in form.
    mutating func gloss(of chars: [Character]) -> String {
        let readings = Readings.shared
        var syllables: [String] = []
        let zhuyin = chance(15)
        for ch in chars {
            let ids = readings.readings(of: ch.unicodeScalars.first!.value)
            guard !ids.isEmpty else { return "(x)" }
            let id = Int(pick(ids))
            if zhuyin, !readings.zhuyin[id].isEmpty {
                syllables.append(Scalars(pick(readings.zhuyin[id])).string + (chance(50) ? pick(["ˊ", "ˇ", "ˋ", "˙"]) : ""))
            } else {
                var s = Scalars(readings.syllables[id]).string
                if chance(30) { s = s.replacingOccurrences(of: "v", with: pick(["u:", "ü", "v"])) }
                if chance(30) { s += String(1 + rng.next() % 5) }
                if chance(10) { s = s.capitalized } // a romanised name: stays
                if chance(10) { s = s.replacingOccurrences(of: "a", with: pick(["ā", "á", "ǎ", "à"])) }
                syllables.append(s)
            }
        }
        if chance(10) { syllables.append(pick(["de", "shi", "xx", "an"])) } // one syllable too many or wrong
        let open = chance(70) ? "(" : "（", close = chance(85) ? (open == "(" ? ")" : "）") : (open == "(" ? "）" : ")")
        return open + syllables.joined(separator: chance(50) ? " " : "") + close
    }

    mutating func make() -> String {
        var out = ""
        if chance(20) { out += "\u{FEFF}" }
        for _ in 0..<Int(rng.next() % 60) {
            switch rng.next() % 10 {
            case 0...3:
                var run: [Character] = []
                for _ in 0..<(1 + Int(rng.next() % 5)) { run.append(pick(DirtyText.han)) }
                out += String(run)
                if chance(50) {
                    let k = 1 + Int(rng.next() % UInt64(run.count))
                    let g = gloss(of: Array(run.suffix(k)))
                    out += g
                    if chance(25) { out += g } // repeated gloss
                }
            case 4:
                // A real parenthetical with glosses inside.
                let a = pick(DirtyText.han), b = pick(DirtyText.han)
                out += pick(["(", "（"]) + String(a) + gloss(of: [a]) + pick([",", "，", "、"]) + String(b) + gloss(of: [b]) + pick([")", "）"])
            default:
                out += pick(DirtyText.pieces)
            }
        }
        return out
    }
}

/// Laws that hold for every input (``Laws``, the same as the fuzz targets'), checked on every golden
/// fixture and on seeded random inputs.
@Suite struct PropertyTests {
    /// Random inputs per test batch; `HANPIPE_PROPERTY_SCALE=N` runs N times as many (for a deeper search).
    static let perBatch = 60 * max(1, Int(ProcessInfo.processInfo.environment["HANPIPE_PROPERTY_SCALE"] ?? "") ?? 1)

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/golden")
    }

    static func job(_ target: Script, annotate: Bool = true, encoding: Decode.Encoding = .auto) throws -> Job {
        var options = Pipeline.Options()
        options.target = target
        options.annotate = annotate
        return Job(pipeline: try Pipeline(options: options), encoding: encoding)
    }

    /// A Swift string literal of the text with every non-ASCII character escaped, to paste into a test.
    static func escaped(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { c in
            c.value >= 0x20 && c.value < 0x7F && c != "\\" && c != "\"" ? String(c) : "\\u{\(String(c.value, radix: 16))}"
        }.joined() + "\""
    }

    /// The source rebuilt from the clean text and the edits (``Laws/rebuild(_:)``); nil, with an issue
    /// recorded, when an edit's `to` is not what the clean text holds at that point.
    static func rebuild(_ doc: Document) -> Scalars? {
        do { return try Laws.rebuild(doc) } catch {
            Issue.record("\(doc.id): \(error)")
            return nil
        }
    }

    /// The laws (``Laws``, shared with the fuzz targets) on the document in memory and on its JSON.
    static func checkLaws(_ doc: Document, _ label: String, rebuild: Bool) {
        do { try Laws.checkAll(doc, rebuild: rebuild) } catch { Issue.record("\(label): \(error)") }
    }

    static func checkLaws(bytes: [UInt8], label: String, encoding: Decode.Encoding = .auto) throws {
        let keep = try job(.keep, encoding: encoding).document(id: label, bytes: bytes)
        checkLaws(keep, label + " (keep)", rebuild: true)
        for target in [Script.simplified, .traditional] {
            let doc = try job(target, encoding: encoding).document(id: label, bytes: bytes)
            checkLaws(doc, "\(label) (\(target))", rebuild: false)
        }
    }

    @Test func fixturesRebuildTheirSource() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: PropertyTests.fixtures.path).filter { $0.hasSuffix(".in") }
        #expect(names.count >= 13)
        for name in names.sorted() {
            let url = PropertyTests.fixtures.appendingPathComponent(name)
            let bytes = Array(try Data(contentsOf: url))
            var encoding = Decode.Encoding.auto
            let args = (try? String(contentsOf: url.deletingPathExtension().appendingPathExtension("args"), encoding: .utf8)) ?? ""
            let lines = args.split(whereSeparator: \.isNewline).map(String.init)
            if let i = lines.firstIndex(of: "--encoding"), i + 1 < lines.count { encoding = Decode.Encoding(rawValue: lines[i + 1]) ?? .auto }
            try PropertyTests.checkLaws(bytes: bytes, label: name, encoding: encoding)
        }
    }

    @Test(arguments: 0..<8)
    func randomInputsRebuildTheirSource(_ batch: Int) throws {
        for k in 0..<PropertyTests.perBatch {
            let seed = UInt64(batch * 1_000_000 + k)
            var gen = DirtyText(seed: seed)
            let text = gen.make()
            var bytes = Array(text.utf8)
            if gen.chance(10) { bytes = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
            try PropertyTests.checkLaws(bytes: bytes, label: "seed \(seed) \(PropertyTests.escaped(text))")
        }
    }

    /// Arbitrary bytes either decode or fail with a HanPipeError (never a crash, never a silent
    /// replacement character for bad UTF-8), and what decodes obeys the laws.
    @Test(arguments: 0..<4)
    func arbitraryBytes(_ batch: Int) throws {
        for k in 0..<PropertyTests.perBatch {
            let seed = UInt64(70_000_000 + batch * 1_000_000 + k)
            var rng = SplitMix64(seed: seed)
            var gen = DirtyText(seed: seed)
            var bytes = Array(gen.make().utf8)
            // Damage it: flip, cut, insert bytes; sometimes prefix a UTF-16 BOM to odd-length data.
            for _ in 0..<Int(rng.next() % 4) where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] ^= UInt8(truncatingIfNeeded: rng.next() | 0x80)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 3)))
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                }
            }
            if rng.next() % 10 == 0 { bytes = [0xFF, 0xFE] + bytes }
            let label = "bytes seed \(seed)"
            do {
                let scalars = try Decode.decode(bytes, encoding: .auto)
                if (try? Decode.decode(bytes, encoding: .utf8)) != nil {
                    #expect(scalars == Scalars(scalarsOf: String(decoding: bytes, as: UTF8.self)), "\(label): valid UTF-8 decoded differently")
                }
                try PropertyTests.checkLaws(bytes: bytes, label: label)
            } catch is HanPipeError {
                // An input error is a fine answer for damaged bytes.
            }
        }
    }

    static func streamed(_ bytes: [UInt8], job: Job, block: Int, chunk: Int, sentences: Bool) throws -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        try job.cleanStream(id: "t", sentences: sentences, chunkSize: chunk, read: {
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + block)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }, write: { out.append(contentsOf: $0) })
        return out
    }

    /// Every fixture, in every encoding, streams to the same clean text as a whole document.
    @Test func fixturesStreamLikeWholeDocuments() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: PropertyTests.fixtures.path).filter { $0.hasSuffix(".in") }
        for name in names.sorted() {
            let bytes = Array(try Data(contentsOf: PropertyTests.fixtures.appendingPathComponent(name)))
            for sentences in [false, true] {
                var options = Pipeline.Options()
                options.annotate = sentences
                options.skip = ["entities", "numbers"]
                let job = Job(pipeline: try Pipeline(options: options))
                let whole = TextWriter.text(try job.document(id: "t", bytes: bytes), sentences: sentences)
                for (block, chunk) in [(7, 16), (64, 3), (1 << 16, 1 << 18)] {
                    let out = try PropertyTests.streamed(bytes, job: job, block: block, chunk: chunk, sentences: sentences)
                    #expect(out == whole, "\(name): streamed clean differs (block \(block), chunk \(chunk), sentences \(sentences))")
                }
            }
        }
    }

    /// Streaming `clean` (blocks of bytes in, chunks of decoded source processed one by one) writes
    /// exactly what whole-document cleaning writes, wherever the blocks and chunks are cut.
    @Test(arguments: 0..<4)
    func streamingEqualsWholeDocument(_ batch: Int) throws {
        for k in 0..<(PropertyTests.perBatch / 2) {
            let seed = UInt64(80_000_000 + batch * 1_000_000 + k)
            var gen = DirtyText(seed: seed)
            let input = gen.make()
            let bytes = Array(input.utf8)
            let block = 1 + Int(gen.rng.next() % 16), chunk = 1 + Int(gen.rng.next() % 24)
            let sentences = gen.chance(30)
            for target in [Script.keep, .simplified] {
                var options = Pipeline.Options()
                options.target = target
                options.annotate = sentences
                options.skip = ["entities", "numbers"]
                let job = Job(pipeline: try Pipeline(options: options))
                let whole = TextWriter.text(try job.document(id: "t", bytes: bytes), sentences: sentences)
                let out = try PropertyTests.streamed(bytes, job: job, block: block, chunk: chunk, sentences: sentences)
                if out != whole {
                    let a = String(decoding: whole, as: UTF8.self).debugDescription
                    let b = String(decoding: out, as: UTF8.self).debugDescription
                    Issue.record("seed \(seed) (\(target), block \(block), chunk \(chunk), sentences \(sentences)): streamed \(b) but whole \(a); input \(PropertyTests.escaped(input))")
                }
            }
        }
    }

    /// `check` relies on this: cleaning clean text changes nothing.
    @Test(arguments: 0..<4)
    func cleaningIsIdempotent(_ batch: Int) throws {
        for k in 0..<PropertyTests.perBatch {
            let seed = UInt64(50_000_000 + batch * 1_000_000 + k)
            var gen = DirtyText(seed: seed)
            let input = gen.make()
            let bytes = Array(input.utf8)
            for target in [Script.keep, .simplified, .traditional] {
                let job = try PropertyTests.job(target, annotate: false)
                let once = try job.document(id: "a", bytes: bytes).text
                let twice = try job.document(id: "b", bytes: Array(once.string.utf8)).text
                if once != twice {
                    let at = zip(once, twice).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? min(once.count, twice.count)
                    let a = once[max(0, at - 8)..<min(once.count, at + 8)].string.debugDescription
                    let b = twice[max(0, at - 8)..<min(twice.count, at + 8)].string.debugDescription
                    Issue.record("seed \(seed) (\(target)): cleaning the clean text again changes \(a) to \(b); input \(PropertyTests.escaped(input))")
                }
            }
        }
    }

    /// Annotation JSON is the same whether documents are processed one by one or concurrently, and on a
    /// second run (the library side of `-j`; the CLI side is in GoldenTests).
    @Test func jsonDoesNotDependOnConcurrency() throws {
        var inputs: [[UInt8]] = []
        for seed in 0..<200 as Range<UInt64> {
            var gen = DirtyText(seed: 90_000 + seed)
            inputs.append(Array(gen.make().utf8))
        }
        let job = try PropertyTests.job(.simplified)
        func render(_ i: Int) -> [UInt8] {
            (try? JSONWriter.document(job.document(id: "doc\(i)", bytes: inputs[i]))) ?? Array("error".utf8)
        }
        let serial = inputs.indices.map(render)
        struct Render: @unchecked Sendable { let call: (Int) -> [UInt8] }  // joined by concurrentPerform
        let shared = Render(call: render)
        final class Results: @unchecked Sendable {
            var items: [[UInt8]]
            let lock = NSLock()
            init(_ n: Int) { items = Array(repeating: [], count: n) }
        }
        for _ in 0..<2 {
            let results = Results(inputs.count)
            DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
                let r = shared.call(i)
                results.lock.lock(); results.items[i] = r; results.lock.unlock()
            }
            #expect(results.items == serial)
        }
    }

    @Test func generatorIsDeterministic() {
        var a = DirtyText(seed: 7), b = DirtyText(seed: 7)
        #expect(a.make() == b.make())
    }

    @Test func rebuildOfOneGloss() throws {
        let doc = try PropertyTests.job(.keep).document(id: "t", bytes: Array("長(chang)城".utf8))
        #expect(PropertyTests.rebuild(doc) == doc.source)
        #expect(doc.edits.count == 1)
    }
}
