import Testing
import Foundation

/// `check --jsonl` reports a bad or over-long record exactly as `clean --jsonl` does (same message after
/// `hanpipe: <file>:`, exit 3), and passes blank lines silently.
@Suite struct CheckJSONLTests {
    @Test func badRecordsAreReportedAsInClean() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanpipe-checkjsonl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, [String])] = [
            ("{\"id\":1,\"text\":\"a\"}\n\nnot json\n", []),
            ("{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"中文中文中文中文中文中文\"}\n", ["--max-line-bytes", "40"]),
        ]
        for (index, (content, extra)) in cases.enumerated() {
            let name = "in\(index).jsonl"
            try Data(content.utf8).write(to: dir.appendingPathComponent(name))
            let clean = try CLI.run(["clean", "--jsonl"] + extra + [name], in: dir)
            let check = try CLI.run(["check", "--jsonl"] + extra + [name], in: dir)
            #expect(clean.status == 3)
            #expect(check.status == 3)
            #expect(!clean.stderr.isEmpty)
            #expect(check.stderr.hasPrefix(clean.stderr), "clean: \(clean.stderr) check: \(check.stderr)")
        }
        // Blank lines alone are no error.
        try Data("{\"id\":1,\"text\":\"a\"}\n\n".utf8).write(to: dir.appendingPathComponent("blank.jsonl"))
        #expect(try CLI.run(["check", "--jsonl", "blank.jsonl"], in: dir).status == 0)
    }
}
