import Testing
import Foundation
@testable import HanPipe

/// The decode stage (spec, stage 1): BOM, line endings, strict UTF-8, detected legacy charsets.
@Suite struct DecodeTests {
    func decode(_ bytes: [UInt8], _ encoding: Decode.Encoding = .auto) throws -> Document {
        try Decode.document(id: "t", bytes: bytes, encoding: encoding)
    }

    func utf16LE(_ s: String, bom: Bool) -> [UInt8] {
        (bom ? [0xFF, 0xFE] : []) + s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    func utf16BE(_ s: String, bom: Bool) -> [UInt8] {
        (bom ? [0xFE, 0xFF] : []) + s.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// A news paragraph long enough for ICU's charset detector, with some ASCII as real text has.
    let article = "新華社北京10月15日電　國家統計局今天發布的數據顯示，前三季度國內生產總值同比增長5.2%，其中第三季度增長4.9%。"
        + "專家表示，隨著一系列穩增長政策落地見效，經濟運行持續恢復向好，高質量發展扎實推進。\n"
        + "統計局新聞發言人說，下一階段要繼續鞏固經濟回升向好的基礎，推動經濟實現質的有效提升和量的合理增長。\n"

    @Test func utf8BOMIsStrippedAndRecorded() throws {
        let doc = try decode([0xEF, 0xBB, 0xBF] + Array("長城".utf8))
        #expect(doc.source == Scalars(scalarsOf: "\u{FEFF}長城"))
        #expect(doc.text.string == "長城")
        #expect(doc.edits == [Edit(stage: "decode", sourceStart: 0, sourceEnd: 1, from: "\u{FEFF}", to: "")])
    }

    @Test func crlfAndCRBecomeLF() throws {
        let doc = try decode(Array("一\r\n二\r三\n四\r\n".utf8))
        #expect(doc.text.string == "一\n二\n三\n四\n")
        #expect(doc.source.count == 10)
        #expect(doc.edits.map(\.from) == ["\r", "\r", "\r"])
        #expect(doc.edits.map(\.to) == ["", "\n", ""])
        #expect(doc.edits.map(\.sourceStart) == [1, 4, 8])
        // CR CR LF: the first CR is a line end of its own.
        #expect(try decode(Array("a\r\r\nb".utf8)).text.string == "a\n\nb")
    }

    @Test func cleanUTF8IsUntouched() throws {
        let doc = try decode(Array(article.utf8))
        #expect(doc.text == doc.source)
        #expect(doc.edits.isEmpty)
    }

    @Test func invalidUTF8WithExplicitEncodingNamesTheByteOffset() throws {
        let bytes = Array("長城".utf8) + [0xFF] + Array("好".utf8)
        #expect(throws: HanPipeError.badBytes(offset: 6, encoding: "UTF-8")) { try decode(bytes, .utf8) }
        // A truncated sequence at the end, a lone continuation byte, an overlong form, a UTF-8 surrogate.
        #expect(throws: HanPipeError.badBytes(offset: 3, encoding: "UTF-8")) { try decode(Array("長".utf8) + [0xE5, 0x9F], .utf8) }
        #expect(throws: HanPipeError.badBytes(offset: 1, encoding: "UTF-8")) { try decode([0x61, 0x80, 0x61], .utf8) }
        #expect(throws: HanPipeError.badBytes(offset: 0, encoding: "UTF-8")) { try decode([0xC0, 0xAF], .utf8) }
        #expect(throws: HanPipeError.badBytes(offset: 2, encoding: "UTF-8")) { try decode([0x61, 0x62, 0xED, 0xA0, 0x80], .utf8) }
        #expect(HanPipeError.badBytes(offset: 6, encoding: "UTF-8").description.contains("byte offset 6"))
    }

    /// The golden fixtures hold the same article in UTF-8 and in a legacy encoding (made by
    /// Scripts/update-fixtures with Python's codecs).
    func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/golden/\(name).in")
        return Array(try Data(contentsOf: url))
    }

    @Test func gb18030IsDetected() throws {
        let utf8 = try decode(fixture("simplified-economy"), .utf8).text
        let bytes = try fixture("simplified-economy~gb18030")
        #expect(throws: HanPipeError.self) { try decode(bytes, .utf8) }
        #expect(try decode(bytes).text == utf8)
        #expect(try decode(bytes, .gb18030).text == utf8)
    }

    @Test func big5IsDetected() throws {
        let utf8 = try decode(fixture("traditional-culture"), .utf8).text
        let bytes = try fixture("traditional-culture~big5")
        #expect(try decode(bytes).text == utf8)
        #expect(try decode(bytes, .big5).text == utf8)
    }

    @Test func utf16WithBOM() throws {
        let le = try decode(utf16LE("長(chang)城\r\n", bom: true))
        #expect(le.source.first == 0xFEFF)
        #expect(le.text.string == "長(chang)城\n")
        #expect(try decode(utf16BE("長城", bom: true)).text.string == "長城")
        #expect(try decode(utf16LE("長城", bom: true), .utf16).text.string == "長城")
    }

    @Test func utf16WithoutBOM() throws {
        // Named explicitly: the byte order comes from the side the ASCII zero bytes fall on.
        #expect(try decode(utf16LE(article, bom: false), .utf16).text.string == article)
        #expect(try decode(utf16BE(article, bom: false), .utf16).text.string == article)
        // Detected: ICU's detector recognises UTF-16 without a BOM from the ASCII in it.
        #expect(try decode(utf16LE(article, bom: false)).text.string == article)
    }

    /// ICU's detector guesses UTF-16BE, with its lowest confidence, for short input without any zero
    /// byte: 4 bytes of Big5 `長城` must not come out as the mojibake `꫸ꮰ`.
    @Test func aBaselessUTF16GuessIsNotTaken() throws {
        let auto = try? decode([0xAA, 0xF8, 0xAB, 0xB0])
        #expect(auto == nil || auto?.text.string == "長城")
        // Named explicitly, the same bytes decode.
        #expect(try decode([0xAA, 0xF8, 0xAB, 0xB0], .big5).text.string == "長城")
        // UTF-16 with evidence (ASCII's zero bytes) is still detected without a BOM.
        #expect(try decode(utf16LE("今年GDP增長5%", bom: false)).text.string == "今年GDP增長5%")
    }

    @Test func binaryDataIsAnInputError() throws {
        #expect(throws: HanPipeError.self) { try decode([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF, 0xD8, 0x00]) }
        #expect(throws: HanPipeError.self) { try decode(Array("長城".utf8) + [0, 0x61], .utf8) }
        #expect(throws: HanPipeError.self) { try decode((0..<512).map { UInt8(($0 * 7919) & 0xFF) }) }
    }

    @Test func wrongExplicitLegacyEncodingIsAnError() throws {
        // A Big5 lead byte needs a trail byte: not a space, not the end of the input.
        #expect(throws: HanPipeError.badBytes(offset: 2, encoding: "Big5")) { try decode([0xA4, 0xA4, 0xA4, 0x20], .big5) }
        #expect(throws: HanPipeError.self) { try decode([0x41, 0xA4], .big5) }
    }

    @Test func longLinesAreRefused() throws {
        let bytes = Array("短\n".utf8) + Array(repeating: UInt8(ascii: "a"), count: 100)
        #expect(throws: HanPipeError.lineTooLong(offset: 4, limit: 50)) {
            try Decode.document(id: "t", bytes: bytes, maxLineBytes: 50)
        }
    }

    @Test func emptyInput() throws {
        let doc = try decode([])
        #expect(doc.text.isEmpty)
        #expect(doc.edits.isEmpty)
    }
}
