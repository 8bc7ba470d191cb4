import Foundation
import Testing
@testable import HanPipe

@Suite struct ChangeReportTests {
    func report(_ s: String, _ target: Script = .simplified, path: String = "a.txt") throws -> ChangeReport {
        var options = Pipeline.Options()
        options.target = target
        options.annotate = false
        let doc = try Job(pipeline: try Pipeline(options: options)).document(id: path, bytes: Array(s.utf8))
        return ChangeReport(doc, path: path)
    }

    func summary(_ r: ChangeReport) -> [String] { r.changes.map { "\($0.line):\($0.column) \($0.stage) \($0.from)→\($0.to)" } }

    @Test func glossesAndConversionLocatedInTheSource() throws {
        let r = try report("長三角(jiao)毗鄰\n地區生(sheng)態(tai)")
        #expect(summary(r) == [
            "1:1 convert 長→长", "1:4 degloss (jiao)→", "1:11 convert 鄰→邻",
            "2:2 convert 區→区", "2:4 degloss (sheng)→", "2:11 convert 態→态", "2:12 degloss (tai)→",
        ])
        #expect(r.lines == [
            .init(line: 1, column: 1, message: "繁→简 2 characters; gloss (jiao) removed"),
            .init(line: 2, column: 2, message: "繁→简 2 characters; glosses (sheng), (tai) removed"),
        ])
        // Source offsets agree with the positions.
        #expect(r.changes[1].sourceStart == 3 && r.changes[1].sourceEnd == 9)
        #expect(r.changes[3].sourceStart == 13)  // 長三角(jiao)毗鄰 and the line break are 0…11
    }

    @Test func neighbouringConvertedCharactersAreOneChange() throws {
        let r = try report("他說話很快。")
        #expect(summary(r) == ["1:2 convert 說話→说话"])
        #expect(r.lines.map(\.message) == ["繁→简 2 characters"])
        let t = try report("他说话很快。", .traditional)
        #expect(summary(t) == ["1:2 convert 说话→說話"])
        #expect(t.lines.map(\.message) == ["简→繁 2 characters"])
        #expect(try report("他說話很快。", .keep).isEmpty)
    }

    @Test func lineEndingsWidthAndSpaces() throws {
        let r = try report("你好,世界\r\n第二行 \r\n\r第四行１２３", .keep)
        #expect(summary(r) == [
            "1:3 normalize ,→，", "1:6 decode \r→", "2:4 normalize  →", "2:5 decode \r→",
            "3:1 decode \r→\n", "4:4 normalize １２３→123",
        ])
        #expect(r.lines.map(\.message) == [
            "CRLF line ending → LF; full-width ，",
            "CRLF line ending → LF; trailing space removed",
            "CR line ending → LF",
            "half-width 123",
        ])
    }

    @Test func byteOrderMarkIsNotCountedInColumns() throws {
        let r = try report("\u{FEFF}說")
        #expect(summary(r) == ["1:1 decode \u{FEFF}→", "1:1 convert 說→说"])
        #expect(r.lines.map(\.message) == ["byte order mark removed; 繁→简 1 character"])
    }

    @Test func manyGlossesAreAbbreviated() throws {
        let r = try report("生(sheng)態(tai)環(huan)境(jing)制(zhi)度(du)")
        #expect(r.lines.count == 1)
        #expect(r.lines[0].message == "繁→简 2 characters; glosses (sheng), (tai), (huan), (jing) and 2 more removed")
    }

    @Test func githubFormatIsEscaped() throws {
        let r = try report("長三角(jiao)\n說", path: "news/a,b:c%d.txt")
        let text = String(decoding: ChangeReport.github([r]), as: UTF8.self)
        #expect(text == """
            ::error file=news/a%2Cb%3Ac%25d.txt,line=1,col=1::繁→简 1 character; gloss (jiao) removed
            ::error file=news/a%2Cb%3Ac%25d.txt,line=2,col=1::繁→简 1 character

            """)
        #expect(ChangeReport.escapeData("50% a\r\nb: c,d") == "50%25 a%0D%0Ab: c,d")
        #expect(ChangeReport.escapeProperty("50% a\r\nb: c,d") == "50%25 a%0D%0Ab%3A c%2Cd")
        #expect(ChangeReport.github([try report("干净的文本。")]).isEmpty)
    }

    @Test func jsonParsesAndListsEveryChange() throws {
        let reports = [try report("長三角(jiao)\n\"引\"\u{200B}", path: "a \"b\".txt"), try report("干净。", path: "c.txt")]
        let bytes = ChangeReport.json(reports)
        #expect(ChangeReport.json(reports) == bytes)
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        let files = try #require(object?["files"] as? [[String: Any]])
        #expect(files.count == 2)
        #expect(files[0]["path"] as? String == "a \"b\".txt")
        let changes = try #require(files[0]["changes"] as? [[String: Any]])
        #expect(changes.count == reports[0].changes.count)
        #expect(changes.map { $0["stage"] as? String } == reports[0].changes.map(\.stage))
        #expect(changes.last?["from"] as? String == "\u{200B}")
        #expect(changes.last?["line"] as? Int == 2 && changes.last?["column"] as? Int == 4)
        let lines = try #require(files[0]["lines"] as? [[String: Any]])
        #expect(lines.last?["message"] as? String == "invisible U+200B removed")
        #expect((files[1]["changes"] as? [Any])?.isEmpty == true)
        #expect(String(decoding: ChangeReport.json([]), as: UTF8.self) == "{\n  \"files\": []\n}\n")
    }
}

@Suite struct ChangeReportStreamTests {
    /// Runs `job.stream` over `s` fed in blocks, with small chunks, so that long lines are cut after
    /// sentence terminators too. (The decoder decides the encoding on the first 64 KiB and cuts nothing
    /// before, so `s` must be longer.)
    static func chunks(_ s: String, job: Job, chunkSize: Int = 50) throws -> [Document] {
        var docs: [Document] = []
        var blocks = Array(s.utf8).chunked(997)
        try job.stream(id: "t", chunkSize: chunkSize, read: { blocks.isEmpty ? nil : blocks.removeFirst() }) { doc, _ in docs.append(doc) }
        return docs
    }

    @Test func chunkedReportEqualsWholeReport() throws {
        var options = Pipeline.Options()
        options.annotate = false
        let job = Job(pipeline: try Pipeline(options: options), encoding: .utf8)
        let text = "\u{FEFF}" + ChangeReportStreamTests.longText
        let whole = ChangeReport(try job.document(id: "t", bytes: Array(text.utf8)), path: "t")
        let docs = try Self.chunks(text, job: job)
        #expect(docs.count > 100, "the text is cut into many chunks")
        #expect(docs.contains { $0.text.last != 0x0A }, "some inside a line")
        var streamed = ChangeReport(path: "t", target: .simplified)
        for doc in docs { streamed.add(doc) }
        #expect(streamed.changes == whole.changes)
        #expect(streamed.lines == whole.lines)
        #expect(whole.lines.count == 4 * 600)
        #expect(whole.lines.last?.line == 4 * 600)
        // 第四行。, 30 sentences of six, 再一句, (ju): 話 is the line's 192nd character.
        #expect(whole.changes.last.map { "\($0.column) \($0.stage) \($0.from)" } == "192 convert 話")
    }
}

extension ChangeReportStreamTests {
    /// About 130 KiB: four lines (CRLF, CRLF, CR, LF endings) 600 times; the fourth line is long.
    static let longText = String(repeating: "長三角(jiao)毗鄰。地區生(sheng)態(tai)。環境共保聯治，ＡＢ。\r\n第二行說話 \r\n\r第四行。"
        + String(repeating: "很長的一行。", count: 30) + "再一句(ju)話。\n", count: 600)
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
