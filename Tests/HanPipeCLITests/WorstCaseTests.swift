import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Each stage's "Worst case: linear" sentence, checked on a generated 1 MB adversarial input per stage
/// through the whole CLI (so entities and numbers are covered whatever they become). The test asserts
/// completion, not speed: a watchdog kills the process after `watchdog` seconds, hundreds of times what a
/// linear stage needs even in a debug build, and far less than a quadratic one needs on 1 MB (hours).
/// Each input is made of several patterns of at least 128 KB each, on lines of their own unless the
/// pattern is about lines.
@Suite struct WorstCaseTests {
    static let watchdog = 600.0
    static let megabyte = 1 << 20

    /// `pattern` repeated to at least `bytes` bytes.
    static func repeated(_ pattern: String, _ bytes: Int) -> String {
        let unit = pattern.utf8.count
        return String(repeating: pattern, count: max(1, bytes / unit))
    }

    /// Lines of patterns filling one megabyte between them.
    static func mix(_ patterns: [String]) -> String {
        patterns.map { repeated($0, megabyte / patterns.count) }.joined(separator: "\n")
    }

    /// Runs hanpipe with `stdin` from a file, killing it after the watchdog; returns the exit status and
    /// the size of its output, or nil when the watchdog fired.
    static func runGuarded(_ arguments: [String], input: String) throws -> (status: Int32, outputBytes: Int)? {
        let dir = try Scratch()
        defer { dir.remove() }
        let inputPath = try dir.write("input", input)
        let outputPath = dir.path + "/output"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments + [inputPath]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waited = 0.0
        while process.isRunning && waited < watchdog {
            usleep(50_000)
            waited += 0.05
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return (process.terminationStatus, Int(Files.size(outputPath)))
    }

    enum Files {
        static func size(_ path: String) -> Int {
            var st = stat()
            return stat(path, &st) == 0 ? Int(st.st_size) : -1
        }
    }

    static let cases: [(stage: String, input: String)] = [
        // decode: lone CRs and CRLFs (an edit per character), a BOM in front.
        ("decode", "\u{FEFF}" + mix(["\r", "\r\n", "a\r"])),
        // repair: mojibake runs that decode (UTF-8, GBK, Big5 read as Latin-1; UTF-8 read as GBK), runs
        // that ICU refuses one character at a time, lost-byte UTF-8, suspicious GBK characters that fail
        // at once, and character references with and without an end.
        ("repair", mix(["å¸ƒ·¢²¼¤¤µo", "\u{81}@", "å‘", "鍙戝竷", "鍙a", "&amp;&#x4E2D", "&" + String(repeating: "a", count: 30),
                        "Ã©â€"])),
        // normalize: a space run inside one line, combining marks piled on one base, zero-width
        // characters, ASCII commas between Han characters, full-width digits and symbols.
        ("normalize", mix(["Ａ" + String(repeating: " ", count: 200_000) + "x", "a" + String(repeating: "\u{301}\u{316}", count: 40_000),
                           "\u{200B}", "生,", "１．", "e\u{301}"])),
        // convert: one line of Traditional characters with no break.
        ("convert", repeated("長三角毗鄰地區生態環境廳發佈於", megabyte)),
        // degloss: openers after Han, glosses without Han, a chain of glosses, nesting, unclosed ones.
        ("degloss", mix(["生(", "(sheng)", "生" + repeated("(sheng)", 100_000), "生(sheng", "（", "長三角(chang san jiao"])),
        // segment: nested quotes, terminators only, one line without terminators, openers after stops.
        ("segment", mix(["「", "」", "。", "好。「", "我們走吧", "“"])),
        // entities: long runs of place, organisation and name characters with no break.
        ("entities", mix(["上海市北京市浙江省", "生態環境局委員會", "王李張劉陳", "長三角地區"])),
        // numbers: digit runs, Chinese numerals, separators, units, ranges and ordinals without end.
        ("numbers", mix(["1", "一", "1,", "3.", "第", "百分之", "3至", "4萬億", "壹贰叁", "十余"])),
    ]

    @Test(arguments: 0..<cases.count)
    func stageCompletesOnAMegabyteOfAdversarialInput(_ index: Int) throws {
        let (stage, input) = WorstCaseTests.cases[index]
        #expect(input.utf8.count >= WorstCaseTests.megabyte * 9 / 10, "\(stage): input too small")
        let result = try WorstCaseTests.runGuarded(["annotate", "--to", "simplified", "--max-line-bytes", "16777216"], input: input)
        let finished = try #require(result, "\(stage): no result within \(WorstCaseTests.watchdog) s (quadratic?)")
        #expect(finished.status == 0, "\(stage)")
        #expect(finished.outputBytes > input.utf8.count / 2, "\(stage)")
    }
}
