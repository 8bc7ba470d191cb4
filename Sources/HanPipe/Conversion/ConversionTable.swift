/// A Traditional↔Simplified converter compiled from the rules of one ICU transliterator, which gives
/// ICU's output without calling ICU.
///
/// Rule: it applies ICU's rule-based transliteration exactly as ICU's `RuleBasedTransliterator` does
/// for a single pass of one-way rules — at each position, the first rule in source order whose key
/// matches there, whose post-context matches the text after the key and whose ante-context matches the
/// text before it *as already converted*, replaces the key, and the scan resumes after the key; with no
/// match the character is kept and the scan moves on by one. ICU forbids a rule that is masked by an
/// earlier one, so plain phrase rules come before the shorter rules they extend. Since every rule
/// preserves length, the output has the input's length.
///
/// Two layers make it fast: a flat table over the code points that rules can start on gives the
/// replacement of every character that starts only a single-character rule (most of them), and marks
/// the rest; only at a marked character are that character's rules tried, in order. Characters outside
/// the table are kept. Rules never match a line break (the parser refuses them), so rule matches never
/// cross lines, as with ICU run line by line.
///
/// Line gate: the conversion stage leaves a line alone when it holds no character at or above U+2E80
/// (`lineGate`). A rule whose key starts below that (`“ > 「` in `Hans-Hant`) therefore applies only on
/// lines that hold such a character; the table checks that line once, on the first such character.
///
/// Worst case: linear in the text times the longest rule list of one character (37 rules for 遊).
final class ConversionTable: Sendable {
    /// Lines without a character at or above this code point are not converted.
    static let lineGate: UInt32 = 0x2E80

    /// The lowest and highest code point that starts a rule's key.
    let low: UInt32, high: UInt32
    /// For `low...high`: the replacement of a character with at most one plain single-character rule,
    /// or `complex | group index` for a character whose rules must be tried in order.
    private let map: [UInt32]
    /// The rules of group g are `grouped[groupStart[g]..<groupStart[g + 1]]`, in source order.
    private let groupStart: [Int32]
    private let grouped: [ConversionRules.Rule]
    /// Pattern elements and replacements, as in `ConversionRules`.
    private let elements: [UInt32]
    private let sets: [[UInt32]]
    /// For a group of plain rules (no contexts): bit `c & 63` is set for the second key character `c` of
    /// each of its phrase rules, and `fallback` is the replacement of its single-character rule (or the
    /// character itself). When the next character's bit is clear no phrase can match, so the fallback
    /// applies without trying the rules: most marked characters are common ones (中, 一, 人) that start a
    /// few rare phrases.
    private let secondCharacters: [UInt64]
    private let fallback: [UInt32]

    private static let complex: UInt32 = 0x8000_0000
    private static let gated: UInt32 = 0x4000_0000
    private static let plain: UInt32 = 0x2000_0000
    private static let indexMask: UInt32 = 0x1FFF_FFFF

    init(rules: ConversionRules) {
        let all = rules.rules
        let elements = rules.elements
        var low = UInt32.max, high: UInt32 = 0
        for r in all {
            let c = elements[Int(r.key.lowerBound)]
            low = min(low, c); high = max(high, c)
        }
        if all.isEmpty { low = 1; high = 0 }
        self.low = low
        self.high = high
        let size = high >= low ? Int(high - low) + 1 : 0
        // Count rules per first character; a character is simple when its only rule maps it alone.
        var count = [Int32](repeating: 0, count: size)
        var simple = [Bool](repeating: true, count: size)
        for r in all {
            let c = elements[Int(r.key.lowerBound)]
            let d = Int(c - low)
            count[d] += 1
            if count[d] > 1 || r.key.count != 1 || !r.ante.isEmpty || !r.post.isEmpty || c < ConversionTable.lineGate {
                simple[d] = false
            }
        }
        var map = [UInt32](unsafeUninitializedCapacity: size) { buffer, initialized in
            for d in 0..<size { buffer[d] = low + UInt32(d) }
            initialized = size
        }
        var groupOf = [Int32](repeating: -1, count: size)
        var groupStart: [Int32] = [0]
        var groups = 0
        for d in 0..<size where count[d] > 0 && !simple[d] {
            groupOf[d] = Int32(groups)
            groups += 1
            groupStart.append(groupStart[groupStart.count - 1] + count[d])
            let c = low + UInt32(d)
            map[d] = ConversionTable.complex | (c < ConversionTable.lineGate ? ConversionTable.gated : 0) | UInt32(groupOf[d])
        }
        var fill = Array(groupStart.dropLast())
        var grouped = [ConversionRules.Rule](repeating: ConversionRules.Rule(ante: 0..<0, key: 0..<0, post: 0..<0, replacement: 0..<0),
                                             count: Int(groupStart.last!))
        for r in all {
            let d = Int(elements[Int(r.key.lowerBound)] - low)
            if simple[d] {
                map[d] = elements[Int(r.replacement.lowerBound)]
            } else {
                let g = Int(groupOf[d])
                grouped[Int(fill[g])] = r
                fill[g] += 1
            }
        }
        var secondCharacters = [UInt64](repeating: 0, count: groups)
        var fallback = [UInt32](repeating: 0, count: groups)
        for d in 0..<size where groupOf[d] >= 0 {
            let g = Int(groupOf[d])
            let c = low + UInt32(d)
            var isPlain = c >= ConversionTable.lineGate
            var single: UInt32? = nil
            for r in grouped[Int(groupStart[g])..<Int(groupStart[g + 1])] {
                if !r.ante.isEmpty || !r.post.isEmpty { isPlain = false }
                if r.key.count == 1 {
                    if single == nil { single = elements[Int(r.replacement.lowerBound)] }
                } else {
                    secondCharacters[g] |= 1 << UInt64(elements[Int(r.key.lowerBound) + 1] & 63)
                }
            }
            fallback[g] = single ?? c
            if isPlain { map[d] |= ConversionTable.plain }
        }
        self.map = map
        self.secondCharacters = secondCharacters
        self.fallback = fallback
        self.groupStart = groupStart
        self.grouped = grouped
        self.elements = elements
        self.sets = rules.sets
    }

    /// The index of the first character that conversion changes, or nil when it changes nothing.
    /// Reads only.
    func firstChange(in text: UnsafeBufferPointer<UInt32>) -> Int? {
        guard let base = text.baseAddress else { return nil }
        return run(UnsafeMutablePointer(mutating: base), count: text.count, from: 0, write: false)
    }

    /// Converts `text[start...]` in place, where nothing before `start` would change (as `firstChange`
    /// finds); `start` must be 0 or a position where that scan stopped.
    func convert(_ text: UnsafeMutableBufferPointer<UInt32>, from start: Int = 0) {
        guard let base = text.baseAddress else { return }
        _ = run(base, count: text.count, from: start, write: true)
    }

    /// The scan. With `write` false it stops at the first change and never writes through `p`, and
    /// returns that change's index (nil: none); with `write` true it converts and returns nil.
    private func run(_ p: UnsafeMutablePointer<UInt32>, count n: Int, from start: Int, write: Bool) -> Int? {
        guard !map.isEmpty else { return nil }
        return map.withUnsafeBufferPointer { map in
            groupStart.withUnsafeBufferPointer { groupStart in
                grouped.withUnsafeBufferPointer { grouped in
                    elements.withUnsafeBufferPointer { elements in
                        secondCharacters.withUnsafeBufferPointer { seconds in
                            fallback.withUnsafeBufferPointer { fallbacks in
                                let view = View(groupStart: groupStart.baseAddress!, rules: grouped.baseAddress,
                                                elements: elements.baseAddress!, sets: sets)
                                let table = map.baseAddress!
                                let low = self.low, span = high &- low
                                var gate = Gate()
                                var i = start
                                while i < n {
                                    let c = p[i]
                                    let d = c &- low
                                    if d > span { i &+= 1; continue }
                                    let v = table[Int(d)]
                                    if v & ConversionTable.complex == 0 {
                                        if write {
                                            p[i] = v
                                        } else if v != c {
                                            return i
                                        }
                                        i &+= 1
                                        continue
                                    }
                                    if v & ConversionTable.plain != 0 {
                                        let g = Int(v & ConversionTable.indexMask)
                                        let next = i &+ 1 < n ? p[i &+ 1] : 0
                                        if (seconds[g] >> UInt64(next & 63)) & 1 == 0 {
                                            let f = fallbacks[g]
                                            if write {
                                                p[i] = f
                                            } else if f != c {
                                                return i
                                            }
                                            i &+= 1
                                            continue
                                        }
                                    }
                                    let after = view.step(at: i, in: p, count: n, entry: v, write: write, gate: &gate)
                                    if after < 0 { return i }
                                    i = after
                                }
                                return nil
                            }
                        }
                    }
                }
            }
        }
    }

    /// The line-gate state of a scan: the end of the line last checked, and whether it may be converted.
    private struct Gate {
        var lineEnd = -1
        var open = false
    }

    /// Raw views of the table's rule storage, for the part of the scan that tries rules.
    private struct View {
        let groupStart: UnsafePointer<Int32>
        let rules: UnsafePointer<ConversionRules.Rule>?
        let elements: UnsafePointer<UInt32>
        let sets: [[UInt32]]

        /// Handles a character whose table entry `entry` marks it complex: applies the first matching rule
        /// of its group. Returns the next position, or -1 when `write` is false and the rule would change
        /// the text.
        @inline(never)
        func step(at i: Int, in p: UnsafeMutablePointer<UInt32>, count n: Int, entry: UInt32, write: Bool,
                  gate: inout Gate) -> Int {
            if entry & ConversionTable.gated != 0 {
                if i >= gate.lineEnd {
                    var lineStart = i
                    while lineStart > 0 && p[lineStart - 1] != 0x0A { lineStart -= 1 }
                    var lineEnd = i
                    while lineEnd < n && p[lineEnd] != 0x0A { lineEnd += 1 }
                    gate.lineEnd = lineEnd
                    gate.open = false
                    for k in lineStart..<lineEnd where p[k] >= ConversionTable.lineGate { gate.open = true; break }
                }
                if !gate.open { return i + 1 }
            }
            guard let rules else { return i + 1 }
            let group = Int(entry & ConversionTable.indexMask)
            var g = Int(groupStart[group])
            let gEnd = Int(groupStart[group + 1])
            candidates: while g < gEnd {
                let r = rules[g]
                g += 1
                let keyStart = Int(r.key.lowerBound), keyEnd = Int(r.key.upperBound)
                let keyLength = keyEnd - keyStart
                if i + keyLength + r.post.count > n || i < r.ante.count { continue }
                var q = i + 1
                var x = keyStart + 1
                while x < keyEnd {
                    if p[q] != elements[x] { continue candidates }
                    q += 1; x += 1
                }
                x = Int(r.post.lowerBound)
                while x < Int(r.post.upperBound) {
                    if !matches(elements[x], p[q]) { continue candidates }
                    q += 1; x += 1
                }
                q = i - 1
                x = Int(r.ante.upperBound) - 1
                while x >= Int(r.ante.lowerBound) {
                    if !matches(elements[x], p[q]) { continue candidates }
                    q -= 1; x -= 1
                }
                // Matched: replace the key.
                let replacement = Int(r.replacement.lowerBound)
                for j in 0..<keyLength where p[i + j] != elements[replacement + j] {
                    if !write { return -1 }
                    p[i + j] = elements[replacement + j]
                }
                return i + keyLength
            }
            return i + 1
        }

        /// Whether pattern element `element` (a character or a set) matches `c`.
        private func matches(_ element: UInt32, _ c: UInt32) -> Bool {
            if element & ConversionRules.setFlag == 0 { return element == c }
            let sorted = sets[Int(element & ~ConversionRules.setFlag)]
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < c { lo = mid + 1 } else { hi = mid }
            }
            return lo < sorted.count && sorted[lo] == c
        }
    }
}
