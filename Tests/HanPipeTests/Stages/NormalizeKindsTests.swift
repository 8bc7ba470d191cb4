import Testing
@testable import HanPipe

/// `Normalize.Kinds` lets the stage skip characters and whole passes, so its table must say exactly
/// what the rules' own predicates say, and a character above the BMP (which has no entry) must be one
/// that no rule concerns.
@Suite struct NormalizeKindsTests {
    func expected(_ c: UInt32) -> UInt8 {
        typealias K = Normalize.Kinds
        let removal = (c < 0x20 || (c >= 0x7F && c <= 0xAD) || (c >= 0x200B && c <= 0x206F) || c == 0xFEFF) && c != 0x0A && c != 0x09
        var k: UInt8 = 0
        if removal { k |= K.removable }
        if c == 0x28 || c == 0xFF08 { k |= K.openParen }
        if Normalize.foldWidth(c) != c { k |= K.foldable }
        if Normalize.nfcFast(c) { k |= K.fastNFC }
        if Normalize.knownBoundary(c) { k |= K.boundary }
        if removal || Normalize.foldWidth(c) != c || [0xFF0E, 0xFF0F, 0xFF05, 0xFF0C, 0x20, 0x09, 0x3000, 0x2C, 0x3B, 0x3A, 0x3F, 0x21].contains(c) {
            k |= K.rule
        }
        return k
    }

    @Test func tableMatchesThePredicates() {
        var wrong: [UInt32] = []
        for c in UInt32(0)..<0x10000 where Normalize.Kinds.classes[Int(c)] != expected(c) { wrong.append(c) }
        #expect(wrong.isEmpty, "\(wrong.prefix(10).map { String($0, radix: 16) })")
    }

    @Test func charactersAboveTheBMPBelongToNoClass() {
        var wrong: [UInt32] = []
        for c in UInt32(0x10000)...0x10FFFF where expected(c) != 0 { wrong.append(c) }
        #expect(wrong.isEmpty, "\(wrong.prefix(10).map { String($0, radix: 16) })")
    }

    @Test func firstNFCCheck() {
        #expect(Normalize.Kinds(Array("中文，abc".unicodeScalars.map(\.value))).firstNFCCheck == nil)
        #expect(Normalize.Kinds(Array("中文e\u{301}".unicodeScalars.map(\.value))).firstNFCCheck == 2)
        #expect(Normalize.Kinds(Array("中文\u{2126}".unicodeScalars.map(\.value))).firstNFCCheck == 1)
        #expect(Normalize.Kinds(Array("\u{301}中".unicodeScalars.map(\.value))).firstNFCCheck == 0)
    }
}
