import Testing
@testable import HanPipe

/// `Normalize.knownBoundary` stands in for a call into ICU on the hot path, so it must never claim a
/// boundary that ICU does not see.
@Suite struct NormalizeBoundaryTests {
    @Test func knownBoundariesAgreeWithICU() {
        var wrong: [UInt32] = []
        for c in UInt32(0)...0x10FFFF where !(0xD800...0xDFFF).contains(c) && Normalize.knownBoundary(c) {
            if !NFC.hasBoundaryBefore(c) { wrong.append(c) }
        }
        #expect(wrong.isEmpty, "not a boundary in ICU: \(wrong.prefix(10).map { String($0, radix: 16) })")
    }
}
