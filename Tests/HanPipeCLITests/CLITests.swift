import Testing
import Foundation

/// Runs the built `hanpipe` binary.
enum CLI {
    static var binary: URL {
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [testBundle, testBundle.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("hanpipe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/hanpipe")
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Result { var status: Int32; var stdout: Data; var stderr: String }

    /// Runs the binary with `arguments`, feeding `stdin`, optionally in another working directory.
    static func run(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Standard output is drained on another thread while standard input is written, so that a large
        // input cannot deadlock against a full output pipe.
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outBox.data, stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct CLITests {
    @Test func versionNamesICU() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(String(decoding: r.stdout, as: UTF8.self).contains("ICU"))
    }

    @Test func usageErrorExits2() throws {
        let r = try CLI.run(["clean", "--to", "martian"])
        #expect(r.status == 2)
        let cost = try CLI.run(["train-ner", "--train", "t.jsonl", "-o", "m.bin", "--margin-cost", "-1"])
        #expect(cost.status == 2)
        #expect(cost.stderr.contains("--margin-cost"))
    }

    @Test func cleanReadsStandardInput() throws {
        let r = try CLI.run(["clean"], stdin: Data("長(chang)三角".utf8))
        #expect(r.status == 0)
        #expect(String(decoding: r.stdout, as: UTF8.self) == "长三角")
    }
}

/// `run`, `check` and `--jsonl` behaviour as a shell user sees it.
@Suite struct BatchTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hanpipe-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func runSkipsABinaryFileWritesTheRestAndExits3() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("articles")
        try FileManager.default.createDirectory(at: input.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("長(chang)三角毗鄰地區。".utf8).write(to: input.appendingPathComponent("a.txt"))
        try Data("生(sheng)態".utf8).write(to: input.appendingPathComponent("sub/b.txt"))
        try Data([0x00, 0xFF, 0xFE, 0x00, 0x13, 0x88, 0x9F, 0xFF, 0x00]).write(to: input.appendingPathComponent("c.bin"))
        let out = dir.appendingPathComponent("out")
        let r = try CLI.run(["run", input.path, "-o", out.path, "--format", "json,brat"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("c.bin"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        let a = try String(contentsOf: out.appendingPathComponent("articles/a.txt"), encoding: .utf8)
        #expect(a == "长三角毗邻地区。")
        let b = try String(contentsOf: out.appendingPathComponent("articles/sub/b.txt"), encoding: .utf8)
        #expect(b == "生态")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("articles/a.json"))) as! [String: Any]
        #expect(json["id"] as? String == "articles/a.txt")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("articles/a.ann").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("articles/c.txt").path))
        // No temporary files are left behind.
        let leftovers = FileManager.default.enumerator(atPath: out.path)!.compactMap { $0 as? String }.filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func runOutputMatchesAnnotateAndClean() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = "\u{FEFF}一(yi)體化制度創新,是示范區(qu)的核心使命(ming)。\r\n他說。“好！”\r\n"
        let file = dir.appendingPathComponent("x.txt")
        try Data(text.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        #expect(try CLI.run(["run", file.path, "-o", out.path]).status == 0)
        let cleaned = try CLI.run(["clean", file.path]).stdout
        #expect(try Data(contentsOf: out.appendingPathComponent("x.txt")) == cleaned)
        let annotated = try CLI.run(["annotate", file.path]).stdout
        let fromRun = try Data(contentsOf: out.appendingPathComponent("x.json"))
        // The same document apart from the id (a path for annotate, the relative name for run).
        var a = try JSONSerialization.jsonObject(with: annotated) as! [String: Any]
        var b = try JSONSerialization.jsonObject(with: fromRun) as! [String: Any]
        a["id"] = nil; b["id"] = nil
        #expect(NSDictionary(dictionary: a) == NSDictionary(dictionary: b))
    }

    @Test func jsonlKeepsOrderAndOtherFieldsForAnyJ() throws {
        var lines: [String] = []
        for i in 0..<300 {
            lines.append("{\"id\": \"r\(i)\", \"text\": \"第\(i)篇：長(chang)三角\(i)號。\", \"meta\": {\"n\": \(i), \"tags\": [\"a\", null]}}")
        }
        lines.insert("not json", at: 7)
        lines.insert("{\"id\": 1, \"text\": 5}", at: 20)
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        let one = try CLI.run(["annotate", "--jsonl", "-j", "1"], stdin: input)
        let two = try CLI.run(["annotate", "--jsonl", "-j", "2"], stdin: input)
        #expect(one.status == 3)
        #expect(one.stdout == two.stdout)
        let out = String(decoding: one.stdout, as: UTF8.self).split(separator: "\n")
        #expect(out.count == lines.count)
        #expect(out[7] == "not json")
        #expect(out[20] == "{\"id\": 1, \"text\": 5}")
        #expect(one.stderr.contains("line 8"))
        #expect(one.stderr.contains("line 21"))
        #expect(out[0].hasPrefix("{\"id\": \"r0\", \"text\": \"第0篇：长三角0号。\", \"meta\": {\"n\": 0, \"tags\": [\"a\", null]}, \"to\": \"simplified\""))
    }

    @Test func checkAcceptsCleanOutputAndRejectsRaw() throws {
        let raw = Data("長(chang)城很長(chang)".utf8)
        let clean = try CLI.run(["clean"], stdin: raw).stdout
        #expect(try CLI.run(["check"], stdin: clean).status == 0)
        let r = try CLI.run(["check", "--diff"], stdin: raw)
        #expect(r.status == 1)
        #expect(String(decoding: r.stdout, as: UTF8.self).contains("+长城很长"))
    }

    @Test func invalidUTF8NamesTheByteOffset() throws {
        var bytes = Array("中文".utf8)
        bytes.append(0xC3)
        bytes.append(0x28)
        let r = try CLI.run(["clean", "--encoding", "utf-8"], stdin: Data(bytes))
        #expect(r.status == 3)
        #expect(r.stderr == "hanpipe: <stdin>: invalid UTF-8 bytes at byte offset 6\n")
    }

    @Test func runRefusesTwoInputsWithTheSameOutputName() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try Data("中文".utf8).write(to: input.appendingPathComponent("a.md"))
        try Data("英文".utf8).write(to: input.appendingPathComponent("a.txt"))
        let out = dir.appendingPathComponent("out")
        let r = try CLI.run(["run", input.path, "-o", out.path])
        #expect(r.status == 3)
        #expect(r.stderr.contains("a.txt: its outputs in/a.* would overwrite those of"))
        #expect(try String(contentsOf: out.appendingPathComponent("in/a.txt"), encoding: .utf8) == "中文")
    }

    @Test func unknownStageIsAUsageError() throws {
        let r = try CLI.run(["clean", "--skip", "nonsense"], stdin: Data())
        #expect(r.status == 2)
        #expect(r.stderr.contains("nonsense"))
    }
}

/// Each command offers only the options it uses, with value names that say what they are.
@Suite struct OptionGroupTests {
    func help(_ command: String) throws -> String {
        let r = try CLI.run([command, "--help"])
        #expect(r.status == 0)
        return String(decoding: r.stdout, as: UTF8.self)
    }

    @Test func eachCommandOffersWhatItUses() throws {
        let clean = try help("clean"), annotate = try help("annotate"), run = try help("run"), check = try help("check")
        #expect(!clean.contains("--ner-model") && !clean.contains("-j "))
        #expect(!run.contains("--jsonl") && run.contains("-o <dir>") && run.contains("-j <workers>"))
        #expect(annotate.contains("--ner-model <file>") && annotate.contains("--jsonl"))
        #expect(!check.contains("--sentences") && !check.contains("--ner-model"))
        for text in [clean, annotate, run, check] {
            #expect(!text.contains("<o>") && !text.contains("<j>"))
            // --skip lists the registry's stages as its values.
            #expect(text.contains("--skip <stage>") && text.contains("normalize") && text.contains("numbers"))
        }
    }

    @Test func aMissingModelIsAnInputError() throws {
        let r = try CLI.run(["annotate", "--ner-model", "/nonexistent/model.bin"], stdin: Data("中".utf8))
        #expect(r.status == 3)
        #expect(r.stderr == "hanpipe: /nonexistent/model.bin: No such file or directory\n")
    }

    @Test func skipTakesCommaListsAndRepeats() throws {
        let a = try CLI.run(["clean", "--skip", "degloss,convert"], stdin: Data("長(chang)城".utf8))
        let b = try CLI.run(["clean", "--skip", "degloss", "--skip", "convert"], stdin: Data("長(chang)城".utf8))
        #expect(a.status == 0 && a.text == "長(chang)城" && b.text == a.text)
    }
}
