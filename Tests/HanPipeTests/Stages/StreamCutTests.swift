import Testing
@testable import HanPipe

/// StreamDecoder resumes its search for a cut point where the last search failed (a long line without
/// terminators was rescanned on every block: 330 s for a 64 MB line in a debug build, now 15 s). The
/// cut points that straddle a block boundary must still be found.
@Suite struct StreamCutTests {
    @Test func cutPointsArrivingInLaterBlocksAreFound() throws {
        var decoder = StreamDecoder(encoding: .auto)
        decoder.chunkSize = 4
        // The first 64 KiB choose the encoding; no cut point in them.
        #expect(try decoder.feed(Array(repeating: UInt8(ascii: "a"), count: 70_000)).isEmpty)
        // A terminator followed by a plain character: a cut after the terminator.
        let first = try decoder.feed(Array("。b".utf8))
        #expect(first.map(\.source.count) == [70_001])
        #expect(first.first?.endsLine == false)
        // A CR at the end of a block is a line end only once the next character is not an LF.
        #expect(try decoder.feed(Array("cc\r".utf8)).isEmpty)
        let second = try decoder.feed(Array("d".utf8))
        #expect(second.map(\.source) == [Scalars(scalarsOf: "bcc\r")])
        #expect(second.first?.endsLine == true)
        let rest = try decoder.finish()
        #expect(rest.map(\.source) == [Scalars(scalarsOf: "d")])
    }
}
