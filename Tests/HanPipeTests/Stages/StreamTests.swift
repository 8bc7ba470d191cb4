import Testing
@testable import HanPipe

/// Streaming `clean` must give exactly what whole-document cleaning gives, wherever blocks and chunks
/// are cut.
@Suite struct StreamTests {
    static let sample = "\u{FEFF}長(chang)三角毗鄰地區。生(sheng)(sheng)態環境,廳(局)  \r\n"
        + "一(yi)體化制度創新是示范區的核心使命(ming),生態環境。他說。“好！”她答。（注：略。）\r"
        + "ＡＢＣ１２．５％\u{200B}很長的一行沒有換行符但有句號。又一句。第三句！結尾(wei)"

    func streamed(_ bytes: [UInt8], block: Int, chunk: Int, sentences: Bool, target: Script) throws -> [UInt8] {
        var options = Pipeline.Options()
        options.target = target
        options.annotate = sentences
        options.skip = ["entities", "numbers"]
        return try streamed(bytes, block: block, chunk: chunk, sentences: sentences, target: target,
                            job: Job(pipeline: try Pipeline(options: options)))
    }

    @Test(arguments: [1, 3, 7, 64, 100_000])
    func streamingEqualsWholeDocument(block: Int) throws {
        let bytes = Array(StreamTests.sample.utf8)
        for target in [Script.keep, .simplified] {
            for sentences in [false, true] {
                var options = Pipeline.Options()
                options.target = target
                options.annotate = sentences
                options.skip = ["entities", "numbers"]
                let whole = try Job(pipeline: try Pipeline(options: options)).document(id: "t", bytes: bytes)
                let expected = TextWriter.text(whole, sentences: sentences)
                for chunk in [1, 5, 40, 1 << 18] {
                    let got = try streamed(bytes, block: block, chunk: chunk, sentences: sentences, target: target)
                    #expect(got == expected, "block \(block) chunk \(chunk) sentences \(sentences) \(target)")
                }
            }
        }
    }

    /// A long line is cut after a sentence terminator only where the next sentence starts: never between
    /// `。` and the closing quote or bracket that belongs to its sentence, which `--sentences` would
    /// otherwise write at the start of the next line.
    @Test func longLineIsNotCutBeforeAClosingQuote() throws {
        // Terminators before closing quotes and brackets, and ones before Han, where the cuts may go (a
        // chunk of 40 or more always holds one, so the cut never falls back to a point inside a sentence).
        let line = String(repeating: "他说：“好。”然后走了。大家笑了！「完。」又说“对吗？”（是。）我们走。", count: 60)
        let bytes = Array(line.utf8)
        var options = Pipeline.Options()
        options.annotate = true
        options.skip = ["entities", "numbers"]
        let job = Job(pipeline: try Pipeline(options: options))
        let expected = String(decoding: TextWriter.text(try job.document(id: "t", bytes: bytes), sentences: true), as: UTF8.self)
        for chunk in [40, 64, 100] {
            for block in [7, 64] {
                let got = try streamed(bytes, block: block, chunk: chunk, sentences: true, target: .simplified, job: job)
                let text = String(decoding: got, as: UTF8.self)
                #expect(text == expected, "block \(block) chunk \(chunk): \(text.split(separator: "\n").filter { !expected.contains($0) }.prefix(3))")
            }
        }
    }

    @Test func badBytesNameTheAbsoluteOffset() throws {
        var bytes = Array("中文中文".utf8)
        bytes.append(0xFF)
        bytes.append(contentsOf: Array("好".utf8))
        var options = Pipeline.Options()
        options.annotate = false
        let job = Job(pipeline: try Pipeline(options: options), encoding: .utf8)
        #expect(throws: HanPipeError.badBytes(offset: 12, encoding: "UTF-8")) {
            _ = try streamed(bytes, block: 5, chunk: 4, sentences: false, target: .keep, job: job)
        }
    }

    func streamed(_ bytes: [UInt8], block: Int, chunk: Int, sentences: Bool, target: Script, job: Job) throws -> [UInt8] {
        try PropertyTests.streamed(bytes, job: job, block: block, chunk: chunk, sentences: sentences)
    }
}
