/// normalize: Unicode and punctuation clean-up that keeps Chinese typography intact.
///
/// Rule (spec, stage 2):
/// - Unicode NFC (ICU), applied only to the normalization segments that need it;
/// - full-width ASCII letters and digits become half-width (`Ａ１` → `A1`), and so do the full-width
///   symbols inside a number (`２．５` → `2.5`, `１００％` → `100%`, `１／３` → `1/3`, `１，０００` → `1,000`);
/// - zero-width and control characters are removed, except newline and tab (a zero-width joiner inside an
///   emoji sequence stays);
/// - trailing spaces (and tabs, ideographic spaces) at the end of each line are removed;
/// - ASCII `, ; : ? !` directly between two Han characters become `，；：？！`, judged on the text as it will
///   be once glosses are removed, so `使命(ming),生態` counts;
/// - a normalization segment longer than `NFC.streamSafeLimit` code points (a base with more than 30
///   combining marks, beyond UAX #15's stream-safe limit) is left as it is.
/// Parentheses keep their width, and full-width Chinese punctuation is never made ASCII (no NFKC).
///
/// Worst case: linear. The gloss scan is linear (see Degloss); ICU normalizes each segment once, and
/// segments are at most `NFC.streamSafeLimit` long (ICU's canonical reordering is quadratic in a
/// segment's length); a run of spaces is scanned once, not once per space.
public struct Normalize: Stage {
    public let name = "normalize"
    public init() {}

    public func apply(to document: inout Document) throws {
        // One pass says whether any rule can apply and which (most text holds no removable character,
        // no parenthesis and nothing NFC changes), so the passes of the rules that cannot are left out.
        var kinds = Kinds(document.text)
        guard kinds.needsWork else { return }
        // Zero-width and control characters go first, in a pass of their own, so that every other rule
        // sees the text as it will be: `i` U+200B U+0301 composes to `í`, and `中` U+2060 `,文` is between
        // two Han characters.
        if kinds.any(Kinds.removable) {
            let raw = document.text
            document.rewrite(stage: StageCode.normalize) { r in
                Kinds.classes.withUnsafeBufferPointer { table in
                    for i in raw.indices {
                        let c = raw[i]
                        if c < 0x10000 && table[Int(c)] & Kinds.removable != 0 && isRemovable(raw, i) { r.delete(i..<i + 1) }
                    }
                }
            }
            if document.text.count != raw.count { kinds = Kinds(document.text) }
        }
        let text = document.text
        let nfc = kinds.nfcChecks.isEmpty ? [] : nfcSegments(text, at: kinds.nfcChecks)
        let glossRanges = kinds.any(Kinds.openParen) ? glossesAfterNormalizing(text, nfc, kinds) : []
        document.rewrite(stage: StageCode.normalize) { r in
            var glossIndex = 0
            var nfcIndex = 0
            var midLineRunEnd = -1
            var i = 0
            let n = text.count
            /// The Han-ness of the neighbour of `i` on the left, skipping glosses and the characters this
            /// stage removes, which are not there once it is done.
            func hanBefore(_ i: Int) -> Bool {
                var p = i
                var g = glossIndex
                while g > 0 && glossRanges[g - 1].upperBound > p { g -= 1 }
                while true {
                    if g > 0 && glossRanges[g - 1].upperBound == p { p = glossRanges[g - 1].lowerBound; g -= 1 }
                    else if p > 0 && isRemovable(text, p - 1) { p -= 1 }
                    else { break }
                }
                return p > 0 && isHan(text[p - 1])
            }
            /// The same on the right.
            func hanAfter(_ i: Int) -> Bool {
                var next = i + 1
                var g = glossIndex
                while g < glossRanges.count && glossRanges[g].lowerBound < next { g += 1 }
                while true {
                    if g < glossRanges.count && glossRanges[g].lowerBound == next { next = glossRanges[g].upperBound; g += 1 }
                    else if next < n && isRemovable(text, next) { next += 1 }
                    else { break }
                }
                return next < n && isHan(text[next])
            }
            let classes = Kinds.classes
            while i < n {
                // Skip to the next character that a rule below concerns (`Kinds.rule`) or where an NFC
                // segment starts: at any other character the rules below do nothing. (A segment that
                // starts behind `i` is never applied, as before: the test below wants equality.)
                let segment = nfcIndex < nfc.count && nfc[nfcIndex].range.lowerBound >= i ? nfc[nfcIndex].range.lowerBound : n
                classes.withUnsafeBufferPointer { table in
                    text.withUnsafeBufferPointer { t in
                        while i < segment {
                            let c = t[i]
                            if c < 0x10000 && table[Int(c)] & Kinds.rule != 0 { break }
                            i += 1
                        }
                    }
                }
                if i == n { break }
                while glossIndex < glossRanges.count && glossRanges[glossIndex].upperBound <= i { glossIndex += 1 }
                if nfcIndex < nfc.count && nfc[nfcIndex].range.lowerBound == i {
                    let seg = nfc[nfcIndex]
                    r.replace(seg.range, with: seg.normalized)
                    i = seg.range.upperBound
                    nfcIndex += 1
                    continue
                }
                let c = text[i]
                // Han and most other non-ASCII characters meet none of the rules below (which concern
                // ASCII, C1 controls, U+2000–U+2FFF, U+3000 and U+FE00 upwards): skip them cheaply.
                if c > 0x3000 && c < 0xFE00 { i += 1; continue }
                // Full-width ASCII letters and digits.
                let folded = Normalize.foldWidth(c)
                if folded != c {
                    r.replace(i..<i + 1, with: CollectionOfOne(folded)); i += 1; continue
                }
                // Full-width symbols inside a number.
                if let half = numberSymbol(text, i) {
                    r.replace(i..<i + 1, with: CollectionOfOne(half)); i += 1; continue
                }
                // Zero-width and control characters.
                if isRemovable(text, i) { r.delete(i..<i + 1); i += 1; continue }
                // Trailing spaces. A run found not to end its line is remembered, so that its later
                // spaces are not scanned again (which would be quadratic in the run's length).
                if isLineSpace(c) {
                    if i < midLineRunEnd { i += 1; continue }
                    var j = i
                    while j < n && (isLineSpace(text[j]) || isRemovable(text, j)) { j += 1 }
                    if j == n || text[j] == 0x0A { r.delete(i..<j); i = j; continue }
                    midLineRunEnd = j
                    i += 1; continue
                }
                // ASCII punctuation between Han characters.
                if let wide = Normalize.widePunctuation(c), hanBefore(i), hanAfter(i) {
                    r.replace(i..<i + 1, with: CollectionOfOne(wide)); i += 1; continue
                }
                i += 1
            }
        }
    }

    /// A full-width ASCII letter or digit's half-width form (`Ａ` → `A`); any other character unchanged.
    static func foldWidth(_ c: UInt32) -> UInt32 {
        (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) ? c - 0xFEE0 : c
    }

    static func widePunctuation(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x2C: return 0xFF0C // ,
        case 0x3B: return 0xFF1B // ;
        case 0x3A: return 0xFF1A // :
        case 0x3F: return 0xFF1F // ?
        case 0x21: return 0xFF01 // !
        default: return nil
        }
    }

    /// The glosses that degloss will find once this stage is done, as ranges of `text`: found on the text
    /// as this stage leaves it (NFC, full-width letters folded, zero-width and control characters gone),
    /// so that `中\u{200B}(zhong),文` and `中(ｚｈｏｎｇ),文` count as `中(zhong),文`.
    private func glossesAfterNormalizing(_ text: Scalars, _ nfc: [(range: Range<Int>, normalized: Scalars)], _ kinds: Kinds) -> [Range<Int>] {
        // No NFC segment and nothing removed (the common case): the projection is one for one, only
        // widths fold, so its glosses are at the same offsets.
        if nfc.isEmpty && !(kinds.any(Kinds.removable) && text.indices.contains(where: { isRemovable(text, $0) })) {
            return GlossScanner.glosses(in: text, folding: kinds.any(Kinds.foldable), openings: kinds.openParens)
        }
        var projected: Scalars = []
        var starts: [Int] = [], ends: [Int] = []
        projected.reserveCapacity(text.count)
        starts.reserveCapacity(text.count)
        ends.reserveCapacity(text.count)
        var i = 0, s = 0
        while i < text.count {
            if s < nfc.count && nfc[s].range.lowerBound == i {
                for c in nfc[s].normalized {
                    projected.append(Normalize.foldWidth(c)); starts.append(i); ends.append(nfc[s].range.upperBound)
                }
                i = nfc[s].range.upperBound; s += 1; continue
            }
            if !isRemovable(text, i) { projected.append(Normalize.foldWidth(text[i])); starts.append(i); ends.append(i + 1) }
            i += 1
        }
        return GlossScanner.glosses(in: projected).map { starts[$0.lowerBound]..<ends[$0.upperBound - 1] }
    }

    /// Whether the character is a zero-width or control character to remove. Called for every
    /// character, so the common case (a character outside every range below) is decided inline.
    @inline(__always) private func isRemovable(_ text: Scalars, _ i: Int) -> Bool {
        let c = text[i]
        guard c < 0x20 || (c >= 0x7F && c <= 0xAD) || (c >= 0x200B && c <= 0x206F) || c == 0xFEFF else { return false }
        return isRemovableCandidate(text, i)
    }

    /// `isRemovable` for a character in one of its ranges.
    private func isRemovableCandidate(_ text: Scalars, _ i: Int) -> Bool {
        let c = text[i]
        if c < 0x20 { return c != 0x0A && c != 0x09 }
        if c == 0x7F || (c >= 0x80 && c < 0xA0) { return true }
        switch c {
        case 0x200D:
            // Keep a zero-width joiner between two emoji or symbols (family emoji and the like).
            let before = i > 0 ? text[i - 1] : 0
            let after = i + 1 < text.count ? text[i + 1] : 0
            return !(isEmojiLike(before) && isEmojiLike(after))
        case 0x00AD, 0x200B, 0x200C, 0x200E, 0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF:
            return true
        default:
            return false
        }
    }

    private func isEmojiLike(_ c: UInt32) -> Bool {
        (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF)
    }

    /// The half-width form of a full-width symbol that sits inside a number, else nil.
    private func numberSymbol(_ text: Scalars, _ i: Int) -> UInt32? {
        func digit(_ k: Int) -> Bool {
            guard k >= 0 && k < text.count else { return false }
            let c = text[k]
            return isASCIIDigit(c) || (c >= 0xFF10 && c <= 0xFF19)
        }
        switch text[i] {
        case 0xFF0E, 0xFF0F: // ． ／
            return digit(i - 1) && digit(i + 1) ? text[i] - 0xFEE0 : nil
        case 0xFF05: // ％
            return digit(i - 1) ? 0x25 : nil
        case 0xFF0C: // ， as a thousands separator: full-width digits on both sides, three after
            func fullDigit(_ k: Int) -> Bool { k >= 0 && k < text.count && text[k] >= 0xFF10 && text[k] <= 0xFF19 }
            guard fullDigit(i - 1), fullDigit(i + 1), fullDigit(i + 2), fullDigit(i + 3), !digit(i + 4) else { return nil }
            return 0x2C
        default:
            return nil
        }
    }

    /// Characters that always start an NFC segment (ICU's `hasBoundaryBefore` is true), known without
    /// calling ICU, which saves a call per character on ordinary text: ASCII and Latin-1 up to U+02FF,
    /// general punctuation, CJK symbols and punctuation (but the tone marks U+302A–U+302F), kana up to
    /// U+3098, CJK ideographs, and the half- and full-width forms. A test checks every one against ICU.
    @inline(__always) static func knownBoundary(_ c: UInt32) -> Bool {
        c < 0x300 || (c >= 0x3400 && c < 0xA000) || (c >= 0x3000 && c <= 0x3098 && !(c >= 0x302A && c <= 0x302F))
            || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x2000 && c <= 0x206F) || (isHan(c) && c < 0xF900)
    }

    /// Normalization segments that change under NFC, with their normalized form. Only the positions
    /// `checks` (in order) can leave the fast path (`Kinds.nfcChecks`): every other position takes it
    /// and is followed by a known boundary, so it is skipped without being looked at.
    private func nfcSegments(_ text: Scalars, at checks: [Int]) -> [(range: Range<Int>, normalized: Scalars)] {
        var result: [(range: Range<Int>, normalized: Scalars)] = []
        var i = 0
        let n = text.count
        for check in checks where check >= i {
            i = check
            let c = text[i]
            // Fast path: ASCII, Han and common CJK punctuation are stable under NFC... except that a
            // following combining mark may compose with them, which the segment check below catches.
            if Normalize.nfcFast(c) {
                if i + 1 < n, !Normalize.knownBoundary(text[i + 1]), !NFC.hasBoundaryBefore(text[i + 1]) {
                    // fall through to the segment check
                } else { i += 1; continue }
            }
            var start = i
            while start > 0 && !NFC.hasBoundaryBefore(text[start]) { start -= 1 }
            var end = i + 1
            while end < n && !NFC.hasBoundaryBefore(text[end]) { end += 1 }
            if let last = result.last, last.range.upperBound > start { i = end; continue }
            // Beyond UAX #15's stream-safe limit (30 non-starters) no real text goes; ICU reorders
            // combining marks by insertion, quadratic in the segment's length, so such a segment
            // (Zalgo text, or an attack) is left as it is.
            if end - start > NFC.streamSafeLimit { i = end; continue }
            // Check the segment as it will be once full-width letters are folded: `Ｉ` + U+0301 is NFC, but
            // `I` + U+0301 is not (it composes to `Í`), so folding first keeps the output NFC.
            let segment = text[start..<end]
            let folded = segment.contains(where: { Normalize.foldWidth($0) != $0 })
            var units: [UInt16] = []
            UTF16Codec.encode(folded ? ArraySlice(segment.map(Normalize.foldWidth)) : segment, into: &units)
            if folded || !NFC.isNormalized(units) {
                let normalized = NFC.normalize(units)
                var scalars: Scalars = []
                normalized.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &scalars) }
                result.append((start..<end, scalars))
            }
            i = end
        }
        return result
    }
}

extension Normalize {
    /// Whether the character takes `nfcSegments`'s fast path (ASCII, Han and common CJK punctuation:
    /// stable under NFC unless a combining mark follows).
    @inline(__always) static func nfcFast(_ c: UInt32) -> Bool {
        c < 0x300 || (c >= 0x3400 && c < 0xA000) || (isHan(c) && c < 0xF900) || (c >= 0x3000 && c < 0x3099)
            || (c >= 0xFF00 && c <= 0xFFEF)
    }

    /// Which of this stage's rules can apply to a text, found in one pass of one table load per
    /// character, so that the passes of rules that cannot apply are left out and the rewriting pass
    /// visits only the characters a rule concerns. (Before, each rule scanned the whole text, and this
    /// stage took a third of `clean`'s time on plain Chinese text.)
    struct Kinds {
        /// A character that one of the per-character rules of the rewriting pass concerns: a full-width
        /// letter or digit, a full-width symbol of a number, a removal candidate, a line space or
        /// ASCII punctuation that may widen. At every other character those rules do nothing.
        static let rule: UInt8 = 1
        /// A zero-width or control character that `isRemovable` may remove (U+200D depends on its
        /// neighbours; general punctuation such as `—` and `“`, in the same ranges, is not one).
        static let removable: UInt8 = 2
        static let openParen: UInt8 = 4
        /// A full-width letter or digit (`foldWidth` changes it).
        static let foldable: UInt8 = 8
        /// Not `Normalize.nfcFast`.
        static let slowNFC: UInt8 = 16
        /// Not `Normalize.knownBoundary`.
        static let noBoundary: UInt8 = 32
        /// The text needs this stage: a character outside the set that every rule leaves alone (ASCII
        /// but controls and `, ; : ? !`; Han; CJK, general and full-width punctuation; Latin-1 and
        /// the Latin letters up to U+02FF but the soft hyphen), whatever its neighbours.
        static let work: UInt8 = 64
        /// The text needs this stage if the previous character is a line space (LF: trailing space)
        /// or an ASCII digit (`％ ． ／` in a number).
        static let workAfter: UInt8 = 128
        /// Every class of a character above the BMP (which has no entry in the table).
        static let aboveBMP: UInt8 = slowNFC | noBoundary | work

        /// The classes of every BMP character (64 KiB, built on first use from the predicates).
        static let classes: [UInt8] = (0..<0x10000).map { classify(UInt32($0)) }

        static func classify(_ c: UInt32) -> UInt8 {
            guard c < 0x10000 else { return aboveBMP }
            var k: UInt8 = 0
            // `isRemovable` may hold (it looks at the neighbours of U+200D only).
            let inRanges = c < 0x20 || (c >= 0x7F && c <= 0xAD) || (c >= 0x200B && c <= 0x206F) || c == 0xFEFF
            let removal = inRanges && (c == 0x200D || Normalize().isRemovableCandidate([c], 0))
            if removal { k |= removable }
            if isOpenParen(c) { k |= openParen }
            if Normalize.foldWidth(c) != c { k |= foldable }
            if !Normalize.nfcFast(c) { k |= slowNFC }
            if !Normalize.knownBoundary(c) { k |= noBoundary }
            if removal || Normalize.foldWidth(c) != c || c == 0xFF0E || c == 0xFF0F || c == 0xFF05 || c == 0xFF0C
                || isLineSpace(c) || Normalize.widePunctuation(c) != nil {
                k |= rule
            }
            if c == 0x0A || c == 0xFF05 || c == 0xFF0E || c == 0xFF0F {
                k |= workAfter
            } else if c < 0x80 {
                if (c < 0x20 && c != 0x09) || c == 0x7F || Normalize.widePunctuation(c) != nil { k |= work }
            } else if !((isHan(c) && c < 0xF900) || (c >= 0x3001 && c <= 0x303F) || (c >= 0x2010 && c <= 0x2027)
                        || (c >= 0xA0 && c < 0x300 && c != 0xAD) || (c >= 0xFF1A && c <= 0xFF20)
                        || (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0x3000
                        || (c >= 0xFF01 && c <= 0xFF0F)) {
                k |= work
            }
            return k
        }

        /// The union of the classes of the text's characters.
        private(set) var found: UInt8 = 0
        /// Whether any rule of this stage may change the text (when not, the stage does nothing).
        private(set) var needsWork = false
        /// The positions, in order, where `nfcSegments` leaves its fast path or must look at the next
        /// character: a character that does not take the fast path, or one followed by a character that
        /// is not a known boundary. At every other position the fast path skips on.
        private(set) var nfcChecks: [Int] = []
        /// The positions of `(` and `（`, in order (so the gloss scan need not look for them again).
        private(set) var openParens: [Int] = []

        init(_ text: Scalars) {
            let rare = Kinds.slowNFC | Kinds.noBoundary | Kinds.work | Kinds.workAfter | Kinds.openParen
            var found: UInt8 = 0
            var needsWork = false
            var checks: [Int] = []
            var parens: [Int] = []
            Kinds.classes.withUnsafeBufferPointer { table in
                text.withUnsafeBufferPointer { t in
                    for i in 0..<t.count {
                        let c = t[i]
                        let k = c < 0x10000 ? table[Int(c)] : Kinds.aboveBMP
                        found |= k
                        guard _slowPath(k & rare != 0) else { continue }
                        if k & Kinds.openParen != 0 { parens.append(i) }
                        if k & Kinds.noBoundary != 0 && i > 0 && checks.last != i - 1 { checks.append(i - 1) }
                        if k & Kinds.slowNFC != 0 && checks.last != i { checks.append(i) }
                        if k & Kinds.work != 0 { needsWork = true }
                        if k & Kinds.workAfter != 0 {
                            let previous = i > 0 ? t[i - 1] : 0x0A
                            if c == 0x0A ? isLineSpace(previous) : isASCIIDigit(previous) { needsWork = true }
                        }
                    }
                    if let last = t.last, isLineSpace(last) { needsWork = true }
                }
            }
            self.found = found
            self.needsWork = needsWork
            self.nfcChecks = checks
            self.openParens = parens
        }

        func any(_ kind: UInt8) -> Bool { found & kind != 0 }
    }
}
