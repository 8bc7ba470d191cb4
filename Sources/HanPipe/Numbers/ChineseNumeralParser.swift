/// Reads one numeral at a position: Chinese (`一百三十六`, `兩千六`, `廿二`, `壹拾壹`), digit by digit
/// (`二〇〇二`, `一七二零`), Arabic (`1,234`, `3.5`), or mixed (`4万`, `3.5亿`, `1.2万亿`, `100万三千`),
/// with a spelled-out decimal part (`零点一`, `一百点123`) and approximate pairs (`两三`, `五六十`).
///
/// Written by hand rather than with ICU's rule-based number format: ICU 72's `zh` spellout parser
/// (`unum_open(UNUM_SPELLOUT, "zh")` + `unum_parseDouble`, tried on a list of inputs in a small C
/// program; the shim no longer carries these calls) returned
/// 三万五 → 30005, 一百二 → 102 and 两千六 → 2006 (the colloquial forms mean 35000, 120, 2600), stopped
/// at 一二三 after two characters (12), and did not parse 兩, 萬, 億, 卅 or a lone 廿 at all (U_PARSE_ERROR).
/// Mixed Arabic-Chinese forms (`4万`) also stop after the digits. The grammar below is small and linear.
///
/// Grammar (one pass, left to right, no backtracking):
/// - positional: groups of digit + power (`三千五百`), 零 marking a gap (`一千零一`), 万 and 亿 closing a
///   group (`一亿五千万零六千三百五十五`, `万亿` nesting), a lone trailing digit after 百/千/万/亿 meaning
///   the next lower place (`三万五` = 35000), a leading 十 meaning 一十;
/// - digit run: digits only (`二〇〇二` = 2002);
/// - approximate pair: two neighbouring digits (`三四`, `两三`, `一两`, `三五`), optionally times one power.
struct ChineseNumeralParser {
    struct Result {
        var end: Int
        var value: DecimalNumber
        /// The high end of an approximate pair.
        var high: DecimalNumber?
        /// Only digits, no power characters (a digit-by-digit reading such as `一九九七`).
        var isDigitRun = false
        /// The digits of a digit run.
        var run = DigitRun()
        /// Starts with 百/千/万/亿 and no digit before it (`万一`, `千万`, `百姓`).
        var startsWithBarePower = false
        var hasChinese = false
        var hasArabic = false
        /// Written with a decimal point (`.` or 点).
        var hasPoint = false
        /// The last character is a power (十, 百, …): what 多/余 may follow (`三十多`).
        var endsWithPower = false
        /// Number of numeral characters or Arabic tokens read.
        var tokens = 0
        /// Arabic part written with thousands separators.
        var hasSeparators = false
    }

    let text: Scalars
    let limit: Int
    /// The most numeral characters one numeral may have (一千一百一十一万一千一百一十一亿… has 31).
    static let maxTokens = 40

    init(text: Scalars, limit: Int) {
        self.text = text
        self.limit = limit
    }

    @inline(__always) private func at(_ i: Int) -> UInt32 { i < limit ? text[i] : 0 }

    /// An Arabic number at `i`: digits with optional thousands separators and decimal part. Returns nil
    /// when `i` does not start one. `allowSeparators` is false inside a mixed numeral.
    func arabic(at i: Int, allowSeparators: Bool = true) -> (end: Int, value: DecimalNumber, point: Bool, separators: Bool, digits: Int)? {
        guard isASCIIDigit(at(i)) else { return nil }
        var j = i
        var mantissa: Int64 = 0
        var digits = 0
        var overflow = false
        func take(_ c: UInt32) {
            let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { overflow = true } else { mantissa = m2 }
            digits += 1
        }
        while isASCIIDigit(at(j)) { take(at(j)); j += 1 }
        var separators = false
        // Thousands separators: 1-3 digits, then groups of exactly three after each comma.
        if allowSeparators && at(j) == 0x2C && digits <= 3 && mantissa != 0 {
            var k = j
            var groups: [UInt32] = []
            while at(k) == 0x2C && isASCIIDigit(at(k + 1)) && isASCIIDigit(at(k + 2)) && isASCIIDigit(at(k + 3))
                    && !isASCIIDigit(at(k + 4)) {
                groups.append(contentsOf: [at(k + 1), at(k + 2), at(k + 3)])
                k += 4
            }
            if !groups.isEmpty { for c in groups { take(c) }; j = k; separators = true }
        }
        var exponent = 0
        var point = false
        if at(j) == 0x2E && isASCIIDigit(at(j + 1)) {
            point = true
            j += 1
            while isASCIIDigit(at(j)) {
                if digits < 18 { take(at(j)); exponent -= 1 }
                j += 1
            }
        }
        if overflow || digits > 18 { return nil }
        return (j, DecimalNumber(mantissa, exponent: exponent), point, separators, digits)
    }

    /// Reads the numeral at `i`, or returns nil when none starts there.
    func parse(at i: Int) -> Result? {
        var j = i
        var total: Int64 = 0      // groups closed by 亿
        var section: Int64 = 0    // the group closed by 万, below 亿
        var current: Int64 = 0    // below 万
        var digit: Int64? = nil   // pending digit (or Arabic integer) not yet multiplied
        var digitIsChinese = false
        var lastPower: Int64 = 0  // the last power applied (10, 100, 1000, 1e4, 1e8)
        var smallLimit: Int64 = 10_000 // small powers inside the current group must decrease
        var afterZero = false
        var sawPower = false
        var run = DigitRun()
        var result = Result(end: i, value: DecimalNumber(0))

        func add(_ a: Int64, _ b: Int64) -> Int64? {
            let (s, o) = a.addingReportingOverflow(b); return o ? nil : s
        }
        func mul(_ a: Int64, _ b: Int64) -> Int64? {
            let (s, o) = a.multipliedReportingOverflow(by: b); return o ? nil : s
        }
        /// An approximate pair times a power (五六十, 三四百, 五六万) ends the numeral at the power;
        /// nil when the pending run is not such a pair (then there is no numeral here).
        func approximatePair(times p: Int64) -> Result? {
            guard run.count == 2, let pair = ChineseNumeralParser.pair(run.first, run.second), !sawPower else { return nil }
            var r = result
            r.value = DecimalNumber(pair.0 * p)
            r.high = DecimalNumber(pair.1 * p)
            r.hasChinese = true
            r.tokens += 1
            r.end = j + 1
            r.endsWithPower = true
            return r
        }

        // An Arabic start: a decimal or separated number can only be followed by 万/亿 (`3.5亿`).
        if let a = arabic(at: j) {
            result.hasArabic = true
            result.tokens = 1
            if a.point || a.separators || NumeralCharacters.largePower(at(a.end)) == nil && NumeralCharacters.smallPower(at(a.end)) == nil {
                if a.point || a.separators {
                    result.hasPoint = a.point
                    result.hasSeparators = a.separators
                    var v = a.value
                    var k = a.end
                    var scaled = false
                    while let p = NumeralCharacters.largePower(at(k)), !a.separators {
                        // 万亿 nests; 亿万 does not occur.
                        v = v.scaled(by: p); k += 1; scaled = true
                    }
                    result.end = k
                    result.value = v
                    result.endsWithPower = scaled
                    return result
                }
                result.end = a.end
                result.value = a.value
                result.isDigitRun = false
                return result
            }
            if ChineseNumeralParser.unitStartsWithPower(text, a.end, limit) {
                result.end = a.end
                result.value = a.value
                return result
            }
            digit = a.value.mantissa
            j = a.end
        }

        // The leading character decides whether a bare power starts the numeral.
        if digit == nil {
            let c = at(j)
            if NumeralCharacters.smallPower(c).map({ $0 > 10 }) == true || NumeralCharacters.largePower(c) != nil {
                result.startsWithBarePower = true
            }
        }

        loop: while j < limit {
            // No numeral is this long; stopping keeps the scan linear on runs like 一一一一….
            if result.tokens > ChineseNumeralParser.maxTokens { return nil }
            let c = text[j]
            if let d = NumeralCharacters.digit(c) {
                if d == 0 && NumeralCharacters.isZero(c) && sawPower {
                    // 零 marks a gap after a power; a 零 that follows a digit ends the numeral.
                    if digit != nil { break loop }
                    afterZero = true
                    result.hasChinese = true
                    result.tokens += 1
                    j += 1
                    continue
                }
                if digit != nil {
                    if sawPower { break loop }
                    // A digit run (二〇〇二), possibly started by an Arabic token (not mixed that way).
                    if !digitIsChinese { break loop }
                }
                if !sawPower { run.append(d) }
                digit = d
                digitIsChinese = true
                result.hasChinese = true
                result.tokens += 1
                j += 1
                continue
            }
            if isASCIIDigit(c) {
                // An Arabic integer after a power inside a mixed numeral (`1万600`, `200亿零四千230`).
                guard sawPower, digit == nil, let a = arabic(at: j, allowSeparators: false), !a.point else { break loop }
                digit = a.value.mantissa
                digitIsChinese = false
                result.hasArabic = true
                result.tokens += 1
                j = a.end
                continue
            }
            if let t = NumeralCharacters.tens(c) {
                if digit != nil || smallLimit <= 10 { break loop }
                guard let v = add(current, t) else { return nil }
                current = v
                lastPower = 10
                smallLimit = 10
                sawPower = true
                afterZero = false
                result.hasChinese = true
                result.tokens += 1
                j += 1
                continue
            }
            if let p = NumeralCharacters.smallPower(c) {
                if run.count >= 2 {
                    guard let pair = approximatePair(times: p) else { break loop }
                    return pair
                }
                if p >= smallLimit {
                    break loop
                }
                // 100万千瓦: a bare 千 after 万/亿 that opens a unit (千瓦, 千米) is the unit, not a power.
                if digit == nil && lastPower >= 10_000 && ChineseNumeralParser.unitStartsWithPower(text, j, limit) { break loop }
                let m: Int64
                if let d = digit { m = d } else {
                    // A bare power: 十 alone means 一十; 百/千 only at the start (flagged) or after 零.
                    m = 1
                }
                guard let prod = mul(m, p), let v = add(current, prod) else { return nil }
                current = v
                digit = nil
                lastPower = p
                smallLimit = p
                sawPower = true
                afterZero = false
                run = DigitRun()
                result.hasChinese = true
                result.tokens += 1
                j += 1
                continue
            }
            if let e = NumeralCharacters.largePower(c) {
                if run.count >= 2 {
                    guard let pair = approximatePair(times: e == 4 ? 10_000 : 100_000_000) else { break loop }
                    return pair
                }
                let small = (digit ?? 0) + current
                if e == 4 {
                    // 万 closes the group below 亿; a second 万 in one group ends the numeral.
                    if section != 0 { break loop }
                    var base = small
                    if base == 0 { if result.tokens == 0 { base = 1 } else { break loop } }
                    guard let v = mul(base, 10_000) else { return nil }
                    section = v
                    lastPower = 10_000
                } else {
                    guard let s1 = add(total, section), var s2 = add(s1, small) else { return nil }
                    if s2 == 0 { if result.tokens == 0 { s2 = 1 } else { break loop } }
                    guard let v = mul(s2, 100_000_000) else { return nil }
                    total = v
                    section = 0
                    lastPower = 100_000_000
                }
                current = 0
                digit = nil
                smallLimit = 10_000
                sawPower = true
                afterZero = false
                run = DigitRun()
                result.hasChinese = true
                result.tokens += 1
                j += 1
                continue
            }
            break
        }
        if result.tokens == 0 { return nil }
        result.end = j

        if !sawPower {
            // A digit run, or one digit, or one Arabic integer.
            if run.count >= 2 {
                if run.overflow { return nil }
                result.value = DecimalNumber(run.value)
                result.isDigitRun = true
                result.run = run
            } else {
                result.value = DecimalNumber(digit ?? 0)
            }
        } else {
            var tail = digit ?? 0
            // 三万五 = 35000, 一百二 = 120: one Chinese digit right after a power of 百 or more, no 零.
            if let d = digit, digitIsChinese, !afterZero, lastPower >= 100, j >= 2,
               NumeralCharacters.digit(text[j - 1]) != nil,
               NumeralCharacters.smallPower(text[j - 2]) != nil || NumeralCharacters.largePower(text[j - 2]) != nil {
                tail = d * (lastPower / 10)
            }
            guard let a = add(total, section), let b = add(a, current), let v = add(b, tail) else { return nil }
            result.value = DecimalNumber(v)
            result.endsWithPower = digit == nil
        }

        // A spelled-out decimal part: 点 followed by digits (Chinese or Arabic), then maybe 万/亿.
        if NumeralCharacters.isPoint(at(j)) && result.high == nil && (result.hasChinese) {
            var k = j + 1
            var frac: [Int64] = []
            if isASCIIDigit(at(k)) {
                while isASCIIDigit(at(k)) { frac.append(Int64(at(k) - 0x30)); k += 1 }
            } else {
                while let d = NumeralCharacters.digit(at(k)), at(k) != 0x4E24, at(k) != 0x5169 {
                    frac.append(d); k += 1
                }
            }
            if !frac.isEmpty && frac.count <= 17 && result.value.isInteger {
                var m = result.value.mantissa
                var ok = true
                for d in frac {
                    let (x, o1) = m.multipliedReportingOverflow(by: 10)
                    let (y, o2) = x.addingReportingOverflow(d)
                    if o1 || o2 { ok = false; break }
                    m = y
                }
                if ok {
                    var v = DecimalNumber(m, exponent: -frac.count)
                    while let p = NumeralCharacters.largePower(at(k)) { v = v.scaled(by: p); k += 1 }
                    result.value = v
                    result.hasPoint = true
                    result.isDigitRun = false
                    result.end = k
                    result.endsWithPower = NumeralCharacters.largePower(at(k - 1)) != nil
                }
            }
        } else if !sawPower && run.count == 2, let pair = ChineseNumeralParser.pair(run.first, run.second) {
            result.value = DecimalNumber(pair.0)
            result.high = DecimalNumber(pair.1)
            result.isDigitRun = false
        }
        return result
    }

    /// The digits of a digit-by-digit numeral, kept without an array (this runs for every candidate).
    struct DigitRun {
        var count = 0
        var value: Int64 = 0
        var overflow = false
        var first: Int64 = -1
        var second: Int64 = -1
        var last: Int64 = -1
        var hasZero = false
        var hasDoubled = false

        mutating func append(_ d: Int64) {
            if count == 0 { first = d } else if count == 1 { second = d }
            if count > 0 && d == last { hasDoubled = true }
            if d == 0 { hasZero = true }
            last = d
            count += 1
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (v, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { overflow = true } else { value = v }
        }
    }

    /// After Arabic digits, 千米/千克/千瓦/百公里 are units, not the power 千 (`3千米` is 3 km).
    static func unitStartsWithPower(_ text: Scalars, _ i: Int, _ limit: Int) -> Bool {
        guard i + 1 < limit else { return false }
        let c = text[i], n = text[i + 1]
        if c == 0x5343 { // 千
            switch n { // 米克瓦卡伏帕字赫
            case 0x7C73, 0x514B, 0x74E6, 0x5361, 0x4F0F, 0x5E15, 0x5B57, 0x8D6B: return true
            default: return false
            }
        }
        if c == 0x767E && n == 0x516C { return true } // 百公(里)
        return false
    }

    /// Two digits that name an approximate range when written side by side: neighbours (三四, 七八),
    /// 一两, 两三 and 三五.
    static func pair(_ a: Int64, _ b: Int64) -> (Int64, Int64)? {
        if b == a + 1 && a >= 1 { return (a, b) }
        if a == 3 && b == 5 { return (a, b) }
        if a == 1 && b == 2 { return (a, b) }
        return nil
    }
}
