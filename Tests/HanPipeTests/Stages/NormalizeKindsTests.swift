import Testing
@testable import HanPipe

/// `Normalize.Kinds` lets the stage skip characters and whole passes, so its table must say exactly
/// what the rules' own predicates say, and its per-text answers must be those of the scans they stand
/// for (written out here as they were before the table).
@Suite struct NormalizeKindsTests {
    typealias K = Normalize.Kinds

    func expected(_ c: UInt32) -> UInt8 {
        let removal = (c < 0x20 && c != 0x0A && c != 0x09) || (c >= 0x7F && c < 0xA0) || c == 0xAD || (c >= 0x200B && c <= 0x200F)
            || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206F) || c == 0xFEFF
        var k: UInt8 = 0
        if removal { k |= K.removable }
        if c == 0x28 || c == 0xFF08 { k |= K.openParen }
        if Normalize.foldWidth(c) != c { k |= K.foldable }
        if !Normalize.nfcFast(c) { k |= K.slowNFC }
        if !Normalize.knownBoundary(c) { k |= K.noBoundary }
        if removal || Normalize.foldWidth(c) != c || [0xFF0E, 0xFF0F, 0xFF05, 0xFF0C, 0x20, 0x09, 0x3000, 0x2C, 0x3B, 0x3A, 0x3F, 0x21].contains(c) {
            k |= K.rule
        }
        if [0x0A, 0xFF05, 0xFF0E, 0xFF0F].contains(c) {
            k |= K.workAfter
        } else if needsWorkAlone(c) {
            k |= K.work
        }
        return k
    }

    /// The stage's former test that nothing in a text needs it.
    func needsWork(_ text: Scalars) -> Bool {
        var previous: UInt32 = 0x0A
        for c in text {
            if c < 0x80 {
                if c < 0x20 {
                    if c != 0x0A && c != 0x09 { return true }
                    if c == 0x0A && isLineSpace(previous) { return true }
                } else if c == 0x7F || Normalize.widePunctuation(c) != nil {
                    return true
                }
            } else if (isHan(c) && c < 0xF900) || (c >= 0x3001 && c <= 0x303F) || (c >= 0x2010 && c <= 0x2027)
                        || (c >= 0xA0 && c < 0x300 && c != 0xAD) || (c >= 0xFF1A && c <= 0xFF20)
                        || (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0x3000 {
            } else if c >= 0xFF01 && c <= 0xFF0F {
                if (c == 0xFF05 || c == 0xFF0E || c == 0xFF0F) && isASCIIDigit(previous) { return true }
            } else {
                return true
            }
            previous = c
        }
        return isLineSpace(previous)
    }

    func needsWorkAlone(_ c: UInt32) -> Bool { needsWork([0x41, c, 0x41]) }

    /// The positions where the former `nfcSegments` loop left its fast path or looked at the next
    /// character.
    func nfcChecks(_ t: Scalars) -> [Int] {
        t.indices.filter { i in !Normalize.nfcFast(t[i]) || (i + 1 < t.count && !Normalize.knownBoundary(t[i + 1])) }
    }

    @Test func tableMatchesThePredicates() {
        var wrong: [UInt32] = []
        for c in UInt32(0)..<0x10000 where K.classes[Int(c)] != expected(c) { wrong.append(c) }
        #expect(wrong.isEmpty, "\(wrong.prefix(10).map { String($0, radix: 16) })")
    }

    @Test func charactersAboveTheBMP() {
        var wrong: [UInt32] = []
        for c in UInt32(0x10000)...0x10FFFF where expected(c) != K.aboveBMP { wrong.append(c) }
        #expect(wrong.isEmpty, "\(wrong.prefix(10).map { String($0, radix: 16) })")
    }

    @Test func sameAnswersAsTheScans() {
        let alphabet: [UInt32] = [0x41, 0x31, 0x20, 0x09, 0x0A, 0x2C, 0x3A, 0x28, 0x29, 0x7F, 0x01, 0xAD, 0xE9, 0x301, 0x302B,
                                  0x302A, 0x2000, 0x2014, 0x201C, 0x2126, 0x200B, 0x200D, 0xFEFF, 0x3000, 0x3001, 0x4E2D,
                                  0x6587, 0xF900, 0xFF05, 0xFF08, 0xFF0C, 0xFF0E, 0xFF11, 0xFF21, 0x20000, 0x1F600, 0xAC00]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let text: Scalars = (0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let kinds = K(text)
            #expect(kinds.needsWork == needsWork(text), "\(text.map { String($0, radix: 16) })")
            #expect(kinds.nfcChecks == nfcChecks(text), "\(text.map { String($0, radix: 16) })")
            #expect(kinds.found == text.reduce(0) { $0 | expected($1) })
        }
    }
}
