import Testing
@testable import HanPipe

/// Decode refuses a file that mixes UTF-8 with a legacy encoding (instead of decoding all of it as the
/// legacy one, which turns the UTF-8 part into mojibake), and checks line lengths before decoding, so an
/// overlong line takes no memory for its code points.
@Suite struct DecodeMixedTests {
    @Test func utf8ThenGB18030IsAnInputErrorAtTheFirstBadByte() throws {
        let utf8 = Array("長三角的生態環境。".utf8)  // 9 characters, 27 bytes
        let gb: [UInt8] = [0xB3, 0xA4, 0xC8, 0xFD, 0xBD, 0xC7]  // 长三角 in GB18030
        #expect(throws: HanPipeError.badBytes(offset: 27, encoding: "UTF-8")) {
            try Decode.decode(utf8 + gb, encoding: .auto)
        }
    }

    @Test func pureGB18030IsStillDetected() throws {
        let gb: [UInt8] = Array(repeating: [0xB3, 0xA4, 0xC8, 0xFD, 0xBD, 0xC7, 0xB5, 0xC4, 0xC9, 0xFA, 0xCC, 0xAC], count: 8).flatMap { $0 }
        #expect(try Decode.decode(gb, encoding: .auto).string == String(repeating: "长三角的生态", count: 8))
    }

    @Test func overlongLinesAreRefusedBeforeDecoding() throws {
        // Invalid UTF-8 on an overlong line: the line-length error comes first.
        #expect(throws: HanPipeError.lineTooLong(offset: 3, limit: 4)) {
            try Decode.decode(Array("ab\ncdefg\u{FF}".utf8) + [0xFF], encoding: .auto, maxLineBytes: 4)
        }
        #expect(try Decode.decode(Array("ab\ncdef\ngh".utf8), encoding: .auto, maxLineBytes: 4).string == "ab\ncdef\ngh")
    }
}
