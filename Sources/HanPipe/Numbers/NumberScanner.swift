/// Finds the number mentions of a text in one left-to-right pass.
///
/// Rule, per candidate position (a digit, a numeral character, or a prefix 第 约 近 负 零下 百分之 ¥ $ …):
/// 1. prefixes: 第 (ordinal), 约/近 (approximate; 近 not before a time span: 近两年 is "the last two
///    years"), 负/零下/`-` (negative), 百分之 (percent), 千分之/万分之 (fraction), a currency sign (money);
/// 2. the numeral (`ChineseNumeralParser`), then `X分之Y`, `%`, `a/b`, ISO-like `2023-05-01`;
/// 3. 多/余/来/几 after a round number (`三十多`, `100多万`), a date (`2023年5月1日`, `5月1日`, `2023年`,
///    `22日`), a unit or measure word (`NumberUnits`), 多 after a time unit (`4年多`), money continuations
///    (`元整`, `元壹角`);
/// 4. a range when a connector (至 到 - — ~) joins two numbers of which the second is not smaller;
/// 5. checks: a lone Chinese numeral character needs a prefix, unit or date; a mention with Chinese
///    numerals must stand on ICU word boundaries (`WordBoundaryCheck`); digit runs must look like
///    numbers (contain 〇/零, or three or more digits without a doubled pair, or be a year).
/// Each candidate reads a bounded stretch after its position, so the pass is linear in the text.
struct NumberScanner {
    struct Draft {
        var start: Int
        var end: Int
        var value: NumberMention.Value
        var high: NumberMention.Value?
        var unit: String?
        var kind: NumberMention.Kind
        var approximate: Bool
    }

    let text: Scalars
    let n: Int
    let parser: ChineseNumeralParser
    let units = NumberUnits.shared
    let words: WordBoundaryCheck
    let flags = NumberScanner.flagTable

    init(text: Scalars, words: WordBoundaryCheck) {
        self.text = text
        self.n = text.count
        self.parser = ChineseNumeralParser(text: text, limit: text.count)
        self.words = words
    }

    @inline(__always) func at(_ i: Int) -> UInt32 { i >= 0 && i < n ? text[i] : 0 }

    /// Every mention, in text order.
    func scan() throws -> [Draft] {
        var result: [Draft] = []
        var i = 0
        let table = NumberScanner.startTable
        while i < n {
            // Skip quickly to the next character that may start a mention.
            let found: Int? = table.withUnsafeBufferPointer { bits in
                text.withUnsafeBufferPointer { t in
                    var k = i
                    while k < n {
                        let c = t[k]
                        if c < 0x10000 && bits[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 { return k }
                        k += 1
                    }
                    return nil
                }
            }
            guard let at = found else { break }
            i = at
            let c = text[i]
            do {
                if isASCIIDigit(c) && i > 0 && (isASCIILetter(text[i - 1]) || isASCIIDigit(text[i - 1]) || text[i - 1] == 0x2E || text[i - 1] == 0x5F) {
                    i += 1; continue
                }
                if let d = try candidate(at: i, allowRange: true) {
                    result.append(d)
                    i = max(d.end, i + 1)
                    continue
                }
            }
            i += 1
        }
        return result
    }

    /// Characters that may begin a mention: a bit table over the BMP, built once, since this test runs
    /// on every character of the text.
    private static let startTable: [UInt64] = {
        var t = [UInt64](repeating: 0, count: 0x10000 / 64)
        for c in 0..<UInt32(0x10000) where slowMayStart(c) { t[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        return t
    }()

    @inline(__always) static func mayStart(_ c: UInt32) -> Bool {
        c < 0x10000 && startTable[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0
    }

    private static func slowMayStart(_ c: UInt32) -> Bool {
        if c < 0x80 { return isASCIIDigit(c) || c == 0x2D || c == 0x24 }
        if NumeralCharacters.isNumeral(c) { return true }
        switch c {
        case 0x7B2C, 0x7EA6, 0x7D04, 0x8FD1, 0x8D1F, 0x8CA0, 0xA5, 0xFFE5, 0x20AC, 0xA3, 0x2212, 0xFF0D: return true // 第约約近负負¥￥€£−－
        default: return false
        }
    }

    /// Characters that can continue a numeral that starts with one Chinese numeral character: more
    /// numeral characters, digits, 点 (decimal), 分 (fraction), 多/余/来/几 (approximate), dates, range
    /// connectors, %.
    @inline(__always) static func mayExtend(_ c: UInt32) -> Bool {
        if c < 0x80 { return isASCIIDigit(c) || c == 0x2D || c == 0x7E || c == 0x25 }
        if NumeralCharacters.isNumeral(c) || NumeralCharacters.isPoint(c) { return true }
        switch c {
        case 0x5206, 0x591A, 0x4F59, 0x9918, 0x6765, 0x4F86, 0x51E0, 0x5E7E, 0x5E74, 0x6708, 0x65E5, 0x53F7, 0x865F,
             0x81F3, 0x5230, 0x2014, 0x2013, 0xFF5E, 0x301C, 0xFF0D, 0xFF05, 0x4E4B:
            return true // 分 多 余 餘 来 來 几 幾 年 月 日 号 號 至 到 — – ～ 〜 － ％ 之
        default:
            return false
        }
    }

    /// Character classes used by the scanner, as bit flags in one table over the BMP (built once), so
    /// that each test is an array load rather than a hash lookup.
    enum Flag {
        static let nearTimeSpan: UInt16 = 1      // 近两年: 近 before these is "the last", not "nearly"
        static let approxInfix: UInt16 = 2       // 三十多, 十余, 二十来, 十几
        static let notAfterTimeMany: UInt16 = 4  // 3年多次: 多 that begins 多次/多种… is not "more than"
        static let timeSuffix: UInt16 = 8        // 年来, 年前: words a time unit may open
        static let financial: UInt16 = 16        // 壹贰叁…
        static let timeUnit: UInt16 = 32
        static let rangeConnector: UInt16 = 64   // 至 到 - — ~
        static let determiner: UInt16 = 128      // 下一, 同一, 后一, 前一, 新一
        static let vague: UInt16 = 256           // 数十, 几百
        static let dayMarker: UInt16 = 512       // 日 号 號
        static let functionWord: UInt16 = 1024   // 了三个, 有三个: ICU may glue these to a following numeral
    }

    static let flagTable: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 0x10000)
        func set(_ chars: String, _ f: UInt16) { for c in chars.unicodeScalars { t[Int(c.value)] |= f } }
        set("年月日天周期届次个週個屆", Flag.nearTimeSpan)
        set("多余餘来來几幾", Flag.approxInfix)
        set("次种種名项項个個家人位样樣方元年条條件批届屆万萬亿億倍", Flag.notAfterTimeMany)
        set("来來间間前后後初底内內中末起以左上下里裡半多", Flag.timeSuffix)
        set("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟", Flag.financial)
        set("年月日天周週岁歲", Flag.timeUnit)
        set("至到-—–~～〜－", Flag.rangeConnector)
        set("下同后後前新", Flag.determiner)
        set("了有是的在和与與及或为為达達共", Flag.functionWord)
        set("数數几幾", Flag.vague)
        set("日号號", Flag.dayMarker)
        return t
    }()

    @inline(__always) func has(_ c: UInt32, _ f: UInt16) -> Bool { c < 0x10000 && flags[Int(c)] & f != 0 }

    /// The mention that starts at `p`, if any.
    func candidate(at p: Int, allowRange: Bool) throws -> Draft? {
        var q = p
        var ordinal = false, approx = false, negative = false, percent = false, money: String? = nil
        var divisor: Int64? = nil
        var prefixed = false
        let c = text[p]
        switch c {
        case 0x7B2C: ordinal = true; q += 1; prefixed = true                           // 第
        case 0x7EA6, 0x7D04: approx = true; q += 1; prefixed = true                    // 约 約
        case 0x8FD1: approx = true; q += 1; prefixed = true                            // 近
        case 0x8D1F, 0x8CA0: negative = true; q += 1; prefixed = true                  // 负 負
        case 0x2D, 0x2212, 0xFF0D:
            if p > 0 && (isASCIIDigit(at(p - 1)) || isASCIILetter(at(p - 1))) { return nil }
            negative = true; q += 1
        case 0x24, 0xA5, 0xFFE5, 0x20AC, 0xA3:
            money = String(UnicodeScalar(c)!); q += 1
        default: break
        }
        if q == p && NumeralCharacters.isZero(c) && at(p + 1) == 0x4E0B && startsNumeral(p + 2) { // 零下
            negative = true; q = p + 2; prefixed = true
        }
        // 百分之 / 千分之 / 万分之, possibly after 约 or 近.
        if at(q + 1) == 0x5206 && at(q + 2) == 0x4E4B {
            switch at(q) {
            case 0x767E, 0x4F70: percent = true; q += 3; prefixed = true
            case 0x5343, 0x4EDF: divisor = 1000; q += 3; prefixed = true
            case 0x4E07, 0x842C: divisor = 10_000; q += 3; prefixed = true
            default: break
            }
            if (percent || divisor != nil) && (at(q) == 0x8D1F || at(q) == 0x8CA0) { negative = true; q += 1 }
        }
        if q >= n || !startsNumeral(q) { return nil }
        // Inside a longer run of numeral characters (九九九九年 within a longer run): the run was read
        // from its start already.
        if q == p && !isASCIIDigit(c) && NumeralCharacters.isNumeral(at(p - 1)) { return nil }
        // The commonest case by far: a lone Chinese numeral character inside a word (一些, 统一, 一般).
        // Without a prefix it is a number only if something can follow it; decide that cheaply here.
        if q == p && money == nil && !isASCIIDigit(c) && !NumberScanner.mayExtend(at(p + 1)) && !units.mayStart(at(p + 1)) {
            return nil
        }
        if money != nil && !isASCIIDigit(at(q)) { return nil }
        if c == 0x2D || c == 0x2212 || c == 0xFF0D { if !isASCIIDigit(at(q)) { return nil } }

        guard let core = parser.parse(at: q) else { return nil }
        let arabicStart = isASCIIDigit(at(q))
        if arabicStart && q > 0 && (isASCIILetter(at(q - 1)) || at(q - 1) == 0x2E || at(q - 1) == 0x5F) { return nil }
        if core.startsWithBarePower {
            // 百姓, 千万, 万一: a bare 百/千/万/亿 is a number only after 近/约 (近百) or as 百分之百.
            let barePercent = percent && (at(q) == 0x767E || at(q) == 0x4F70) && core.tokens == 1
            // 万元, 千元: a bare power before a currency unit counts one of it.
            let bareMoney = core.tokens == 1 && units.match(text, core.end, n)?.money == true
            if !(approx || barePercent || bareMoney) { return nil }
        }
        var e = core.end
        let hasChinese = core.hasChinese
        // 天舟五号, 东方红三号: a serial number in a name (a Chinese numeral between a Han character and 号)
        // is a mention without unit, as the spec's 神舟十五号 → 十五; only its start must be a word boundary,
        // since ICU may keep 五号 together.
        if hasChinese && !core.hasArabic && q == p && core.high == nil && !core.hasPoint && (at(e) == 0x53F7 || at(e) == 0x865F)
            && isHan(at(p - 1)) && !NumeralCharacters.isNumeral(at(p - 1)) && !NumeralCharacters.isNumeral(at(e + 1))
            && !has(at(p - 1), Flag.vague) && !WordBoundaryCheck.insidePhrase(text, p..<e) {
            guard try words.isBoundary(text, p, around: p..<e + 1) else { return nil }
            return Draft(start: p, end: e, value: core.value.value, high: nil, unit: nil, kind: .cardinal, approximate: false)
        }
        // A lone financial numeral (陆 in 陆块, 伍 in 队伍) is a number only as money or in a date.
        if hasChinese && core.tokens == 1 && has(at(q), Flag.financial) {
            let next = at(e)
            if !(next == 0x5143 || next == 0x5706 || next == 0x5713 || next == 0x6708 || next == 0x65E5 || next == 0x5E74) { return nil }
        }
        // 下一届, 同一个, 后一种, 前一天, 新一轮: 下一 "next", 同一 "same", 后一/前一 "latter/former",
        // 新一 "new" are determiners, not counts.
        if hasChinese && q == p && core.tokens == 1 && at(q) == 0x4E00
            && has(at(p - 1), Flag.determiner) && at(p - 2) != 0x6700 { return nil } // 下 同 后 後 前 新, not 最后
        // 数十人, 几百个, 好几万: vague quantities, not numbers.
        if hasChinese && q == p && has(at(p - 1), Flag.vague) { return nil }

        // Arabic forms that are not (only) numbers: 5G, PM2.5, 1.2.3, 10:30, 3∶1, enumerators 1. 2、
        if arabicStart && !hasChinese {
            let next = at(e)
            if q == p && (p == 0 || at(p - 1) == 0x0A) && (next == 0x3001 || ((next == 0x2E || next == 0xFF0E) && !isASCIIDigit(at(e + 1)))) {
                return nil
            }
            if isASCIILetter(next) && units.match(text, e, n) == nil { return nil }
            if next == 0x2E && isASCIIDigit(at(e + 1)) { return nil }
            if (next == 0x3A || next == 0x2236 || next == 0xFF1A) && isASCIIDigit(at(e + 1)) { return nil }
            if q > 1 && (at(q - 1) == 0x3A || at(q - 1) == 0x2236) && isASCIIDigit(at(q - 2)) { return nil }
            // ISO-like dates 2023-05-01 and 2023/5/1.
            if core.value.isInteger && !core.hasPoint && !core.hasSeparators && (e - q) == 4,
               let d = isoDate(q, e) { return d }
        }

        var kind: NumberMention.Kind? = nil
        var value = core.value
        let high = core.high
        if high != nil { approx = true }
        var unit: String? = nil
        var unitRange: Range<Int>? = nil
        var lowNeedsUnit = hasChinese && core.tokens == 1 && !core.hasPoint

        // X分之Y
        if !percent && divisor == nil && at(e) == 0x5206 && at(e + 1) == 0x4E4B && value.isInteger && !value.isZero && high == nil,
           startsNumeral(e + 2), let y = parser.parse(at: e + 2), y.high == nil, !y.startsWithBarePower {
            let v = y.value.double / value.double
            let d = Draft(start: p, end: y.end, value: .real(v), high: nil, unit: nil, kind: .fraction, approximate: approx)
            return try guarded(d, coreRange: q..<y.end, chinese: hasChinese || y.hasChinese, prefixed: prefixed, unitEnd: nil)
        }
        // a/b
        if arabicStart && !hasChinese && at(e) == 0x2F && value.isInteger && !core.hasSeparators,
           let b = parser.arabic(at: e + 1, allowSeparators: false), !b.point, !b.value.isZero,
           at(b.end) != 0x2F, !isASCIILetter(at(b.end)) {
            let d = Draft(start: p, end: b.end, value: .real(value.double / b.value.double), high: nil, unit: nil,
                          kind: .fraction, approximate: approx)
            return d
        }
        if percent {
            kind = .percent
        } else if let dv = divisor {
            kind = .fraction
            let v = value.double / Double(dv)
            let d = Draft(start: p, end: e, value: .real(negative ? -v : v), high: nil, unit: nil, kind: .fraction, approximate: approx)
            return try guarded(d, coreRange: q..<e, chinese: hasChinese, prefixed: prefixed, unitEnd: nil)
        } else if arabicStart && (at(e) == 0x25 || at(e) == 0xFF05) {
            kind = .percent; e += 1; lowNeedsUnit = false
        } else if arabicStart && at(e) == 0x2030 {
            value = DecimalNumber(value.mantissa, exponent: value.exponent - 3)
            kind = .fraction; e += 1
        }

        // 多/余/来/几 after a round number, maybe followed by 万/亿/千/百 (100多万).
        if kind == nil, high == nil, has(at(e), Flag.approxInfix) {
            let round = core.endsWithPower || (arabicStart && !core.hasPoint && value.isInteger && value.mantissa >= 10 && value.mantissa % 10 == 0)
            let ch = at(e)
            let isJi = ch == 0x51E0 || ch == 0x5E7E
            let isLai = ch == 0x6765 || ch == 0x4F86
            if round && !(isJi && !hasChinese) {
                var k = e + 1
                var v = value
                var scaled = false
                while let pw = NumeralCharacters.largePower(at(k)) { v = v.scaled(by: pw); k += 1; scaled = true }
                if !scaled, let sp = NumeralCharacters.smallPower(at(k)), sp >= 100, hasChinese == false {
                    let (m, o) = v.mantissa.multipliedReportingOverflow(by: sp)
                    if !o { v = DecimalNumber(m, exponent: v.exponent); k += 1; scaled = true }
                }
                let unitFollows = units.match(text, k, n) != nil
                if scaled || unitFollows || !isLai {
                    value = v; e = k; approx = true; lowNeedsUnit = false
                }
            }
        }

        // Dates.
        if kind == nil && !negative && !ordinal && !approx && money == nil && high == nil && !core.hasPoint {
            if let d = try date(p: p, q: q, core: core, e: e) { return d }
        }

        // Digit runs must look like numbers.
        if core.isDigitRun {
            let r = core.run
            if !(r.hasZero || (r.count >= 3 && !r.hasDoubled)) { return nil }
        }

        // Unit or measure word.
        if let u = units.match(text, e, n) {
            var uEnd = e + u.scalars.count
            // 3个多月: 个 多 月 → unit 个月, approximate.
            let isGe = u.scalars.count == 1 && (u.scalars[0] == 0x4E2A || u.scalars[0] == 0x500B)
            var extra: [UInt32]? = nil
            if isGe && at(uEnd) == 0x591A {
                if let t = units.match(text, uEnd + 1, n), t.time || (t.scalars.count == 1 && t.scalars[0] == 0x6708) {
                    extra = t.scalars; uEnd += 1 + t.scalars.count; approx = true
                } else if at(uEnd + 1) == 0x6708 {
                    extra = [0x6708]; uEnd += 2; approx = true
                }
            } else if isGe && at(uEnd) == 0x6708 {
                extra = [0x6708]; uEnd += 1
            }
            unit = extra.map { (u.scalars + $0).string } ?? u.string
            unitRange = e..<uEnd
            if u.money { kind = kind ?? .money }
            e = uEnd
            lowNeedsUnit = false
            // 4年多: 多 after a time unit, unless 多 begins 多次/多种…
            if u.time && at(e) == 0x591A && !has(at(e + 1), Flag.notAfterTimeMany) {
                approx = true; e += 1
            }
            // Money continuations: 元整, 元正, 元壹角捌分.
            if u.money && u.scalars.count == 1 && (u.scalars[0] == 0x5143 || u.scalars[0] == 0x5706 || u.scalars[0] == 0x5713) {
                if at(e) == 0x6574 || at(e) == 0x6B63 { e += 1 }       // 整 正
                else if let (v2, e2) = moneyTail(e) { if let s = value + v2 { value = s; e = e2 } }
            }
        }
        if money != nil { kind = .money; unit = unit ?? money }
        let mustJoinRange = lowNeedsUnit && !ordinal && !percent && !approx && !negative && allowRange
        if approx && prefixed && (c == 0x8FD1) && unitRange != nil && has(at(unitRange!.lowerBound), Flag.nearTimeSpan) {
            // 近两年: "the last two years"; read again without 近.
            return try candidate(at: q, allowRange: allowRange)
        }
        if negative { value = value.negated }

        var draft = Draft(start: p, end: e, value: value.value, high: high.map { $0.value }, unit: unit,
                          kind: kind ?? (ordinal ? .ordinal : (high != nil ? .range : (value.isInteger ? .cardinal : .decimal))),
                          approximate: approx)
        if ordinal { draft.kind = .ordinal }

        // Ranges: 3至5, 3-5, 三到五, 3万—4万公斤.
        if allowRange && !ordinal && high == nil && (draft.kind == .cardinal || draft.kind == .decimal || draft.kind == .money || draft.kind == .percent),
           has(at(e), Flag.rangeConnector), e + 1 < n {
            let conn = at(e)
            let asciiConn = conn < 0x80
            if (!asciiConn || (arabicStart && isASCIIDigit(at(e + 1)))) && startsNumeral(e + 1) && NumberScanner.mayStart(at(e + 1)),
               var b = try candidate(at: e + 1, allowRange: false),
               b.kind == draft.kind || monthRange(draft, &b) || (b.kind == .money && draft.kind == .cardinal) || (b.kind == .cardinal && draft.kind == .money && draft.unit == nil),
               draft.unit == nil, // 12岁到15岁, 60.5米至79.5米: a unit on both ends makes two mentions
               let lo = NumberScanner.double(draft.value), let hi = NumberScanner.double(b.value), hi >= lo {
                var r = draft
                r.end = b.end
                r.high = b.value
                r.unit = b.unit ?? draft.unit
                if draft.kind == .percent { r.unit = r.unit ?? "%" }
                r.kind = .range
                r.approximate = draft.approximate || b.approximate
                return try guarded(r, coreRange: q..<b.end, chinese: hasChinese, prefixed: prefixed, unitEnd: nil, unitRange: nil)
            }
        }
        if mustJoinRange { return nil }
        // 十二使君, 二十四史: a numeral written only in Chinese characters, with no prefix, unit or 多, and
        // followed directly by a noun is a numeral + noun compound (as 两国, 三大指标), not a count.
        // 号 is the exception: serial numbers in names (神舟十五号) are mentions.
        if hasChinese && !core.hasArabic && !prefixed && unitRange == nil && money == nil && !approx && kind == nil
            && draft.kind == .cardinal && isHan(at(e)) && !NumeralCharacters.isNumeral(at(e))
            && at(e) != 0x53F7 && at(e) != 0x865F { return nil }
        let matched = unitRange.flatMap { units.match(text, $0.lowerBound, n) }
        return try guarded(draft, coreRange: q..<(unitRange?.lowerBound ?? e), chinese: hasChinese, prefixed: prefixed,
                           unitEnd: unitRange?.upperBound, unitRange: unitRange, unitChecked: matched?.checked ?? false,
                           unitPure: matched.map { !$0.checked && unitRange!.count == 1 } ?? false,
                           restart: (p, q))
    }

    /// 1至9月: a month after a small cardinal becomes the high end of a range in months;
    /// 1776—1781年: a year after a four-digit cardinal, the high end of a range in years.
    private func monthRange(_ a: Draft, _ b: inout Draft) -> Bool {
        if a.kind == .cardinal, a.unit == nil, case let .integer(lo) = a.value, (1000...2999).contains(lo),
           case let .date(iso) = b.value, iso.count == 4, let y = Int64(iso), y > lo {
            b.kind = .cardinal
            b.value = .integer(y)
            b.unit = String(UnicodeScalar(UInt32(0x5E74))!)
            return true
        }
        guard a.kind == .cardinal, a.unit == nil, case let .integer(lo) = a.value, (1...12).contains(lo),
              case let .date(iso) = b.value, iso.count == 4, iso.hasPrefix("--"), let m = Int64(iso.dropFirst(2)) else { return false }
        b.kind = .cardinal
        b.value = .integer(m)
        b.unit = String(UnicodeScalar(UInt32(0x6708))!)
        return true
    }

    static func double(_ v: NumberMention.Value) -> Double? {
        switch v {
        case let .integer(i): return Double(i)
        case let .real(d): return d
        case .date: return nil
        }
    }

    /// Whether a numeral (Arabic or Chinese) starts at `i`.
    @inline(__always) func startsNumeral(_ i: Int) -> Bool {
        let c = at(i)
        return isASCIIDigit(c) || NumeralCharacters.isNumeral(c)
    }

    /// Applies the word-boundary checks to a draft; returns nil when it falls inside ordinary words.
    private func guarded(_ d: Draft, coreRange: Range<Int>, chinese: Bool, prefixed: Bool, unitEnd: Int?,
                         unitRange: Range<Int>? = nil, unitChecked: Bool = false, unitPure: Bool = false,
                         restart: (Int, Int)? = nil) throws -> Draft? {
        var d = d
        let around = d.start..<d.end
        if chinese {
            if WordBoundaryCheck.insidePhrase(text, d.start..<d.end) { return nil }
            let lexEnd = unitRange?.upperBound ?? coreRange.upperBound
            if !prefixed && WordBoundaryCheck.isLexicalized(text[coreRange.lowerBound..<lexEnd]) { return nil }
            // ICU keeps 每一 "every one" as a word, and sometimes glues a particle or a light verb to a
            // numeral (了三, 有三): the count still starts at the numeral (每一条, 办了三个企业).
            let everyGlued = try d.start > 0 && (text[d.start - 1] == 0x6BCF || (has(text[d.start - 1], Flag.functionWord) && unitRange != nil))
                && words.isBoundary(text, d.start - 1, around: around)
            if !everyGlued, !(try words.isBoundary(text, d.start, around: around)) {
                // A prefix glued to the word before it (最近, 预约): try without the prefix.
                if prefixed, let (p, q) = restart, q > p, try words.isBoundary(text, q, around: around) {
                    return try candidate(at: q, allowRange: true)
                }
                return nil
            }
        } else if prefixed && d.start < coreRange.lowerBound {
            if !(try words.isBoundary(text, d.start, around: around)) {
                if let (p, q) = restart, q > p { return try candidate(at: q, allowRange: true) }
                return nil
            }
        }
        // The end: after the unit (or the numeral) there must be a word boundary.
        if let ur = unitRange, chinese || unitChecked {
            if !(try words.isBoundary(text, ur.upperBound, around: around)) {
                // The unit opens a longer word: accept time words (年来, 年前), else drop the unit.
                let startsWord = try words.isBoundary(text, ur.lowerBound, around: around)
                // After 多/余 (150多家用人单位) a measure word is what the approximation counts, even when
                // ICU reads it into the next word (家用).
                let afterMany = d.approximate && ur.lowerBound > 0 && has(at(ur.lowerBound - 1), Flag.approxInfix)
                let suffixOK = afterMany || startsWord && (unitPure || ur.count == 1 && has(at(ur.lowerBound), Flag.timeUnit)
                                                 && has(at(ur.upperBound), Flag.timeSuffix))
                if !suffixOK {
                    if chinese && (d.kind != .ordinal) {
                        // A lone numeral character needs its unit.
                        if ur.lowerBound - coreRange.lowerBound <= 1 && d.kind != .percent && !d.approximate { return nil }
                        if !(try words.isBoundary(text, ur.lowerBound, around: around)) { return nil }
                    }
                    if d.kind == .money && d.unit != nil && restart != nil { d.kind = .cardinal }
                    d.end = ur.lowerBound
                    d.unit = nil
                    if case .integer = d.value, d.kind == .money { d.kind = .cardinal }
                    if d.kind == .money || d.kind == .cardinal || d.kind == .decimal {
                        if let v = NumberScanner.double(d.value) { d.kind = v == v.rounded() ? .cardinal : .decimal }
                    }
                    return d
                }
            }
        } else if chinese {
            let end = d.end
            if !(try words.isBoundary(text, end, around: around)) {
                // 4年多来: the 多 may be glued to what follows; the unit end decides.
                if let ue = unitEnd, try words.isBoundary(text, ue, around: around) { return d }
                return nil
            }
        }
        return d
    }

    /// 2023-05-01 or 2023/5/1 at `q` (a four-digit year ends at `e`).
    private func isoDate(_ q: Int, _ e: Int) -> Draft? {
        let sep = at(e)
        guard sep == 0x2D || sep == 0x2F, let m = parser.arabic(at: e + 1, allowSeparators: false), !m.point,
              m.end - (e + 1) <= 2, at(m.end) == sep, let d = parser.arabic(at: m.end + 1, allowSeparators: false), !d.point,
              d.end - (m.end + 1) <= 2, !isASCIIDigit(at(d.end)) else { return nil }
        guard let y = yearValue(q, e), (1...12).contains(m.value.mantissa), (1...31).contains(d.value.mantissa) else { return nil }
        return Draft(start: q, end: d.end, value: .date(NumberScanner.iso(y, m.value.mantissa, d.value.mantissa)), high: nil,
                     unit: nil, kind: .date, approximate: false)
    }

    private func yearValue(_ q: Int, _ e: Int) -> Int64? {
        guard let a = parser.arabic(at: q, allowSeparators: false), a.end == e, !a.point else { return nil }
        let v = a.value.mantissa
        if (1000...2999).contains(v) && e - q == 4 { return v }
        // A three-digit year only where the text says so: 公元208年, （219年）.
        if (100...999).contains(v) && e - q == 3 {
            if at(q - 1) == 0xFF08 || at(q - 1) == 0x28 { return v }
            if at(q - 2) == 0x516C && at(q - 1) == 0x5143 { return v } // 公元
            if at(e + 1) == 0x5E74 || at(e + 1) == 0x6708 { return v }   // 210年年末, 965年5月
            // 965年，吴昌文战死: a sentence that opens with Y年 and a comma sets the scene in a year.
            let before = at(q - 1)
            if (q == 0 || before == 0x0A || before == 0x3002 || before == 0xFF01 || before == 0xFF1F) && at(e + 1) == 0xFF0C { return v }
        }
        return nil
    }

    static func iso(_ y: Int64?, _ m: Int64?, _ d: Int64?) -> String {
        func pad(_ v: Int64, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        switch (y, m, d) {
        case let (y?, m?, d?): return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        case let (y?, m?, nil): return "\(pad(y, 4))-\(pad(m, 2))"
        case let (y?, nil, _): return pad(y, 4)
        case let (nil, m?, d?): return "--\(pad(m, 2))-\(pad(d, 2))"
        case let (nil, m?, nil): return "--\(pad(m, 2))"
        case let (nil, nil, d?): return "---\(pad(d, 2))"
        default: return ""
        }
    }

    /// A small integer (month or day) at `i` ending right before `marker`: returns value and end.
    private func smallInteger(at i: Int, max: Int64) -> (Int64, Int)? {
        guard startsNumeral(i), let r = parser.parse(at: i), r.high == nil, !r.hasPoint, !r.startsWithBarePower,
              r.value.isInteger, !r.isDigitRun || r.run.first == 0 else { return nil }
        if r.hasArabic && r.end - i > 2 { return nil }
        let v = r.value.mantissa
        return (1...max).contains(v) ? (v, r.end) : nil
    }

    /// Dates: 2023年5月1日, 2023年5月, 2023年, 5月1日, 5月, 22日 (and 号 after a month).
    private func date(p: Int, q: Int, core: ChineseNumeralParser.Result, e: Int) throws -> Draft? {
        let yue: UInt32 = 0x6708
        var year: Int64? = nil, month: Int64? = nil, day: Int64? = nil
        var k = e
        if at(e) == 0x5E74 {
            // A year is four Arabic digits, or four Chinese digits read one by one.
            var y: Int64? = nil
            if !core.hasChinese, let v = yearValue(q, e) { y = v }
            if core.hasChinese && core.isDigitRun && core.run.count == 4 { y = core.value.mantissa }
            guard let yy = y, at(e + 1) != 0x4EE3, at(e + 1) != 0x7EA7, at(e + 1) != 0x7D1A else { return nil } // 年代 年级
            year = yy
            k = e + 1
            if let (m, me) = smallInteger(at: k, max: 12), at(me) == yue {
                month = m; k = me + 1
                if let (d, de) = smallInteger(at: k, max: 31), has(at(de), Flag.dayMarker) { day = d; k = de + 1 }
            }
        } else if at(e) == yue {
            guard core.value.isInteger, (1...12).contains(core.value.mantissa), !core.isDigitRun,
                  !(core.hasArabic && e - q > 2) else { return nil }
            month = core.value.mantissa
            k = e + 1
            if at(k) == 0x4EFD { k += 1 } // 月份
            else if let (d, de) = smallInteger(at: k, max: 31), has(at(de), Flag.dayMarker) { day = d; k = de + 1 }
        } else if at(e) == 0x65E5 {
            guard core.value.isInteger, (1...31).contains(core.value.mantissa), !core.isDigitRun,
                  !(core.hasArabic && e - q > 2), units.match(text, e, n).map({ !$0.money }) ?? true,
                  at(e + 1) != 0x5143 else { return nil } // 日元
            day = core.value.mantissa
            k = e + 1
        } else {
            return nil
        }
        let d = Draft(start: p, end: k, value: .date(NumberScanner.iso(year, month, day)), high: nil, unit: nil,
                      kind: .date, approximate: false)
        if core.hasChinese {
            if !(try words.isBoundary(text, d.start, around: d.start..<d.end)) { return nil }
            if !(try words.isBoundary(text, d.end, around: d.start..<d.end)) {
                // 五月份 or a date glued to what follows (一日起): accept when the date's last unit starts a word.
                if !(try words.isBoundary(text, d.end - 1, around: d.start..<d.end)) { return nil }
            }
        }
        return d
    }

    /// 壹角捌分 / 5角 / 3分 after 元: returns the added value and the end.
    private func moneyTail(_ i: Int) -> (DecimalNumber, Int)? {
        var k = i
        var total = DecimalNumber(0)
        var any = false
        if let d = singleDigit(k), at(k + 1) == 0x89D2 { // 角
            total = DecimalNumber(d, exponent: -1); k += 2; any = true
        }
        if let d = singleDigit(k), at(k + 1) == 0x5206 { // 分
            guard let s = total + DecimalNumber(d, exponent: -2) else { return nil }
            total = s; k += 2; any = true
        }
        return any ? (total, k) : nil
    }

    private func singleDigit(_ i: Int) -> Int64? {
        let c = at(i)
        if isASCIIDigit(c) && !isASCIIDigit(at(i + 1)) { return Int64(c - 0x30) }
        return NumeralCharacters.digit(c)
    }
}
