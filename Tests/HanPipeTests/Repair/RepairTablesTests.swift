import Testing
@testable import HanPipe

/// The repair stage's tables (Sources/HanPipe/Repair): generated from ICU, and the plausibility scores.
@Suite struct RepairTablesTests {
    @Test func tablesComeFromICU() {
        #expect(RepairTables.gbk[0x53D1] == 0xB7A2)              // 发
        #expect(RepairTables.gbk[0x4E2D] == 0xD6D0)              // 中
        #expect(RepairTables.latinByte(0x20AC) == 0x80)          // €
        #expect(RepairTables.latinByte(0x8F) == 0x8F)
        #expect(RepairTables.latinByte(0x4E2D) == nil)
        #expect(RepairTables.cp1252.count == 27)
        #expect(CharacterReferences.table.count == 2125)
        // The generated pre-filter is exactly what ICU's GB18030 converter gives.
        var bits = [UInt64](repeating: 0, count: 1024)
        for c in 0..<0x10000 {
            let g = RepairTables.gbk[c], hi = g >> 8, lo = g & 0xFF
            if ((hi >= 0xE2 && hi <= 0xE9) || hi == 0xEF) && lo >= 0x80 && lo <= 0xBF { bits[c >> 6] |= 1 << UInt64(c & 63) }
        }
        #expect(bits == Mojibake.gbkSuspicious)
        #expect(Plausibility.score(0x7684) > 15)                 // 的
        #expect(Plausibility.score(0x7684) > Plausibility.score(0x9F98) + 8) // 的, 龘
    }
}
