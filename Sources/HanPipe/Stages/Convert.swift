/// convert: Traditional ↔ Simplified.
///
/// Rule (spec, stage 3). Every line is converted, whatever it holds. Three layers, the first that
/// applies at a position wins, each found left to right, longest match first:
/// 1. the user's dictionaries (`ConversionDictionary`): a matching entry replaces its text (any length)
///    or protects it; no word-edge test (the user asked for that text);
/// 2. with `mode == .phrases` (the default), OpenCC's phrases (`PhraseTables`), only where the phrase
///    fits ICU's dictionary word breaker's words (run over the run of Han characters around it): it is
///    whole words, or inside one word, never across a word's edge. So 干活 gives 幹活, 瞭望 in 瞭望台
///    stays, but 包括发动机 is not read as 括发;
/// 3. ICU's rules, compiled into a `ConversionTable` (with `ConversionFixes` in `.phrases` mode, ICU's
///    rules exactly in `.icuTable` mode), over the text between the matches of 1 and 2, each stretch
///    converted as if it ended there (so ICU's 明了 > 明瞭 cannot reach into 说明 of 说明了).
/// With `mode == .phrases` and `--to traditional`, three rules on ICU's words (`WordRules`): locative
/// 里 → 裡 after a noun, the surname 范 stays 范, 一年余 → 一年餘.
/// Then, for `--to traditional` with `variants`, the regional character forms (`Variants`) on every
/// character not matched by a user entry.
///
/// Offsets: layers 2 and 3 and the variants keep the length, so they only substitute characters (no
/// edit is recorded: conversion is not an edit). A user entry whose replacement has another length is
/// recorded in the document's edit log with stage `convert`, so the origin map keeps every later span's
/// source offsets right; the source-rebuild law (`--to keep`) does not involve this stage at all.
///
/// `icuOnly` (`--icu-convert`) is the reference: ICU's transliterator line by line, nothing else (no
/// phrases, fixes, dictionaries or variants).
///
/// Worst case: linear. Each position costs a start-bit and a pair-filter test without a branch
/// (`PhraseTable.nextPairCandidate`), plus for a position that passes both at most `maxLength` hash
/// probes; the word breaker runs once over each run of Han characters that holds a phrase match whose
/// outcome matters (where every match left on a line gives the line what no phrase gives, the edges
/// are not asked: `settledWithoutEdges`, at most once per line); ICU's table scan is linear (see
/// `ConversionTable`). The whole text is converted in blocks of whole lines (`blockLength`), so that
/// the passes over a block stay in the cache.
public struct Convert: Stage {
    /// How the conversion is computed.
    public enum Mode: String, Sendable, CaseIterable {
        /// ICU's rules with its defects fixed, plus OpenCC's phrases at word edges (the default).
        case phrases
        /// ICU's `Hant-Hans` / `Hans-Hant` output exactly, byte for byte (`--exact-icu`).
        case icuTable
    }

    public let name = "convert"
    public let target: Script
    /// Use ICU's transliterator for everything (the reference path) instead of the compiled table.
    public let icuOnly: Bool
    public let mode: Mode
    /// Regional forms after standard Traditional (ignored for `--to simplified`).
    public let variants: Variants?
    /// The user's entries for this target.
    let user: PhraseTable

    public init(target: Script, icuOnly: Bool = false, mode: Mode = .phrases, variants: Variants? = nil) {
        self.init(target: target, icuOnly: icuOnly, mode: mode, variants: variants, user: PhraseTable([]))
    }

    private init(target: Script, icuOnly: Bool, mode: Mode, variants: Variants?, user: PhraseTable) {
        self.target = target
        self.icuOnly = icuOnly
        self.mode = mode
        self.variants = target == .traditional ? variants : nil
        self.user = user
    }

    /// With user dictionaries, later entries winning over earlier ones (also across dictionaries).
    public init(target: Script, icuOnly: Bool = false, mode: Mode = .phrases, variants: Variants? = nil,
                dictionaries: [ConversionDictionary]) throws {
        var pairs: [(key: Scalars, value: Scalars?)] = []
        if target != .keep {
            // Each entry in both scripts: as written, and converted into the script of the source text;
            // the replacement in the target script.
            let toTarget = Convert(target: target, mode: mode)
            let toSource = Convert(target: target == .simplified ? .traditional : .simplified, mode: mode)
            for dictionary in dictionaries {
                for entry in dictionary.entries {
                    let from = Scalars(scalarsOf: entry.from)
                    let value = try entry.to.map { try toTarget.converted(Scalars(scalarsOf: $0)) }
                    let alternative = try toSource.converted(from)
                    if alternative != from { pairs.append((alternative, value)) }
                    pairs.append((from, value))
                }
            }
        }
        self.init(target: target, icuOnly: icuOnly, mode: mode, variants: variants, user: PhraseTable(pairs))
    }

    public func apply(to document: inout Document) throws {
        guard target != .keep else { return }
        if icuOnly { return try convertWithICU(&document) }
        guard let table = ConversionTables.table(for: target, fixed: mode == .phrases) else {
            return try convertWithICU(&document)
        }
        let text = document.text
        var out = text
        var replacements: [(Range<Int>, Scalars)] = []
        var userRanges: [Range<Int>] = []
        func run() throws {
        try text.withUnsafeBufferPointer { src in
            try out.withUnsafeMutableBufferPointer { dst in
                var edges = WordEdges()
                let phrases = mode == .phrases ? PhraseTables.table(for: target) : PhraseTable([])
                var segmentStart = 0
                /// Converts `src[a..<b]` into `dst` with the phrases and the table.
                func convertSegment(_ a: Int, _ b: Int) throws {
                    guard a < b else { return }
                    guard mode == .phrases else { return table.convert(dst, range: a..<b) }
                    guard a == 0 && b == src.count else { return try convertLines(a, b, limits: a..<b) }
                    // The whole text (no user entry cuts it): everything below being line-local, it
                    // is converted in blocks of whole lines, each small enough to stay in the cache
                    // through its passes (brackets, phrase candidates, table).
                    var x = a
                    while x < b {
                        var y = min(b, x + Convert.blockLength)
                        while y < b && src[y - 1] != 0x0A { y += 1 }
                        try convertLines(x, y, limits: a..<b)
                        x = y
                    }
                }
                /// Converts `src[a..<b]`, a segment or whole lines of one, where `limits` is the
                /// segment: word edges are taken inside it.
                func convertLines(_ a: Int, _ b: Int, limits: Range<Int>) throws {
                    // Phrases are found on a view without gloss-shaped parentheticals, so that a gloss
                    // that degloss removes later cannot change which phrases match (cleaning stays
                    // idempotent: 重(chong)制 converts as 重制 does).
                    let glosses = Convert.glossParentheticals(src, a..<b)
                    if glosses.isEmpty { return try scanPhrases(src, a, b, real: nil, edges: &edges, a, b) }
                    // Only the lines holding a gloss are scanned on the view. Neither phrases, nor the
                    // table's rules, nor runs of Han characters cross a line break, so this gives what
                    // scanning all of the segment on its view gives; the word edges of the other lines
                    // are taken inside the segment, as they are on that view.
                    var inside = WordEdges(limits: limits)
                    var at = a
                    var g = 0
                    while g < glosses.count {
                        var lineStart = glosses[g].lowerBound
                        while lineStart > a && src[lineStart - 1] != 0x0A { lineStart -= 1 }
                        var lineEnd = glosses[g].upperBound
                        while lineEnd < b && src[lineEnd] != 0x0A { lineEnd += 1 }
                        var h = g + 1
                        while h < glosses.count && glosses[h].lowerBound < lineEnd { h += 1 }
                        if at < lineStart { try scanPhrases(src, at, lineStart, real: nil, edges: &inside, at, lineStart) }
                        let real = Convert.positions(lineStart..<lineEnd, outside: glosses[g..<h])
                        let view = real.map { src[Int($0)] }
                        try view.withUnsafeBufferPointer { v in
                            try real.withUnsafeBufferPointer { map in
                                var viewEdges = WordEdges()
                                try scanPhrases(v, 0, v.count, real: map, edges: &viewEdges, lineStart, lineEnd)
                            }
                        }
                        at = lineEnd
                        g = h
                    }
                    if at < b { try scanPhrases(src, at, b, real: nil, edges: &inside, at, b) }
                }
                /// Phrases over `v[from..<to]` (view coordinates; `real` maps them to the text), the
                /// table over the text in between, for the text range `a..<b`.
                func scanPhrases(_ v: UnsafeBufferPointer<UInt32>, _ from: Int, _ to: Int, real map: UnsafeBufferPointer<Int32>?,
                                 edges: inout WordEdges, _ a: Int, _ b: Int) throws {
                    @inline(__always) func real(_ i: Int) -> Int { map.map { Int($0[i]) } ?? i }
                    var found: [Int32] = []
                    var stretch = a
                    var i = from
                    // Only keys of two or more characters count, so the last position starts none.
                    let last = to - 1
                    while true {
                        i = phrases.nextPairCandidate(in: v, from: i, to: last)
                        guard i < last else { break }
                        phrases.matches(at: i, in: v, end: to, into: &found)
                        if map == nil, found.contains(where: { phrases.key($0).count >= 2 }),
                           let lineEnd = settledWithoutEdges(i, &stretch, to, found) {
                            i = lineEnd
                            stretch = lineEnd
                            continue
                        }
                        var taken: Int32? = nil
                        for e in found.reversed() where phrases.key(e).count >= 2 {
                            let length = phrases.key(e).count
                            if try edges.fits(i..<(i + length), v) { taken = e; break }
                        }
                        guard let e = taken, let value = phrases.value(e) else { i += 1; continue }
                        table.convert(dst, range: stretch..<real(i))
                        for (k, c) in value.enumerated() {
                            let at = real(i + k)
                            dst[at] = c
                            // A skipped parenthetical inside the phrase is converted on its own.
                            if k + 1 < value.count { table.convert(dst, range: (at + 1)..<real(i + k + 1)) }
                        }
                        i += value.count
                        stretch = real(i - 1) + 1
                    }
                    table.convert(dst, range: stretch..<b)
                }
                /// The word breaker is the phrase layer's dearest part, and most phrases that match
                /// give what the table gives. So, for the matches `found` at `i` (text coordinates,
                /// the scan's stretch starting at `stretch`, its end `to`): when no other phrase
                /// matches on the rest of `i`'s line, and taking any of these phrases gives the line
                /// the output that taking none gives, that output is written up to the line's end,
                /// which is returned: whatever the word edges say, the result is the same. Otherwise
                /// nil. Either way the stretch may have been converted up to the start of `i`'s line
                /// (and `stretch` moved there), which changes nothing since lines are independent:
                /// neither phrases nor rules cross a line break. Linear: the forward scan stops at the
                /// next match, and the conversions run at most once per line.
                func settledWithoutEdges(_ i: Int, _ stretch: inout Int, _ to: Int, _ found: [Int32]) -> Int? {
                    var end = i + 1
                    while end < to && src[end] != 0x0A { end += 1 }
                    var more: [Int32] = []
                    var j = i + 1
                    while true {
                        j = phrases.nextPairCandidate(in: src, from: j, to: end - 1)
                        guard j < end - 1 else { break }
                        phrases.matches(at: j, in: src, end: to, into: &more)
                        if more.contains(where: { phrases.key($0).count >= 2 }) { return nil }
                        j += 1
                    }
                    var lineStart = i
                    while lineStart > stretch && src[lineStart - 1] != 0x0A { lineStart -= 1 }
                    if lineStart > stretch {
                        table.convert(dst, range: stretch..<lineStart)
                        stretch = lineStart
                    }
                    let stretch = stretch
                    // Positions from `stretch` on still hold the source.
                    func restore() { for k in stretch..<end { dst[k] = src[k] } }
                    table.convert(dst, range: stretch..<end)
                    let none = Scalars(dst[stretch..<end])
                    for e in found where phrases.key(e).count >= 2 {
                        guard let value = phrases.value(e) else { continue }
                        var k = i - stretch
                        for c in value {
                            if c != none[k] {
                                restore()
                                return nil
                            }
                            k += 1
                        }
                    }
                    for e in found where phrases.key(e).count >= 2 {
                        guard let value = phrases.value(e) else { continue }
                        restore()
                        table.convert(dst, range: stretch..<i)
                        var k = i
                        for c in value { dst[k] = c; k += 1 }
                        table.convert(dst, range: k..<end)
                        for k in stretch..<end where dst[k] != none[k - stretch] {
                            restore()
                            return nil
                        }
                    }
                    for k in stretch..<end { dst[k] = none[k - stretch] }
                    return end
                }
                if !user.isEmpty {
                    var found: [Int32] = []
                    var i = 0
                    while i < src.count {
                        guard user.mayStart(src[i]) else { i += 1; continue }
                        user.matches(at: i, in: src, end: src.count, into: &found)
                        guard let e = found.last else { i += 1; continue }
                        let length = user.key(e).count
                        try convertSegment(segmentStart, i)
                        if let value = user.value(e) {
                            if value.count == length {
                                for (k, c) in value.enumerated() { dst[i + k] = c }
                            } else {
                                replacements.append((i..<(i + length), Array(value)))
                            }
                        }
                        userRanges.append(i..<(i + length))
                        i += length
                        segmentStart = i
                    }
                }
                try convertSegment(segmentStart, src.count)
                if mode == .phrases && target == .traditional { try WordRules.apply(src, dst, protected: userRanges) }
                if let variants {
                    let t = variants.table
                    var u = 0
                    for i in 0..<dst.count {
                        while u < userRanges.count && userRanges[u].upperBound <= i { u += 1 }
                        if u < userRanges.count && userRanges[u].contains(i) { continue }
                        let c = dst[i]
                        if let (converted, form) = t.bySource[src[i]], converted == c {
                            dst[i] = form
                        } else if let form = t.byOutput[c] {
                            dst[i] = form
                        }
                    }
                }
            }
        }
        }
        try run()
        // The converted text replaces the clean text whole (same length: no edit), then the
        // length-changing user entries are recorded as edits.
        document.substitute(all: out)
        if !replacements.isEmpty {
            document.rewrite(stage: StageCode.convert) { r in
                for (range, value) in replacements { r.replace(range, with: value) }
            }
        }
    }

    /// The characters converted together when the whole text is one segment: 64 KiB of `UInt32`
    /// for the source and as much for the output, well inside a core's level-2 cache.
    static let blockLength = 16_384

    /// The gloss-shaped parentheticals of `text[range]`, in order: `(…)` or `（…）` right after a Han
    /// character or after another such parenthetical, holding 1 to 64 lower-case ASCII letters,
    /// tone-marked vowels, digits, spaces, `'` and `:`, or Zhuyin. Every parenthetical that degloss can
    /// remove has this shape; none holds a line break.
    static func glossParentheticals(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> [Range<Int>] {
        func isGlossCharacter(_ c: UInt32) -> Bool {
            switch c {
            case 0x61...0x7A, 0x30...0x39, 0x20, 0x27, 0x3A, 0xE0...0xFF, 0x100...0x24F, 0x300...0x36F,
                 0x2C7, 0x2C9...0x2CB, 0x2D9, 0x3100...0x312F, 0x31A0...0x31BF:
                return true
            default:
                return false
            }
        }
        // A quick scan for brackets; most text has none.
        guard let p = text.baseAddress else { return [] }
        precondition(range.upperBound <= text.count)
        var skipped: [Range<Int>] = []
        var i = range.lowerBound + 1
        let end = range.upperBound
        while i < end {
            i = GlossScanner.nextOpenParen(p, from: i, to: end)
            guard i < end else { break }
            let c = p[i]
            let previous = p[i - 1]
            guard isHan(previous) || (skipped.last?.upperBound == i) else { i += 1; continue }
            let close: UInt32 = c == 0x28 ? 0x29 : 0xFF09
            var j = i + 1
            while j < end && j - i <= 65 && isGlossCharacter(p[j]) { j += 1 }
            if j < end && p[j] == close && j > i + 1 {
                skipped.append(i..<(j + 1))
                i = j + 1
            } else {
                i += 1
            }
        }
        return skipped
    }

    /// The positions of `range` outside `skipped` (ranges inside it, in order).
    static func positions(_ range: Range<Int>, outside skipped: ArraySlice<Range<Int>>) -> [Int32] {
        var kept: [Int32] = []
        kept.reserveCapacity(range.count)
        var at = range.lowerBound
        for r in skipped {
            for k in at..<r.lowerBound { kept.append(Int32(truncatingIfNeeded: k)) }
            at = r.upperBound
        }
        for k in at..<range.upperBound { kept.append(Int32(truncatingIfNeeded: k)) }
        return kept
    }

    /// `text` converted by this stage (used for the user's entries).
    func converted(_ text: Scalars) throws -> Scalars {
        var document = Document(id: "", source: text)
        try apply(to: &document)
        return document.text
    }

    /// The ICU path, line by line.
    private func convertWithICU(_ document: inout Document) throws {
        let pool = target == .simplified ? ICUCache.hantToHans : ICUCache.hansToHant
        let text = document.text
        var lineStart = 0
        var units: [UInt16] = []
        var out: Scalars = []
        try pool.with { translit in
            while lineStart < text.count {
                let lineEnd = text[lineStart...].firstIndex(of: 0x0A) ?? text.count
                let line = text[lineStart..<lineEnd]
                if !line.isEmpty {
                    units.removeAll(keepingCapacity: true)
                    UTF16Codec.encode(line, into: &units)
                    let converted = try translit.apply(units[...])
                    out.removeAll(keepingCapacity: true)
                    converted.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &out) }
                    if out.count == line.count {
                        if !out.elementsEqual(line) { document.substitute(lineStart..<lineEnd, with: out[...]) }
                    } else {
                        for i in lineStart..<lineEnd {
                            units.removeAll(keepingCapacity: true)
                            UTF16Codec.encode(text[i..<i + 1], into: &units)
                            let one = try translit.apply(units[...])
                            out.removeAll(keepingCapacity: true)
                            one.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &out) }
                            if out.count == 1 && out[0] != text[i] { document.substitute(i..<i + 1, with: out[...]) }
                        }
                    }
                }
                lineStart = lineEnd + 1
            }
        }
    }
}

/// Word boundaries from ICU's dictionary word breaker, computed once per run of Han characters, on
/// demand, for the phrase layer's edge test.
///
/// Rule: a position is a boundary when a character on either side is not Han, or the word breaker,
/// run over the whole run of Han characters around it, puts a boundary there. Runs are taken whole
/// (a chunk cut of a streamed long line never falls inside one, so the result does not depend on
/// chunking). Worst case: linear, each run is broken at most once as the queries move forward (a query
/// behind the cached run breaks its run again, which the phrase scan never does more than once per run).
struct WordEdges {
    /// Positions outside `lower...upper` are boundaries, and runs stop there (the text is taken to
    /// begin and end there).
    private let lower: Int, upper: Int
    private var runStart = 0, runEnd = 0
    /// For each position `runStart...runEnd`, whether it is a boundary.
    private var boundary: [Bool] = []
    private var units: [UInt16] = []
    private var unitToScalar: [Int32] = []

    init() { lower = 0; upper = Int.max }

    /// Edges of the text `limits` alone, as if the text began and ended there.
    init(limits: Range<Int>) { lower = limits.lowerBound; upper = limits.upperBound }

    /// Whether `range` is made of whole words, or lies inside one word (瞭望 in 瞭望台), rather than
    /// reaching across a word's edge (括发 in 包括发动机).
    mutating func fits(_ range: Range<Int>, _ text: UnsafeBufferPointer<UInt32>) throws -> Bool {
        if try isBoundary(range.lowerBound, text), try isBoundary(range.upperBound, text) { return true }
        for p in (range.lowerBound + 1)..<range.upperBound where try isBoundary(p, text) { return false }
        return true
    }

    mutating func isBoundary(_ p: Int, _ text: UnsafeBufferPointer<UInt32>) throws -> Bool {
        let end = min(text.count, upper)
        if p <= lower || p >= end || !isHan(text[p - 1]) || !isHan(text[p]) { return true }
        if !(p > runStart && p < runEnd) {
            var s = p - 1
            while s > lower && isHan(text[s - 1]) { s -= 1 }
            var e = p + 1
            while e < end && isHan(text[e]) { e += 1 }
            try breakRun(s, e, text)
        }
        return boundary[p - runStart]
    }

    private mutating func breakRun(_ s: Int, _ e: Int, _ text: UnsafeBufferPointer<UInt32>) throws {
        runStart = s; runEnd = e
        units.removeAll(keepingCapacity: true)
        unitToScalar.removeAll(keepingCapacity: true)
        for i in s..<e {
            let c = text[i]
            unitToScalar.append(Int32(i - s))
            if c >= 0x10000 { unitToScalar.append(Int32(i - s)) }
        }
        unitToScalar.append(Int32(e - s))
        for i in s..<e {
            let c = text[i]
            if c < 0x10000 {
                units.append(UInt16(c))
            } else {
                units.append(UInt16(0xD800 | ((c - 0x10000) >> 10)))
                units.append(UInt16(0xDC00 | ((c - 0x10000) & 0x3FF)))
            }
        }
        boundary = [Bool](repeating: false, count: e - s + 1)
        boundary[0] = true; boundary[e - s] = true
        // The breaker is taken from the pool only here, so text without phrase candidates never opens one.
        let found = try ICUCache.words.with { Array(try $0.boundaries(of: units).boundaries) }
        for b in found where Int(b) < unitToScalar.count { boundary[Int(unitToScalar[Int(b)])] = true }
    }
}
