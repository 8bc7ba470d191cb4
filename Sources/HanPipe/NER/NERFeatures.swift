/// The features of the entity tagger: for every character of a chunk, `templateCount` 64-bit keys.
///
/// Rule: characters are first normalised (full-width ASCII to ASCII, ASCII letters to lower case, every
/// digit to `0`), so MSRA's full-width digits and the training set's ASCII digits look alike. Templates, with
/// `c[k]` the normalised character k places away (`^`/`$` beyond the ends):
///  0 bias · 1–5 `c[-2]`…`c[2]` · 6–9 adjacent bigrams · 10 `c[-1]c[1]` · 11 trigram `c[-1]c[0]c[1]`
///  12 character classes `[-2…2]` · 13 position of `c[0]` in its word (B/M/E/S), word length and `c[0]`
///  14 the word itself and the position · 15 word positions at `-1, 0, 1` (words: longest match over the
///  dictionary words of the gazetteer, or, for models trained with `--icu-words`, ICU's dictionary break
///  iterator)
///  16 place-gazetteer tags at `-1, 0, 1` (position in the longest place name covering the character, and
///  its kinds) · 17 place tag and `c[0]` · 18 surname lengths starting at `0` and `1`
///  19 organisation-suffix lengths ending at `0` and `1` · 20 place tag at `0` with the suffix ending at
///  `0` · 21 surname starting at `0` with `c[1]` · 22–23 `c[-3]`, `c[3]` · 24 distance to the next
///  organisation-suffix end (within 12 characters) and its length · 25 organisation-name tags at
///  `-1, 0, 1` (as for places) · 26 Latin-script token (a run of ASCII letters, digits and `&` holding a
///  letter): position in it, its shape (lower, Capitalised, ALL CAPS, miXed, from the raw case) and length ·
///  27 the token itself (lower case) and the position · 28 repetition: whether `c[0]` equals `c[-1]`,
///  `c[1]`, `c[-2]`, `c[2]` (哈哈哈 is laughter, not a name) · 29 well-known-person tags at `-1, 0, 1`
///  30–31 fine character clusters `f[-1]f[0]`, `f[0]f[1]` · 32 coarse character clusters `[-2…2]`
///  33 the word's cluster and the position in it · 34 the clusters of the previous and next words and the
///  position (clusters learned from unlabelled text, `Gazetteer.Cluster`; 0 where a character or word has none).
/// Templates 26–29 are sparse: where they do not apply their key is 0, which is never looked up.
/// Each key is `(template + 1) << 58` joined with the template's values (exact when they fit in 58 bits,
/// else a 58-bit hash), never 0.
struct NERFeatures {
    static let templateCount = 35

    static let bos: UInt32 = 0x11_0001
    static let eos: UInt32 = 0x11_0002

    /// The templates whose keys spell characters or words: `c[-2]`…`c[2]`, the n-grams, the word and its
    /// characters, `c[-3]`, `c[3]`, the place tag with `c[0]`, the surname with `c[1]`, and the Latin token
    /// (13, 14, 17, 21, 27 join a character or word to other values).
    static let identityTemplates = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 17, 21, 22, 23, 27]

    /// The character as the features see it.
    @inline(__always) static func normalize(_ c: UInt32) -> UInt32 {
        var c = c
        if c >= 0xFF01 && c <= 0xFF5E { c -= 0xFEE0 } else if c == 0x3000 { return 0x20 }
        if c >= 0x30 && c <= 0x39 { return 0x30 }
        if c >= 0x41 && c <= 0x5A { return c + 0x20 }
        return c
    }

    /// Whether a normalised character is a Latin letter or a digit.
    @inline(__always) static func isLatinAlphanumeric(_ c: UInt32) -> Bool { c == 0x30 || (c >= 0x61 && c <= 0x7A) }

    /// 0 beyond the ends, 1 Han, 2 digit, 3 Latin letter, 4 Han numeral, 5 other, 6 space.
    @inline(__always) static func charClass(_ c: UInt32) -> UInt64 {
        switch c {
        case bos, eos: return 0
        case 0x30: return 2
        case 0x61...0x7A: return 3
        case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343,
             0x4E07, 0x4EBF, 0x96F6, 0x3007, 0x4E24:
            return 4
        case 0x20, 0x09, 0x0A, 0x0D: return 6
        default: return isHan(c) ? 1 : 5
        }
    }

    /// The place-gazetteer tag of each position: 0 none, else (1 B, 2 I, 3 E, 4 S) | kinds << 3.
    private(set) var place: [UInt64] = []
    private(set) var placeLength: [Int] = []
    /// The organisation-name tag of each position (as `place`, without kinds).
    private(set) var org: [UInt64] = []
    private var orgLength: [Int] = []
    /// The well-known-person tag of each position (as `org`).
    private(set) var person: [UInt64] = []
    private var personLength: [Int] = []
    /// Latin-script tokens: position (1 B, 2 I, 3 E, 4 S) | shape << 3 | length (≤ 8) << 5, or 0; and a hash of
    /// the token.
    private(set) var latin: [UInt64] = []
    private var latinKey: [UInt64] = []
    /// The length of the longest listed company's name (`Gazetteer.Kind.company`) starting at each position, or 0.
    private(set) var companyLength: [Int] = []
    private(set) var surname: [UInt64] = []
    private(set) var suffixEnd: [UInt64] = []
    private(set) var wordPos: [UInt64] = []
    private(set) var wordKey: [UInt64] = []
    private(set) var wordLen: [UInt64] = []
    /// The cluster of each position's word, and of the words before and after it (0 none; 0x100 beyond the ends).
    private var wordCluster: [UInt64] = []
    private var wordContext: [UInt64] = []
    /// Fine and coarse character clusters per position (0 none).
    private var charFine: [UInt64] = []
    private var charCoarse: [UInt64] = []
    /// The cluster of the longest dictionary word starting at each position.
    private var wordClusterAt: [UInt64] = []
    /// Distance to the nearest organisation-suffix end at or after each position (< 12) << 4 | its length;
    /// 0xFF when there is none.
    private(set) var suffixAhead: [UInt64] = []
    private var chars: [UInt32] = []
    /// Where templates 13–15 get their words: ICU's dictionary break iterator, or the longest match over the
    /// model's dictionary words (`Gazetteer.Kind.word`).
    enum WordSource { case icu, lexicon }
    var wordSource = WordSource.lexicon
    /// The longest dictionary word starting at each position (0: none).
    private var wordAt: [Int] = []
    private var units: [UInt16] = []
    private var unitToChar: [Int32] = []

    init() {}

    /// Sets `array` to `count` copies of `value`, keeping its storage.
    @inline(__always) static func reset<T>(_ array: inout [T], _ value: T, _ count: Int) {
        array.removeAll(keepingCapacity: true)
        array.append(contentsOf: repeatElement(value, count: count))
    }

    @inline(__always) private static func key(_ template: UInt64, _ payload: UInt64) -> UInt64 {
        ((template + 1) << 58) | (payload & 0x03FF_FFFF_FFFF_FFFF)
    }

    /// Writes `text.count × templateCount` keys into `keys`. `lexicon` is the model's gazetteer table.
    mutating func extract(_ text: ArraySlice<UInt32>, lexicon: KeyTable, breaker: BreakIterator,
                          into keys: inout [UInt64]) throws {
        let n = text.count
        chars.removeAll(keepingCapacity: true)
        for c in text { chars.append(NERFeatures.normalize(c)) }
        matchGazetteer(lexicon)
        latinTokens(text)
        if wordSource == .icu { try segmentWords(breaker, lexicon) } else { segmentLongestMatch() }
        wordContexts()
        suffixDistances()
        let k = NERFeatures.templateCount
        NERFeatures.reset(&keys, 0, n * k)
        keys.withUnsafeMutableBufferPointer { out in
        var o = 0
        chars.withUnsafeBufferPointer { ch in
            @inline(__always) func c(_ i: Int) -> UInt64 { UInt64(i < 0 ? NERFeatures.bos : i >= n ? NERFeatures.eos : ch[i]) }
            @inline(__always) func cls(_ i: Int) -> UInt64 { i < 0 || i >= n ? 0 : NERFeatures.charClass(ch[i]) }
            @inline(__always) func at(_ a: [UInt64], _ i: Int) -> UInt64 { i < 0 || i >= n ? 15 : a[i] }
            // Beyond the ends the coarse cluster is 0x1F, the value coarse cluster 30 also takes (ids are stored
            // plus one in 5 bits); the shipped model was trained so, and changing it means retraining.
            @inline(__always) func coarse(_ i: Int) -> UInt64 { i < 0 || i >= n ? 0x1F : charCoarse[i] }
            for i in 0..<n {
                let cm2 = c(i - 2), cm1 = c(i - 1), c0 = c(i), c1 = c(i + 1), c2 = c(i + 2)
                out[o] = NERFeatures.key(0, 0); o += 1
                out[o] = NERFeatures.key(1, cm2); o += 1
                out[o] = NERFeatures.key(2, cm1); o += 1
                out[o] = NERFeatures.key(3, c0); o += 1
                out[o] = NERFeatures.key(4, c1); o += 1
                out[o] = NERFeatures.key(5, c2); o += 1
                out[o] = NERFeatures.key(6, cm2 << 21 | cm1); o += 1
                out[o] = NERFeatures.key(7, cm1 << 21 | c0); o += 1
                out[o] = NERFeatures.key(8, c0 << 21 | c1); o += 1
                out[o] = NERFeatures.key(9, c1 << 21 | c2); o += 1
                out[o] = NERFeatures.key(10, cm1 << 21 | c1); o += 1
                out[o] = NERFeatures.key(11, mix64(cm1 << 42 | c0 << 21 | c1)); o += 1
                out[o] = NERFeatures.key(12, cls(i - 2) << 12 | cls(i - 1) << 9 | cls(i) << 6 | cls(i + 1) << 3 | cls(i + 2)); o += 1
                out[o] = NERFeatures.key(13, wordPos[i] << 25 | wordLen[i] << 21 | c0); o += 1
                out[o] = NERFeatures.key(14, mix64(wordKey[i] ^ wordPos[i])); o += 1
                out[o] = NERFeatures.key(15, at(wordPos, i - 1) << 8 | wordPos[i] << 4 | at(wordPos, i + 1)); o += 1
                out[o] = NERFeatures.key(16, at(place, i - 1) << 16 | place[i] << 8 | at(place, i + 1)); o += 1
                out[o] = NERFeatures.key(17, place[i] << 21 | c0); o += 1
                out[o] = NERFeatures.key(18, surname[i] << 4 | at(surname, i + 1)); o += 1
                out[o] = NERFeatures.key(19, suffixEnd[i] << 8 | at(suffixEnd, i + 1)); o += 1
                out[o] = NERFeatures.key(20, place[i] << 8 | suffixEnd[i]); o += 1
                out[o] = NERFeatures.key(21, surname[i] << 21 | c1); o += 1
                out[o] = NERFeatures.key(22, c(i - 3)); o += 1
                out[o] = NERFeatures.key(23, c(i + 3)); o += 1
                out[o] = NERFeatures.key(24, suffixAhead[i]); o += 1
                out[o] = NERFeatures.key(25, at(org, i - 1) << 16 | org[i] << 8 | at(org, i + 1)); o += 1
                if latin[i] != 0 {
                    out[o] = NERFeatures.key(26, latin[i])
                    out[o + 1] = NERFeatures.key(27, mix64(latinKey[i] ^ (latin[i] & 7)))
                }
                o += 2
                let rep = (c0 == cm1 ? 1 : 0) | (c0 == c1 ? 2 : 0) | (c0 == cm2 ? 4 : 0) | (c0 == c2 ? 8 : 0) as UInt64
                if rep != 0 { out[o] = NERFeatures.key(28, rep << 3 | cls(i)) }
                o += 1
                let pm = i > 0 ? person[i - 1] : 0, pp = i + 1 < n ? person[i + 1] : 0
                if pm | person[i] | pp != 0 { out[o] = NERFeatures.key(29, pm << 16 | person[i] << 8 | pp) }
                o += 1
                let fm = i > 0 ? charFine[i - 1] : 0x100, f0 = charFine[i], fp = i + 1 < n ? charFine[i + 1] : 0x100
                out[o] = NERFeatures.key(30, fm << 9 | f0); o += 1
                out[o] = NERFeatures.key(31, f0 << 9 | fp); o += 1
                out[o] = NERFeatures.key(32, coarse(i - 2) << 20 | coarse(i - 1) << 15 | charCoarse[i] << 10 | coarse(i + 1) << 5 | coarse(i + 2)); o += 1
                out[o] = NERFeatures.key(33, wordCluster[i] << 4 | wordPos[i]); o += 1
                out[o] = NERFeatures.key(34, wordContext[i] << 4 | wordPos[i]); o += 1
            }
        }
        }
    }

    /// ICU dictionary words: B/M/E/S position (1…4), length (capped at 8) and a hash of each word.
    private mutating func segmentWords(_ breaker: BreakIterator, _ lexicon: KeyTable) throws {
        let n = chars.count
        units.removeAll(keepingCapacity: true)
        unitToChar.removeAll(keepingCapacity: true)
        for (i, c) in chars.enumerated() {
            if c < 0x10000 { units.append(UInt16(c)); unitToChar.append(Int32(i)) } else {
                let v = c - 0x10000
                units.append(UInt16(0xD800 + (v >> 10))); units.append(UInt16(0xDC00 + (v & 0x3FF)))
                unitToChar.append(Int32(i)); unitToChar.append(Int32(i))
            }
        }
        unitToChar.append(Int32(n))
        NERFeatures.reset(&wordPos, 0, n)
        NERFeatures.reset(&wordLen, 0, n)
        NERFeatures.reset(&wordKey, 0, n)
        NERFeatures.reset(&wordCluster, 0, n)
        let (boundaries, _) = try breaker.boundaries(of: units)
        var start = 0
        for b in boundaries {
            let end = Int(unitToChar[Int(b)])
            guard end > start else { continue }
            var cluster: UInt64 = 0
            if end - start >= 2 && end - start <= Gazetteer.maxLength {
                var h = Gazetteer.start
                for i in start..<end { h = Gazetteer.extend(h, chars[i]) }
                if let v = lexicon.find(h) { cluster = Gazetteer.Cluster.word(v) }
            }
            setWord(start, end, cluster)
            start = end
        }
    }

    /// Words by forward longest match over the dictionary words; characters in no word are words of one.
    private mutating func segmentLongestMatch() {
        let n = chars.count
        NERFeatures.reset(&wordPos, 0, n)
        NERFeatures.reset(&wordLen, 0, n)
        NERFeatures.reset(&wordKey, 0, n)
        NERFeatures.reset(&wordCluster, 0, n)
        var start = 0
        while start < n {
            let end = start + max(1, wordAt[start])
            setWord(start, end, wordAt[start] > 1 ? wordClusterAt[start] : 0)
            start = end
        }
    }

    /// Records the word `start..<end`: B/M/E/S position (1…4), length (capped at 8), a hash of it and its cluster.
    private mutating func setWord(_ start: Int, _ end: Int, _ cluster: UInt64) {
        let len = end - start
        var h: UInt64 = 0x2545_F491_4F6C_DD1D
        if len <= 6 { for i in start..<end { h = mix64(h ^ UInt64(chars[i])) } } else { h = 7 }
        for i in start..<end {
            wordPos[i] = len == 1 ? 4 : i == start ? 1 : i == end - 1 ? 3 : 2
            wordLen[i] = UInt64(min(len, 8))
            wordKey[i] = h
            wordCluster[i] = cluster
        }
    }

    /// Fills `wordContext`: the clusters of the words before and after each position's word (0x100 beyond the
    /// ends), from the word positions and clusters.
    private mutating func wordContexts() {
        let n = chars.count
        NERFeatures.reset(&wordContext, 0, n)
        var start = 0
        var previous: UInt64 = 0x100
        while start < n {
            var end = start + 1
            while end < n && wordPos[end - 1] != 3 && wordPos[end - 1] != 4 { end += 1 }
            let next: UInt64 = end < n ? wordCluster[end] : 0x100
            for i in start..<end { wordContext[i] = previous << 9 | next }
            previous = wordCluster[start]
            start = end
        }
    }

    /// Fills `latin` and `latinKey`: runs of ASCII letters, digits and `&` (after normalisation) that hold a
    /// letter. The shape comes from the raw text: 0 lower, 1 Capitalised, 2 ALL CAPS, 3 mixed.
    private mutating func latinTokens(_ text: ArraySlice<UInt32>) {
        let n = chars.count
        NERFeatures.reset(&latin, 0, n)
        NERFeatures.reset(&latinKey, 0, n)
        @inline(__always) func inToken(_ c: UInt32) -> Bool { NERFeatures.isLatinAlphanumeric(c) || c == 0x26 }
        var i = 0
        while i < n {
            guard inToken(chars[i]) else { i += 1; continue }
            let start = i
            var letters = 0, upper = 0, firstUpper = false
            var h: UInt64 = 0x6A09_E667_F3BC_C908
            while i < n && inToken(chars[i]) {
                let c = chars[i]
                h = mix64(h ^ UInt64(c))
                if c >= 0x61 && c <= 0x7A {
                    letters += 1
                    let raw = text[text.startIndex + i]
                    if (raw >= 0x41 && raw <= 0x5A) || (raw >= 0xFF21 && raw <= 0xFF3A) {
                        upper += 1
                        if letters == 1 { firstUpper = true }
                    }
                }
                i += 1
            }
            guard letters > 0 else { continue }
            let shape: UInt64 = upper == 0 ? 0 : upper == letters ? 2 : (upper == 1 && firstUpper) ? 1 : 3
            let len = i - start
            for j in start..<i {
                let part: UInt64 = len == 1 ? 4 : j == start ? 1 : j == i - 1 ? 3 : 2
                latin[j] = part | shape << 3 | UInt64(min(len, 8)) << 5
                latinKey[j] = h
            }
        }
    }

    /// Fills `suffixAhead` from `suffixEnd`.
    private mutating func suffixDistances() {
        let n = chars.count
        NERFeatures.reset(&suffixAhead, 0xFF, n)
        var next = -1
        for i in stride(from: n - 1, through: 0, by: -1) {
            if suffixEnd[i] > 0 { next = i }
            if next >= 0 && next - i < 12 { suffixAhead[i] = UInt64(next - i) << 4 | min(suffixEnd[next], 15) }
        }
    }

    /// Gazetteer matches: the longest place name covering each position, surnames starting at each
    /// position and organisation suffixes ending at each position.
    private mutating func matchGazetteer(_ lexicon: KeyTable) {
        let n = chars.count
        NERFeatures.reset(&place, 0, n)
        NERFeatures.reset(&placeLength, 0, n)
        NERFeatures.reset(&org, 0, n)
        NERFeatures.reset(&orgLength, 0, n)
        NERFeatures.reset(&person, 0, n)
        NERFeatures.reset(&personLength, 0, n)
        NERFeatures.reset(&surname, 0, n)
        NERFeatures.reset(&companyLength, 0, n)
        NERFeatures.reset(&suffixEnd, 0, n)
        NERFeatures.reset(&wordAt, 0, n)
        NERFeatures.reset(&wordClusterAt, 0, n)
        NERFeatures.reset(&charFine, 0, n)
        NERFeatures.reset(&charCoarse, 0, n)
        let placeKinds = Gazetteer.Kind.places.rawValue
        /// Marks `j..<j+length` as covered by a match, where no longer match covers a position already.
        func cover(_ tags: inout [UInt64], _ lengths: inout [Int], _ j: Int, _ length: Int, _ kinds: UInt64) {
            for i in j..<(j + length) where length > lengths[i] {
                lengths[i] = length
                let part: UInt64 = length == 1 ? 4 : i == j ? 1 : i == j + length - 1 ? 3 : 2
                tags[i] = part | kinds << 3
            }
        }
        // A name matches Latin script only as whole tokens: Ge of Google or ATI of ATIS is no name.
        let alnum = NERFeatures.isLatinAlphanumeric
        for j in 0..<n {
            var h = Gazetteer.start
            var longestPlace = 0, placeKind: UInt32 = 0, longestOrg = 0, longestPerson = 0
            var end = j
            let startsInsideToken = j > 0 && alnum(chars[j]) && alnum(chars[j - 1])
            while end < n && end - j < Gazetteer.maxLength {
                h = Gazetteer.extend(h, chars[end])
                guard let v = lexicon.find(h) else { break }
                end += 1
                let len = end - j
                if len == 1 { charFine[j] = Gazetteer.Cluster.charFine(v); charCoarse[j] = Gazetteer.Cluster.charCoarse(v) }
                if startsInsideToken || (end < n && alnum(chars[end]) && alnum(chars[end - 1])) {
                    if v & Gazetteer.Kind.prefix.rawValue == 0 { break }
                    continue
                }
                if v & placeKinds != 0 { longestPlace = len; placeKind = v & placeKinds }
                if v & Gazetteer.Kind.orgName.rawValue != 0 { longestOrg = len }
                if v & Gazetteer.Kind.person.rawValue != 0 { longestPerson = len }
                if v & Gazetteer.Kind.company.rawValue != 0 { companyLength[j] = len }
                if v & Gazetteer.Kind.word.rawValue != 0 && len <= Gazetteer.maxWordLength {
                    wordAt[j] = len
                    wordClusterAt[j] = Gazetteer.Cluster.word(v)
                }
                if v & Gazetteer.Kind.surname.rawValue != 0 { surname[j] = UInt64(len) }
                if v & Gazetteer.Kind.orgSuffix.rawValue != 0 && UInt64(len) > suffixEnd[end - 1] { suffixEnd[end - 1] = UInt64(len) }
                if v & Gazetteer.Kind.prefix.rawValue == 0 { break }
            }
            // Kinds in four bits: division, region, city, and jieba's place names.
            if longestPlace > 0 { cover(&place, &placeLength, j, longestPlace, UInt64(placeKind & 7 | (placeKind & 32) >> 2)) }
            if longestOrg > 0 { cover(&org, &orgLength, j, longestOrg, 0) }
            if longestPerson > 0 { cover(&person, &personLength, j, longestPerson, 0) }
        }
    }
}
