import Testing
@testable import HanPipe

/// A line with no terminator is cut at safe points once it is four chunks long, and the cuts change
/// nothing: the clean text equals whole-document cleaning.
@Suite struct LongLineCutTests {
    static let unit = "生態(sheng tai)環境廳(局),水務(利)於2023年發布136項措施 "

    @Test func aLongLineWithoutTerminatorsIsCutAndCleansTheSame() throws {
        let bytes = Array(String(repeating: LongLineCutTests.unit, count: 2000).utf8)
        let job = Job(pipeline: try Pipeline(.init(annotate: false)))
        var chunks = 0
        var decoder = StreamDecoder(encoding: .auto)
        decoder.chunkSize = 1000
        // Fed in blocks of 2000 bytes: a chunk is cut once 4 × 1000 code points are pending, at the last
        // safe point, so no chunk holds more than about 4000 code points plus a block.
        var all: [StreamDecoder.Chunk] = []
        for start in stride(from: 0, to: bytes.count, by: 2000) {
            all += try decoder.feed(Array(bytes[start..<min(bytes.count, start + 2000)]))
        }
        all += try decoder.finish()
        // The first chunk holds the charset probe (64 KiB) decoded at once.
        for chunk in all {
            chunks += 1
            #expect(chunk.source.count < (chunk.isFirst ? StreamDecoder.probeSize : 6000))
        }
        #expect(all.flatMap(\.source) == Scalars(scalarsOf: String(decoding: bytes, as: UTF8.self)))
        #expect(chunks > 2)
        let whole = TextWriter.text(try job.document(id: "t", bytes: bytes), sentences: false)
        for block in [7, 4096, 1 << 20] {
            #expect(try PropertyTests.streamed(bytes, job: job, block: block, chunk: 1000, sentences: false) == whole)
        }
    }

    @Test func cutsKeepAwayFromBracketsGlossesAndNumbers() throws {
        let decoder = StreamDecoder(encoding: .utf8)
        let line = Scalars(scalarsOf: String(repeating: LongLineCutTests.unit, count: 50))
        let at = try #require(decoder.safeBreak(line, from: 0))
        let before = line[at - 1], after = line[at]
        #expect(!isASCIIDigit(before) && !isASCIIDigit(after))
        #expect(!isOpenParen(after) && !isOpenParen(before))
        // Not inside a bracket: as many closing as opening brackets before the cut.
        #expect(line[..<at].filter(isOpenParen).count == line[..<at].filter(isCloseParen).count)
        // Digits only, or brackets everywhere: no safe point.
        #expect(decoder.safeBreak(Scalars(scalarsOf: String(repeating: "1234567890", count: 100)), from: 0) == nil)
        #expect(decoder.safeBreak(Scalars(scalarsOf: String(repeating: "(字)", count: 300)), from: 0) == nil)
    }
}
