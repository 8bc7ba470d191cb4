/// degloss: removes pinyin and Zhuyin glosses.
///
/// Rule (spec, stage 4): a gloss is a parenthetical in `()` or `（）` that directly follows a Han character,
/// or another gloss that does, holds only lower-case pinyin syllables (plain, tone-marked or
/// tone-numbered; ü also written v or u:; separated by spaces or nothing) or only Zhuyin syllables with
/// tone marks, and whose syllables are readings of the Han characters right before it (any reading of a
/// polyphonic character; tones ignored). Everything else stays: `(局)`, `(2023)`, `(WHO)`, `(Li Wei)`,
/// `人工智能(ai)`. A real parenthetical is kept and only the glosses inside it are removed.
///
/// Worst case: linear. Each `(` is scanned at most up to the next character that cannot be in a gloss,
/// and a candidate's match tries at most `GlossScanner.maxSyllables` characters.
public struct Degloss: Stage {
    public let name = "degloss"
    public init() {}

    public func apply(to document: inout Document) throws {
        let glosses = GlossScanner.glosses(in: document.text)
        guard !glosses.isEmpty else { return }
        document.rewrite(stage: StageCode.degloss) { r in
            for g in glosses { r.delete(g) }
        }
    }
}

/// Finds glosses in a text. Shared by degloss (which removes them) and normalize (which judges ASCII
/// punctuation "once glosses are removed").
enum GlossScanner {
    /// The most Han characters one gloss may cover (`長三角(chang san jiao)` covers three).
    static let maxSyllables = 12
    /// The longest parenthetical considered (in characters).
    static let maxLength = 96

    /// The ranges of every gloss in `text`, in order, including their brackets. With `folding`, the
    /// glosses of `text.map(Normalize.foldWidth)` (full-width letters and digits read as ASCII; the
    /// brackets and Han characters, which folding leaves alone, where they are), without that copy.
    /// `openings`, when given, are the positions of every `(` and `（` in `text`, in order (found by
    /// the caller's own pass), so that the text is not scanned for them.
    static func glosses(in text: Scalars, folding: Bool = false, openings: [Int]? = nil) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = 0
        let n = text.count
        // The end of the previous gloss and the end of the Han run it glosses, to chain `(sheng)(sheng)`.
        var chainEnd = -1
        var chainAnchor = -1
        var o = 0
        while i < n {
            if let openings {
                while o < openings.count && openings[o] < i { o += 1 }
                i = o < openings.count ? openings[o] : n
            } else {
                i = text.withUnsafeBufferPointer { nextOpenParen($0.baseAddress!, from: i, to: n) }
            }
            guard i < n else { break }
            guard i > 0 else { i += 1; continue }
            let anchor = i == chainEnd ? chainAnchor : i
            guard anchor > 0, isHan(text[anchor - 1]) else { i += 1; continue }
            guard let close = closing(text, from: i + 1, folding: folding) else { i += 1; continue }
            let inside = folding ? ArraySlice(text[(i + 1)..<close].map(Normalize.foldWidth)) : text[(i + 1)..<close]
            if let content = GlossContent(inside), matches(content, text, before: anchor) {
                result.append(i..<(close + 1))
                chainEnd = close + 1
                chainAnchor = anchor
                i = close + 1
            } else {
                i += 1
            }
        }
        return result
    }

    /// The first position in `from..<to` that holds `(` or `（`, else `to`. Text holds few brackets, and
    /// this runs over all of it (in normalize, degloss and convert), so it tests four characters at a
    /// time, two to a 64-bit word: `c & 0xFFFF_00DF == 0x08` holds for both brackets (and a few other
    /// characters, which the exact test then passes over), and a lane of `x` is zero exactly then.
    static func nextOpenParen(_ p: UnsafePointer<UInt32>, from: Int, to end: Int) -> Int {
        var i = from
        let raw = UnsafeRawPointer(p)
        while i < end {
            while i + 4 <= end {
                let x = (raw.loadUnaligned(fromByteOffset: i * 4, as: UInt64.self) & 0xFFFF_00DF_FFFF_00DF) ^ 0x0000_0008_0000_0008
                let y = (raw.loadUnaligned(fromByteOffset: i * 4 + 8, as: UInt64.self) & 0xFFFF_00DF_FFFF_00DF) ^ 0x0000_0008_0000_0008
                let zero = ((x &- 0x0000_0001_0000_0001) & ~x) | ((y &- 0x0000_0001_0000_0001) & ~y)
                if zero & 0x8000_0000_8000_0000 != 0 { break }
                i += 4
            }
            guard i < end else { break }
            if _slowPath(isOpenParen(p[i])) { return i }
            i += 1
        }
        return end
    }

    /// The index of the bracket that closes a candidate starting at `start`, when everything before it
    /// could belong to a gloss (read folded with `folding`).
    private static func closing(_ text: Scalars, from start: Int, folding: Bool) -> Int? {
        var j = start
        while j < text.count && j - start <= maxLength {
            let c = folding ? Normalize.foldWidth(text[j]) : text[j]
            if isCloseParen(c) { return j > start ? j : nil }
            if !GlossContent.mayContain(c) { return nil }
            j += 1
        }
        return nil
    }

    /// Whether the syllables are readings of the Han characters right before `anchor` (the last k of
    /// them, for some k).
    private static func matches(_ content: GlossContent, _ text: Scalars, before anchor: Int) -> Bool {
        var start = anchor
        while start > 0 && anchor - start < maxSyllables && isHan(text[start - 1]) { start -= 1 }
        let readings = Readings.shared
        for k in 1...(anchor - start) {
            let chars = text[(anchor - k)..<anchor]
            if match(content.letters, 0, chars, chars.startIndex, content.isZhuyin, readings) { return true }
        }
        return false
    }

    private static func match(_ s: [UInt32], _ at: Int, _ chars: ArraySlice<UInt32>, _ ci: Int,
                              _ zhuyin: Bool, _ readings: Readings) -> Bool {
        var pos = at
        while pos < s.count && s[pos] == GlossContent.separator { pos += 1 }
        if ci == chars.endIndex { return pos == s.count }
        if pos == s.count { return false }
        for id in readings.readings(of: chars[ci]) {
            let spellings = zhuyin ? readings.zhuyin[Int(id)] : [readings.syllables[Int(id)]]
            for r in spellings where hasPrefix(s, pos, r) {
                if match(s, pos + r.count, chars, ci + 1, zhuyin, readings) { return true }
            }
        }
        return false
    }

    private static func hasPrefix(_ s: [UInt32], _ at: Int, _ r: [UInt32]) -> Bool {
        guard !r.isEmpty, at + r.count <= s.count else { return false }
        for k in 0..<r.count where s[at + k] != r[k] { return false }
        return true
    }
}

/// The inside of a gloss candidate, reduced to toneless letters and syllable separators.
struct GlossContent {
    static let separator: UInt32 = 0x7C // '|'
    /// Letters (ASCII pinyin with ü as v, or Zhuyin) and separators.
    let letters: [UInt32]
    let isZhuyin: Bool

    /// Characters that may appear inside a gloss.
    static func mayContain(_ c: UInt32) -> Bool {
        isASCIILower(c) || (c >= 0x31 && c <= 0x35) || c == 0x20 || c == 0x3A || c == 0x27 || c == 0x2D
            || toneless(c) != nil || isZhuyinLetter(c) || isZhuyinTone(c)
    }

    static func isZhuyinLetter(_ c: UInt32) -> Bool { (c >= 0x3105 && c <= 0x312F) || (c >= 0x31A0 && c <= 0x31BF) }
    static func isZhuyinTone(_ c: UInt32) -> Bool { c == 0x02CA || c == 0x02C7 || c == 0x02CB || c == 0x02D9 || c == 0x02C9 }

    /// A tone-marked (or diaeresis) vowel's base letter: ā → a, ǘ → v.
    static func toneless(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x101, 0xE1, 0x1CE, 0xE0: return 0x61            // ā á ǎ à
        case 0x113, 0xE9, 0x11B, 0xE8, 0xEA: return 0x65      // ē é ě è ê
        case 0x12B, 0xED, 0x1D0, 0xEC: return 0x69            // ī í ǐ ì
        case 0x14D, 0xF3, 0x1D2, 0xF2: return 0x6F            // ō ó ǒ ò
        case 0x16B, 0xFA, 0x1D4, 0xF9: return 0x75            // ū ú ǔ ù
        case 0x1D6, 0x1D8, 0x1DA, 0x1DC, 0xFC: return 0x76    // ǖ ǘ ǚ ǜ ü → v
        case 0x144, 0x148, 0x1F9: return 0x6E                 // ń ň ǹ
        case 0x1E3F: return 0x6D                              // ḿ
        default: return nil
        }
    }

    init?(_ chars: ArraySlice<UInt32>) {
        var letters: [UInt32] = []
        letters.reserveCapacity(chars.count)
        var latin = false, zhuyin = false
        for c in chars {
            if isASCIILower(c) {
                latin = true; letters.append(c)
            } else if let base = GlossContent.toneless(c) {
                latin = true; letters.append(base)
            } else if c == 0x3A { // u: is ü
                guard letters.last == 0x75 else { return nil }
                letters[letters.count - 1] = 0x76
            } else if GlossContent.isZhuyinLetter(c) {
                zhuyin = true; letters.append(c)
            } else if GlossContent.isZhuyinTone(c) || c == 0x20 || c == 0x27 || c == 0x2D || (c >= 0x31 && c <= 0x35) {
                if c >= 0x31 && c <= 0x35 && zhuyin { return nil }
                letters.append(GlossContent.separator)
            } else {
                return nil
            }
        }
        guard latin != zhuyin else { return nil } // no letters, or a mix of scripts
        self.letters = letters
        self.isZhuyin = zhuyin
    }
}
