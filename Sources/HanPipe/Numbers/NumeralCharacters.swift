/// The characters that make up Chinese numerals, in both scripts, with their values.
///
/// Rule: digits are 零〇一二两兩三…九 and the financial forms 壹贰貳叁參肆伍陆陸柒捌玖; small powers are
/// 十拾 百佰 千仟 (and 廿 20, 卅 30, 卌 40, which stand for a digit and 十 at once); large powers are
/// 万萬 亿億. Written as a switch rather than taken from ICU: ICU's `zh` spellout rules know neither
/// 兩, 萬, 億 nor 卅 (see `ChineseNumeralParser`), and this table is the whole of the knowledge needed.
enum NumeralCharacters {
    /// The value of a Chinese digit character (零〇 give 0), or nil.
    @inline(__always) static func digit(_ c: UInt32) -> Int64? {
        switch c {
        case 0x96F6, 0x3007: return 0                   // 零 〇
        case 0x4E00, 0x58F9: return 1                   // 一 壹
        case 0x4E8C, 0x4E24, 0x5169, 0x8D30, 0x8CB3: return 2 // 二 两 兩 贰 貳
        case 0x4E09, 0x53C1, 0x53C3: return 3           // 三 叁 參
        case 0x56DB, 0x8086: return 4                   // 四 肆
        case 0x4E94, 0x4F0D: return 5                   // 五 伍
        case 0x516D, 0x9646, 0x9678: return 6           // 六 陆 陸
        case 0x4E03, 0x67D2: return 7                   // 七 柒
        case 0x516B, 0x634C: return 8                   // 八 捌
        case 0x4E5D, 0x7396: return 9                   // 九 玖
        default: return nil
        }
    }

    /// 零 or 〇.
    @inline(__always) static func isZero(_ c: UInt32) -> Bool { c == 0x96F6 || c == 0x3007 }

    /// 十 百 千 and their financial forms: the power of ten they multiply by.
    @inline(__always) static func smallPower(_ c: UInt32) -> Int64? {
        switch c {
        case 0x5341, 0x62FE: return 10       // 十 拾
        case 0x767E, 0x4F70: return 100      // 百 佰
        case 0x5343, 0x4EDF: return 1000     // 千 仟
        default: return nil
        }
    }

    /// 廿 卅 卌: a tens value written as one character.
    @inline(__always) static func tens(_ c: UInt32) -> Int64? {
        switch c {
        case 0x5EFF: return 20  // 廿
        case 0x5345: return 30  // 卅
        case 0x534C: return 40  // 卌
        default: return nil
        }
    }

    /// 万萬 and 亿億: the exponent of ten they multiply by.
    @inline(__always) static func largePower(_ c: UInt32) -> Int? {
        switch c {
        case 0x4E07, 0x842C: return 4   // 万 萬
        case 0x4EBF, 0x5104: return 8   // 亿 億
        default: return nil
        }
    }

    /// Any character a Chinese numeral can contain.
    @inline(__always) static func isNumeral(_ c: UInt32) -> Bool {
        digit(c) != nil || smallPower(c) != nil || tens(c) != nil || largePower(c) != nil
    }

    /// 点 or 點 (decimal point in a spelled-out number).
    @inline(__always) static func isPoint(_ c: UInt32) -> Bool { c == 0x70B9 || c == 0x9EDE }
}
