/// Finds runs of mojibake and what they stand for. See `Repair` for the rule.
struct Mojibake {
    /// One repair: the characters `range` of the text stand for `replacement`.
    struct Fix: Equatable {
        var range: Range<Int>
        var replacement: Scalars
    }

    /// Decision thresholds (mean score of the Han characters of a repaired run; see `Plausibility`).
    struct Thresholds {
        /// Latin-1/Windows-1252 text re-read as GB18030 or Big5: at least this many Han characters…
        var legacyMinHan = 2
        /// … with at least this mean score…
        var legacyMeanScore = 10.0
        /// … and at most this share of Han characters that are rare or unknown (score 0).
        var legacyMaxRareShare = 0.25
        /// Latin-1/Windows-1252 text re-read as UTF-8: a run with fewer than two three- or four-byte
        /// characters needs this mean score (a longer run is evidence enough, given UTF-8's structure).
        var utf8ShortMeanScore = 8.0
        /// GBK text re-read as UTF-8: at least this many Han characters and CJK punctuation marks (one
        /// Han character at least), this mean score, and this much more than the mean score of the run as
        /// it stands.
        var gbkMinHan = 2
        var gbkMeanScore = 9.0
        var gbkMargin = 4.0
    }

    let thresholds: Thresholds
    private var decoders: [RepairCharset: RepairDecoder] = [:]

    init(thresholds: Thresholds = Thresholds()) { self.thresholds = thresholds }

    // MARK: - Pre-check

    /// Whether a character can start UTF-8 mojibake read as GBK: its GBK code is a UTF-8 lead byte of a
    /// three-byte character (0xE2–0xE9, 0xEF: punctuation, CJK, full-width forms) and a continuation byte.
    /// Generated (`GBKSuspicious.swift`), so that clean text never waits for ICU's table; a test checks it
    /// against `RepairTables.gbk`.
    static let gbkSuspicious: [UInt64] = GBKSuspiciousData.bits

    @inline(__always) static func isGBKSuspicious(_ c: UInt32) -> Bool {
        c >= 0x3000 && c < 0x10000 && gbkSuspicious[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0
    }

    /// Where runs may start, from one cheap pass over the text: non-ASCII characters from Latin-1 or
    /// Windows-1252 that the next character can complete into a multi-byte character (a non-ASCII one
    /// of those charsets, or an ASCII trail byte 0x40–0x7E), and characters that can start UTF-8 read as
    /// GBK. Clean Chinese text has next to none: `“`, `—` or `·` between Han characters is no start.
    static func candidates(_ text: Scalars) -> (latin: [Int], gbk: [Int], ampersand: Bool) {
        var latin: [Int] = [], gbk: [Int] = []
        var ampersand = false
        let bits = gbkSuspicious
        let cp1252 = RepairTables.cp1252Bytes
        @inline(__always) func mapped(_ c: UInt32) -> Bool {
            c <= 0xFF || (c >= 0x152 && c <= 0x2122 && cp1252[Int(c) - 0x152] != 0)
        }
        text.withUnsafeBufferPointer { t in
            bits.withUnsafeBufferPointer { b in
                let n = t.count
                for i in 0..<n {
                    let c = t[i]
                    if c < 0x80 { if c == 0x26 { ampersand = true }; continue }
                    if c >= 0x3000 {
                        if c < 0x10000 && b[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 { gbk.append(i) }
                        continue
                    }
                    if mapped(c) && i + 1 < n {
                        let d = t[i + 1]
                        if (d >= 0x40 && d <= 0x7E) || (d >= 0x80 && mapped(d)) { latin.append(i) }
                    }
                }
            }
        }
        return (latin, gbk, ampersand)
    }

    // MARK: - Finding runs

    /// Every repair in `text`, in order, not overlapping.
    mutating func fixes(in text: Scalars) -> [Fix] {
        fixes(in: text, candidates: Mojibake.candidates(text))
    }

    mutating func fixes(in text: Scalars, candidates: (latin: [Int], gbk: [Int], ampersand: Bool)) -> [Fix] {
        let (latin, gbk, _) = candidates
        var fixes: [Fix] = []
        if !latin.isEmpty { latinFixes(text, starts: latin, into: &fixes) }
        if !gbk.isEmpty {
            var gbkFound: [Fix] = []
            gbkFixes(text, starts: gbk, covered: fixes, into: &gbkFound)
            if !gbkFound.isEmpty {
                fixes.append(contentsOf: gbkFound)
                fixes.sort { $0.range.lowerBound < $1.range.lowerBound }
            }
        }
        return fixes
    }

    private mutating func decoder(_ charset: RepairCharset) -> RepairDecoder? {
        if let d = decoders[charset] { return d }
        guard let d = try? RepairDecoder(charset) else { return nil }
        decoders[charset] = d
        return d
    }

    // MARK: Latin-1 / Windows-1252 read back as UTF-8, GB18030 or Big5

    /// Runs of characters that are bytes read as Latin-1 or Windows-1252 (ASCII included), each
    /// starting at a non-ASCII one, re-read in each charset; the charset whose accepted repairs weigh
    /// most wins the run.
    private mutating func latinFixes(_ text: Scalars, starts: [Int], into fixes: inout [Fix]) {
        let n = text.count
        var done = 0
        var bytes: [UInt8] = []
        for i in starts where i >= done {
            var e = i, lastHigh = i
            bytes.removeAll(keepingCapacity: true)
            while e < n, let b = RepairTables.latinByte(text[e]) {
                if b >= 0x80 { lastHigh = e }
                bytes.append(b)
                e += 1
            }
            // One ASCII character after the last non-ASCII one can be a GBK or Big5 trail byte.
            let end = min(e, lastHigh + 2)
            if end - i >= 2 {
                bytes.removeLast(e - end)
                var best: [Fix] = []
                var bestWeight = 0.0
                for charset in RepairCharset.allCases {
                    let (found, weight) = latinRun(bytes, from: i, charset)
                    if weight > bestWeight { best = found; bestWeight = weight }
                }
                fixes.append(contentsOf: best)
            }
            done = e
        }
    }

    /// A character of a run: `length` bytes (characters) of the run from `start`; `lost` is a byte that
    /// Windows-1252 could not show and that was dropped (0x81, 0x8D, 0x8F, 0x90 or 0x9D), put back at
    /// offset `lostAt` of the character's bytes.
    struct Token {
        var start: Int
        var length: Int
        var lost: UInt8 = 0
        var lostAt = 0
        var bytes: Int { length + (lost == 0 ? 0 : 1) }

        func append(from run: [UInt8], to out: inout [UInt8]) {
            for k in 0..<length {
                if lost != 0 && k == lostAt { out.append(lost) }
                out.append(run[start + k])
            }
            if lost != 0 && lostAt == length { out.append(lost) }
        }
    }

    /// The bytes Windows-1252 leaves undefined; a decoder that drops them loses one byte of a UTF-8
    /// character.
    static let undefinedCP1252: [UInt8] = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// Punctuation preferred when a lost byte leaves the choice open (`â€` is `”` = E2 80 9D, 0x9D lost).
    static let commonPunctuation: Set<UInt32> = [0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026, 0x3001, 0x3002,
                                                 0x300A, 0x300B, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF08, 0xFF09]

    /// A three-byte UTF-8 character at `p` with one continuation byte missing (dropped by a decoder that
    /// skips the bytes Windows-1252 leaves undefined): the completions that give a listed Han character or
    /// CJK punctuation, best scoring first.
    static func lostByteCompletions(_ bytes: [UInt8], _ p: Int) -> [(token: Token, char: UInt32, score: Int)] {
        let n = bytes.count
        let lead = bytes[p]
        guard lead >= 0xE1 && lead <= 0xEF && lead != 0xED, p + 1 < n, bytes[p + 1] >= 0x80 && bytes[p + 1] <= 0xBF,
              p + 2 >= n || bytes[p + 2] < 0x80 || bytes[p + 2] > 0xBF else { return [] }
        let known = UInt32(bytes[p + 1] & 0x3F)
        var result: [(token: Token, char: UInt32, score: Int)] = []
        for x in undefinedCP1252 {
            let missing = UInt32(x & 0x3F)
            for at in 1...2 {
                let c = UInt32(lead & 0x0F) << 12 | (at == 1 ? missing << 6 | known : known << 6 | missing)
                let score: Int
                switch Plausibility.kind(c) {
                case .han: score = Plausibility.score(c)
                case .cjkPunctuation: score = Mojibake.commonPunctuation.contains(c) ? 2 : 1
                default: score = 0
                }
                if score > 0 { result.append((Token(start: p, length: 2, lost: x, lostAt: at), c, score)) }
            }
        }
        // Stable: ties keep byte order, so the choice never depends on anything but the bytes.
        return result.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }.map(\.element)
    }

    /// The best completion alone (see `lostByteCompletions`).
    static func lostByteToken(_ bytes: [UInt8], _ p: Int) -> Token? { lostByteCompletions(bytes, p).first?.token }

    /// Chooses again, with context, the completion of each token whose byte was lost: a completion that
    /// ICU's dictionary word breaker (`zh`) puts inside a word of two or more characters with its
    /// neighbours (three each side, as decoded so far) beats one that stands alone; then the score.
    static func chooseLostBytes(_ bytes: [UInt8], _ decoded: inout Scalars, _ tokens: inout [Token]) {
        for k in tokens.indices where tokens[k].lost != 0 {
            let options = lostByteCompletions(bytes, tokens[k].start)
            guard options.count > 1 else { continue }
            let lo = max(0, k - 3), hi = min(decoded.count, k + 4)
            var best = (rank: -1, index: 0)
            for (o, option) in options.enumerated() {
                var window = Array(decoded[lo..<hi])
                window[k - lo] = option.char
                var units: [UInt16] = []
                UTF16Codec.encode(window[...], into: &units)
                var unitStart = 0
                for c in window[..<(k - lo)] { unitStart += c > 0xFFFF ? 2 : 1 }
                let unitEnd = unitStart + (option.char > 0xFFFF ? 2 : 1)
                let boundaries = (try? ICUCache.words.with { Set(try $0.boundaries(of: units).boundaries.map(Int.init)) }) ?? []
                let inWord = (unitStart != 0 && !boundaries.contains(unitStart)) || !boundaries.contains(unitEnd)
                let rank = (inWord ? 1000 : 0) + option.score
                if rank > best.rank { best = (rank, o) }
            }
            decoded[k] = options[best.index].char
            tokens[k] = options[best.index].token
        }
    }

    /// The accepted repairs of one run read in `charset`, and their weight: the characters they cover,
    /// ties broken by their mean score (see `acceptLatin`).
    private mutating func latinRun(_ bytes: [UInt8], from offset: Int, _ charset: RepairCharset) -> ([Fix], Double) {
        var fixes: [Fix] = []
        var weight = 0.0
        var tokens: [Token] = []
        var multibyte = 0
        func close(_ me: inout Mojibake) {
            if multibyte > 0 {
                weight += me.latinChunk(bytes, tokens, from: offset, charset, into: &fixes)
            }
            tokens.removeAll(keepingCapacity: true)
            multibyte = 0
        }
        var p = 0
        while p < bytes.count {
            let length = charset.tokenLength(bytes, p)
            if length == 0 {
                if charset == .utf8, let token = Mojibake.lostByteToken(bytes, p) {
                    tokens.append(token); multibyte += 1; p += token.length; continue
                }
                close(&self); p += 1; continue
            }
            tokens.append(Token(start: p, length: length))
            if length > 1 { multibyte += 1 }
            p += length
        }
        close(&self)
        return (fixes, weight)
    }

    /// Decodes one chunk of structurally valid characters and keeps it when it is plausible; returns
    /// its weight. A chunk that ICU refuses (an unassigned code) is decoded token by token and split at
    /// the refused tokens.
    private mutating func latinChunk(_ bytes: [UInt8], _ tokens: [Token], from offset: Int,
                                     _ charset: RepairCharset, into fixes: inout [Fix]) -> Double {
        guard let decoder = decoder(charset), !tokens.isEmpty else { return 0 }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(tokens.reduce(0) { $0 + $1.bytes })
        for t in tokens { t.append(from: bytes, to: &chunk) }
        if var decoded = decoder.decode(chunk), decoded.count == tokens.count {
            if charset == .utf8 && tokens.contains(where: { $0.lost != 0 }) {
                var chosen = tokens
                Mojibake.chooseLostBytes(bytes, &decoded, &chosen)
                return acceptLatin(bytes, decoded, chosen[...], from: offset, charset, into: &fixes)
            }
            return acceptLatin(bytes, decoded, tokens[...], from: offset, charset, into: &fixes)
        }
        var weight = 0.0
        var piece: Scalars = []
        var pieceStart = 0
        for (k, t) in tokens.enumerated() {
            chunk.removeAll(keepingCapacity: true)
            t.append(from: bytes, to: &chunk)
            if let d = decoder.decode(chunk), d.count == 1 {
                piece.append(d[0])
            } else {
                weight += acceptLatin(bytes, piece, tokens[pieceStart..<k], from: offset, charset, into: &fixes)
                piece.removeAll()
                pieceStart = k + 1
            }
        }
        return weight + acceptLatin(bytes, piece, tokens[pieceStart...], from: offset, charset, into: &fixes)
    }

    private func acceptLatin(_ run: [UInt8], _ decoded: Scalars, _ tokens: ArraySlice<Token>, from offset: Int,
                             _ charset: RepairCharset, into fixes: inout [Fix]) -> Double {
        guard !decoded.isEmpty else { return 0 }
        let s = Plausibility.Summary(decoded)
        guard s.bad == 0, s.han + s.punctuation > 0 else { return 0 }
        let t = thresholds
        switch charset {
        case .utf8:
            let long = tokens.reduce(0) { $0 + ($1.lost == 0 && $1.length >= 3 ? 1 : 0) }
            let lost = tokens.reduce(0) { $0 + ($1.lost != 0 ? 1 : 0) }
            // A character rebuilt from a lost byte is a guess; it needs at least as many intact three- or
            // four-byte characters beside it (so `é…` and `é“`, real text or composed by normalize, stay).
            if lost > long { return 0 }
            if long + lost < 2 && s.han > 0 && s.meanScore < t.utf8ShortMeanScore { return 0 }
            if s.han == 0 && long == 0 { return 0 }
        case .gb18030, .big5:
            guard s.han >= t.legacyMinHan, s.meanScore >= t.legacyMeanScore else { return 0 }
            // Characters whose second byte is ASCII (`·T` = B7 54) are weak evidence: `E·T·A·霍夫曼`
            // must stay. Ask for enough characters made of two non-ASCII bytes.
            let high = tokens.reduce(0) { $0 + ($1.length == 2 && run[$1.start + 1] >= 0x80 ? 1 : 0) }
            guard high >= t.legacyMinHan else { return 0 }
            let rare = decoded.reduce(0) { $0 + (isHan($1) && Plausibility.score($1) == 0 ? 1 : 0) }
            guard Double(rare) <= t.legacyMaxRareShare * Double(s.han) else { return 0 }
        }
        for (k, token) in zip(0..., tokens) where token.bytes > 1 {
            fixes.append(Fix(range: (offset + token.start)..<(offset + token.start + token.length), replacement: [decoded[k]]))
        }
        // Weight: the characters covered (so the charset that explains most of the run wins), then
        // the mean score (so that of two charsets that both decode the run, the likelier text wins).
        let covered = tokens.reduce(0) { $0 + $1.length }
        return Double(covered) * (1000 + s.meanScore)
    }

    // MARK: GBK read back as UTF-8

    /// Runs that start at a suspicious character (see `isGBKSuspicious`) and go on over characters with a
    /// two-byte GBK code and ASCII, read as UTF-8 until the first byte that is not valid UTF-8. The part up
    /// to the last point where a UTF-8 and a GBK character end together is judged.
    private mutating func gbkFixes(_ text: Scalars, starts: [Int], covered: [Fix], into fixes: inout [Fix]) {
        let n = text.count
        let gbk = RepairTables.gbk
        var mask: [Bool] = []
        if !covered.isEmpty {
            mask = [Bool](repeating: false, count: n)
            for f in covered { for k in f.range { mask[k] = true } }
        }
        func isCovered(_ k: Int) -> Bool { !mask.isEmpty && mask[k] }
        var bytes: [UInt8] = []
        var charEnds: [Int] = [] // byte offset where each region character ends
        var done = 0
        for i in starts where i >= done && !isCovered(i) {
            bytes.removeAll(keepingCapacity: true)
            charEnds.removeAll(keepingCapacity: true)
            var e = i
            /// Appends region characters until `count` bytes are there or the region ends.
            func fill(_ count: Int) {
                while bytes.count < count && e < n {
                    let c = text[e]
                    if c < 0x80 { bytes.append(UInt8(c)) }
                    else if c < 0x10000, gbk[Int(c)] != 0, !isCovered(e) {
                        let g = gbk[Int(c)]
                        bytes.append(UInt8(g >> 8)); bytes.append(UInt8(g & 0xFF))
                    } else { break }
                    charEnds.append(bytes.count)
                    e += 1
                }
            }
            var p = 0
            var alignedBytes = 0, alignedChars = 0, alignedTokens = 0
            var tokens: [(start: Int, length: Int)] = []
            var k = 0 // index into charEnds
            var failedAt: Int? = nil
            while true {
                fill(p + 4)
                if p >= bytes.count { break }
                let length = RepairCharset.utf8.tokenLength(bytes, p)
                if length == 0 { failedAt = p; break }
                tokens.append((p, length))
                p += length
                while k < charEnds.count && charEnds[k] < p { k += 1 }
                if k < charEnds.count && charEnds[k] == p {
                    alignedBytes = p; alignedChars = k + 1; alignedTokens = tokens.count
                }
            }
            if alignedChars > 0 {
                judgeGBK(text, from: i, chars: alignedChars, bytes: bytes[0..<alignedBytes],
                         tokens: tokens[0..<alignedTokens], charEnds: charEnds, into: &fixes)
            }
            // Go on at the character holding the bad byte (or after the run), never before i + 1.
            var next = e
            if let bad = failedAt {
                var c = 0
                while c < charEnds.count && charEnds[c] <= bad { c += 1 }
                next = i + c
            }
            done = max(i + 1, max(next, i + alignedChars))
        }
    }

    private mutating func judgeGBK(_ text: Scalars, from start: Int, chars: Int, bytes: ArraySlice<UInt8>,
                                   tokens: ArraySlice<(start: Int, length: Int)>, charEnds: [Int], into fixes: inout [Fix]) {
        guard tokens.contains(where: { $0.length >= 3 }), let decoder = decoder(.utf8),
              let decoded = decoder.decode(bytes), decoded.count == tokens.count else { return }
        let d = Plausibility.Summary(decoded)
        let o = Plausibility.Summary(text[start..<(start + chars)])
        let t = thresholds
        guard d.bad == 0, d.han >= 1, d.han + d.punctuation >= t.gbkMinHan, d.meanScore >= t.gbkMeanScore,
              d.meanScore >= o.meanScore + t.gbkMargin else { return }
        // One fix per group of characters whose bytes are exactly a group of UTF-8 characters.
        var charIndex = 0, groupChar = 0
        var group: Scalars = []
        for (k, token) in zip(tokens.indices, tokens) {
            group.append(decoded[k - tokens.startIndex])
            let end = token.start + token.length
            while charIndex < chars && charEnds[charIndex] < end { charIndex += 1 }
            if charIndex < chars && charEnds[charIndex] == end {
                let range = (start + groupChar)..<(start + charIndex + 1)
                if Array(text[range]) != group { fixes.append(Fix(range: range, replacement: group)) }
                group.removeAll()
                charIndex += 1
                groupChar = charIndex
            }
        }
    }
}
