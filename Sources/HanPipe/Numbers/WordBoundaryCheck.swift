/// Asks ICU's dictionary-based word break iterator (`zh`) whether a candidate number stands as words of
/// its own, so that numerals inside ordinary words (`统一`, `一致`, `长三角`, `三心二意`) are not numbers.
///
/// Rule: a mention written with Chinese numerals must start and end on ICU word boundaries; a unit that
/// also begins ordinary words (`部` in `部门`) must end on one too, unless the word it opens is a time
/// expression (`年来`, `年前`). The breaker sees only a short window around the candidate (the mention
/// plus `margin` characters each side), never the whole text, so the stage stays linear and cheap.
///
/// A short hand-made list supplements ICU where its dictionary keeps a numeral and a measure word
/// together as an ordinary word (`一度` "once", `十分` "very", `一时` "for a moment") or lacks an idiom
/// (`一去二三里`).
final class WordBoundaryCheck {
    private let breaker: BreakIterator
    private var units: [UInt16] = []
    private var unitToScalar: [Int32] = []
    /// Boundaries (scalar indices) of the last window, and the window.
    private var cached: [Int] = []
    private var window: Range<Int> = 0..<0
    private var windowLeftIsEdge = false
    private var windowRightIsEdge = false
    /// Characters of context before a candidate, and after it (more, since candidates come left to right).
    static let margin = 4
    static let ahead = 8
    /// Context a reused window must still have on each side of a candidate.
    static let inner = 3

    init(breaker: BreakIterator) { self.breaker = breaker }

    /// Numeral words that ICU keeps whole and that are not numbers.
    static let lexicalized: Set<[UInt32]> = Set(["一度", "一时", "一時", "一点", "一點", "一点儿", "一點兒", "十分",
                                                 "万分", "萬分", "一面", "一道", "一口", "一手", "一头", "一頭",
                                                 "一门", "一門", "一分", "一线", "一線", "一级", "一級", "一半", "十字", "一起", "一任", "四周", "二次", "一行", "一代", "一回", "一股",
                                                 "一把", "一番", "二手", "一身", "一席"]
        .map { $0.unicodeScalars.map(\.value) })

    /// The lexicalized words packed into one integer each (at most three characters of 21 bits).
    private static let lexicalizedKeys: Set<UInt64> = Set(lexicalized.map { key($0[...])! })

    private static func key(_ s: ArraySlice<UInt32>) -> UInt64? {
        guard s.count <= 3 else { return nil }
        var k: UInt64 = UInt64(s.count) << 63
        for (i, c) in s.enumerated() { k |= UInt64(c) << UInt64(21 * i) }
        return k
    }

    /// Whether `s` is one of the lexicalized numeral words, without building an array.
    static func isLexicalized(_ s: ArraySlice<UInt32>) -> Bool {
        guard s.count >= 2, let k = key(s) else { return false }
        return lexicalizedKeys.contains(k)
    }

    /// Phrases with numerals that are not numbers and that ICU's dictionary does not know.
    static let phrases: [[UInt32]] = ["一去二三里", "一二三四五", "三三两两", "三三兩兩", "一五一十", "十之八九",
                                      "一石二鸟", "一石二鳥", "接二连三", "接二連三", "一而再", "再三", "三番两次",
                                      "三番兩次", "百分百", "一百八十度", "二八年华", "二八年華", "不二", "一二·九",
                                      "一穷二白", "一窮二白", "三下五除二", "不管三七二十一", "三七二十一",
                                      "二十大", "十九大", "十八大", "十七大", "十六大", "十五大", "十四五", "十三五",
                                      "十二五", "十五五", "一年一度", "一次性", "五位一体", "三位一体", "一把手", "一针见血",
                                      "一針見血", "一本正经", "一本正經", "一条龙", "一條龍", "一点一滴", "一點一滴", "一步一个脚印",
                                      "一步一個腳印", "三点一线", "三點一線"]
        .map { $0.unicodeScalars.map(\.value) }

    /// The phrases by their first character.
    private static let phrasesByFirst: [UInt32: [[UInt32]]] = Dictionary(grouping: phrases, by: { $0[0] })
    private static let longestPhrase = phrases.map(\.count).max() ?? 0

    /// Whether `range` of `text` lies inside one of the hand-listed phrases.
    static func insidePhrase(_ text: Scalars, _ range: Range<Int>) -> Bool {
        var k = max(0, range.upperBound - longestPhrase)
        while k <= range.lowerBound {
            if let list = phrasesByFirst[text[k]] {
                for p in list where k + p.count >= range.upperBound && k + p.count <= text.count {
                    var ok = true
                    for t in 1..<p.count where text[k + t] != p[t] { ok = false; break }
                    if ok { return true }
                }
            }
            k += 1
        }
        return false
    }

    /// Whether `position` is a word boundary of `text`, as ICU breaks a window around `around`.
    ///
    /// The window runs from up to `margin` characters before `around` to up to `ahead` characters after
    /// it, stopping early at punctuation or spaces (where a word boundary is certain). Candidates come
    /// left to right, so a window is reused while the next candidate lies well inside it.
    func isBoundary(_ text: Scalars, _ position: Int, around: Range<Int>) throws -> Bool {
        if position <= 0 || position >= text.count { return true }
        // Between a Han character and anything else (digit, letter, punctuation) ICU always breaks:
        // no need to ask it.
        if isHan(text[position - 1]) != isHan(text[position]) || !isHan(text[position]) { return true }
        let leftOK = around.lowerBound - window.lowerBound >= WordBoundaryCheck.inner || windowLeftIsEdge
        let rightOK = window.upperBound - around.upperBound >= WordBoundaryCheck.inner || windowRightIsEdge
        if !(window.lowerBound <= around.lowerBound && around.upperBound <= window.upperBound && leftOK && rightOK) {
            var lo = around.lowerBound, k = 0
            while lo > 0 && k < WordBoundaryCheck.margin && WordBoundaryCheck.isWordChar(text[lo - 1]) { lo -= 1; k += 1 }
            var hi = around.upperBound
            k = 0
            while hi < text.count && k < WordBoundaryCheck.ahead && WordBoundaryCheck.isWordChar(text[hi]) { hi += 1; k += 1 }
            windowLeftIsEdge = lo == 0 || !WordBoundaryCheck.isWordChar(text[lo - 1])
            windowRightIsEdge = hi == text.count || !WordBoundaryCheck.isWordChar(text[hi])
            try breakWindow(text, lo..<hi)
        }
        if position <= window.lowerBound || position >= window.upperBound { return true }
        var a = 0, b = cached.count
        while a < b {
            let m = (a + b) / 2
            if cached[m] < position { a = m + 1 } else { b = m }
        }
        return a < cached.count && cached[a] == position
    }

    /// Characters that can be part of a word (the window never needs to extend past anything else).
    @inline(__always) static func isWordChar(_ c: UInt32) -> Bool {
        isHan(c) || isASCIIDigit(c) || isASCIILetter(c) || c == 0x25 || c == 0x2E
    }

    /// The end of the word that starts at `position` (for the time-suffix exception), or nil.
    func wordEnd(after position: Int) -> Int? {
        for b in cached where b > position { return b }
        return nil
    }

    private func breakWindow(_ text: Scalars, _ r: Range<Int>) throws {
        units.removeAll(keepingCapacity: true)
        unitToScalar.removeAll(keepingCapacity: true)
        for k in r {
            let c = text[k]
            if c < 0x10000 {
                units.append(UInt16(c)); unitToScalar.append(Int32(k))
            } else {
                let v = c - 0x10000
                units.append(UInt16(0xD800 + (v >> 10))); unitToScalar.append(Int32(k))
                units.append(UInt16(0xDC00 + (v & 0x3FF))); unitToScalar.append(Int32(k))
            }
        }
        unitToScalar.append(Int32(r.upperBound))
        let (bounds, _) = try breaker.boundaries(of: units)
        cached.removeAll(keepingCapacity: true)
        cached.append(r.lowerBound)
        for b in bounds { cached.append(Int(unitToScalar[Int(b)])) }
        window = r
    }
}
