import Testing
import Foundation

/// Every command decodes through the one streaming decoder, so the same input gives the same exit code
/// and the same message after `hanpipe: <file>: ` in clean, annotate, check and run.
@Suite struct OnePathTests {
    /// Hand-encoded text: 中文的生态。 in GB2312 (a subset of GB18030) and 中文的 in Big5, plus a newline.
    static let gbLine: [UInt8] = [0xD6, 0xD0, 0xCE, 0xC4, 0xB5, 0xC4, 0xC9, 0xFA, 0xCC, 0xAC, 0xA1, 0xA3]
    static let big5Line: [UInt8] = [0xA4, 0xA4, 0xA4, 0xE5, 0xAA, 0xBA, 0xA1, 0x43]
    static let limit = 100_000

    /// `unit` repeated, one line per repetition, until at least `size` bytes.
    static func lines(_ unit: [UInt8], size: Int) -> [UInt8] {
        var out: [UInt8] = []
        while out.count < size { out += unit + [0x0A] }
        return out
    }

    /// The inputs of the matrix, by name, with the message each must give (nil: none, exit 0).
    static func inputs() -> [(name: String, bytes: [UInt8], message: String?)] {
        let longGB = Array(repeating: gbLine, count: limit / gbLine.count + 1).flatMap { $0 }
        let gb = lines(gbLine, size: 2000)
        let big5 = lines(big5Line, size: 300_000)
        let utf8 = lines(Array("中文的生态。".utf8), size: 300_000)
        let longUTF8 = Array(String(repeating: "中文的生态", count: limit / 15 + 1).utf8)
        return [
            ("gb18030-long-line", gb + longGB + [0x0A] + gb, "line at byte offset \(gb.count) is longer than \(limit) bytes (see --max-line-bytes)"),
            ("gb18030-nul", gb + [0x00] + gb, "binary data (NUL byte) at byte offset \(gb.count)"),
            ("big5-invalid", big5 + [0xA4, 0x20] + big5, "invalid Big5 bytes at byte offset \(big5.count)"),
            ("utf8-invalid", utf8 + [0xFF] + utf8, "invalid UTF-8 bytes at byte offset \(utf8.count)"),
            ("utf8-long-line", Array("中文。\n".utf8) + longUTF8 + [0x0A], "line at byte offset 10 is longer than \(limit) bytes (see --max-line-bytes)"),
            ("fine", Array("中文的生态。\n第二行。\n".utf8), nil),
        ]
    }

    @Test func everyCommandGivesTheSameOutcome() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        for input in OnePathTests.inputs() {
            let file = try dir.write(input.name + ".txt", input.bytes)
            let limit = ["--max-line-bytes", "\(OnePathTests.limit)"]
            let commands: [(String, [String])] = [
                ("clean", ["clean"] + limit + [file]),
                ("annotate", ["annotate"] + limit + [file]),
                ("check", ["check"] + limit + [file]),
                ("run", ["run"] + limit + ["-o", dir.path + "/out-" + input.name, file]),
            ]
            for (command, arguments) in commands {
                let r = try CLI.run(arguments)
                if let message = input.message {
                    #expect(r.status == 3, "\(command) \(input.name)")
                    #expect(r.stderr == "hanpipe: \(file): \(message)\n", "\(command) \(input.name)")
                } else {
                    #expect(r.status == 0, "\(command) \(input.name): \(r.stderr)")
                    #expect(r.stderr.isEmpty, "\(command) \(input.name)")
                }
            }
        }
    }
}
