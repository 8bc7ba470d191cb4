/// A Traditional↔Simplified converter compiled from the rules of one ICU transliterator, which gives
/// ICU's output without calling ICU. Written by hand because ICU's rule-based transliterator runs at
/// about 15 MB/s, holds a process-wide lock on every call (threads do not help) and costs about 9 ms to
/// open, while its rules for this pair are a character table plus a few thousand phrases.
///
/// Rule: it applies ICU's rule-based transliteration exactly as ICU's `RuleBasedTransliterator` does
/// for a single pass of one-way rules — at each position, the first rule in source order whose key
/// matches there, whose post-context matches the text after the key and whose ante-context matches the
/// text before it *as already converted*, replaces the key, and the scan resumes after the key; with no
/// match the character is kept and the scan moves on by one. ICU forbids a rule that is masked by an
/// earlier one, so plain phrase rules come before the shorter rules they extend. Since every rule
/// preserves length, the output has the input's length.
///
/// Speed: a flat table over the code points that rules can start on gives, for each, the replacement
/// when it is converted on its own, and marks the characters whose rules must be tried in order. Most
/// marked characters are common ones (中, 一, 人) that start a few rare phrases with no context: their
/// entry also holds a 32-bit filter of the second characters of those phrases, so the rules are tried
/// only when the next character passes the filter. The scan is thus one table load and one store per
/// character, with a rarely taken branch. Characters outside the table are kept. Rules never match a
/// line break (the parser refuses them), so rule matches never cross lines, as with ICU run line by line.
///
/// Every line is converted, whatever it holds (`“hello”` becomes `「hello」` with `Hans-Hant`, as ICU
/// does), so the result never depends on where a long line is cut into chunks.
///
/// Worst case: linear in the text times the longest rule list of one character (37 rules for 遊).
final class ConversionTable: Sendable {
    /// The lowest and highest code point that starts a rule's key.
    let low: UInt32, high: UInt32
    /// For `low...high`, then one entry for every other character: bits 0–20 the replacement of the
    /// character converted on its own; `tryRules`: its rules must always be tried; `keep`: the
    /// character stays (outside the table); bits 32–63: for a character whose rules are phrases without
    /// context, bit `next & 31` is set for the second key character `next` of each phrase.
    private let map: [UInt64]
    /// The group of rules of each character in `low...high` (-1: none).
    private let groupOf: [Int32]
    /// The rules of group g are `grouped[groupStart[g]..<groupStart[g + 1]]`, in source order.
    private let groupStart: [Int32]
    private let grouped: [ConversionRules.Rule]
    /// Pattern elements and replacements, as in `ConversionRules`.
    private let elements: [UInt32]
    private let sets: [[UInt32]]

    private static let tryRules: UInt64 = 1 << 21
    private static let keep: UInt64 = 1 << 22
    private static let characterMask: UInt64 = 0x1F_FFFF

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
        // Group the rules by the first character of their key, keeping source order in each group.
        var count = [Int32](repeating: 0, count: size)
        for r in all { count[Int(elements[Int(r.key.lowerBound)] - low)] += 1 }
        var groupOf = [Int32](repeating: -1, count: size)
        var groupStart: [Int32] = [0]
        for d in 0..<size where count[d] > 0 {
            groupOf[d] = Int32(groupStart.count - 1)
            groupStart.append(groupStart[groupStart.count - 1] + count[d])
        }
        var fill = Array(groupStart.dropLast())
        var grouped = [ConversionRules.Rule](repeating: ConversionRules.Rule(ante: 0..<0, key: 0..<0, post: 0..<0, replacement: 0..<0),
                                             count: Int(groupStart.last!))
        for r in all {
            let g = Int(groupOf[Int(elements[Int(r.key.lowerBound)] - low)])
            grouped[Int(fill[g])] = r
            fill[g] += 1
        }
        // Entries: a character whose only rule is a plain single-character one needs no rule at run
        // time; one with plain phrases gets the phrase filter and its single-character fallback; any
        // context, means its rules are always tried.
        var map = [UInt64](unsafeUninitializedCapacity: size + 1) { buffer, initialized in
            for d in 0..<size { buffer[d] = UInt64(low) + UInt64(d) }
            buffer[size] = ConversionTable.keep
            initialized = size + 1
        }
        for d in 0..<size where groupOf[d] >= 0 {
            let g = Int(groupOf[d])
            let c = low + UInt32(d)
            var entry = UInt64(c)
            var single: UInt32? = nil
            var always = false
            for r in grouped[Int(groupStart[g])..<Int(groupStart[g + 1])] {
                if !r.ante.isEmpty || !r.post.isEmpty { always = true }
                if r.key.count == 1 {
                    if single == nil { single = elements[Int(r.replacement.lowerBound)] }
                } else {
                    entry |= 1 << (32 + UInt64(elements[Int(r.key.lowerBound) + 1] & 31))
                }
            }
            if let single { entry = (entry & ~ConversionTable.characterMask) | UInt64(single) }
            map[d] = always ? ConversionTable.tryRules | UInt64(c) : entry
        }
        self.map = map
        self.groupOf = groupOf
        self.groupStart = groupStart
        self.grouped = grouped
        self.elements = elements
        self.sets = rules.sets
    }

    /// The keys of the rules longer than one character (the rules that can reach across a phrase's edge).
    var multiCharacterKeys: [Scalars] {
        grouped.filter { $0.key.count >= 2 }.map { Array(elements[Int($0.key.lowerBound)..<Int($0.key.upperBound)]) }
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

    /// Converts `text[range]` in place as if the text ended at `range.upperBound` (no rule's key or
    /// context reaches past it); ante-contexts see the text before `range` as it is (already converted).
    func convert(_ text: UnsafeMutableBufferPointer<UInt32>, range: Range<Int>) {
        guard let base = text.baseAddress, !range.isEmpty else { return }
        precondition(range.upperBound <= text.count)
        _ = run(base, count: range.upperBound, from: range.lowerBound, write: true)
    }

    /// The scan. With `write` false it stops at the first change and never writes through `p`, and
    /// returns that change's index (nil: none); with `write` true it converts and returns nil.
    private func run(_ p: UnsafeMutablePointer<UInt32>, count n: Int, from start: Int, write: Bool) -> Int? {
        guard size > 0, n > 0 else { return nil }
        return map.withUnsafeBufferPointer { map in
            groupOf.withUnsafeBufferPointer { groupOf in
                groupStart.withUnsafeBufferPointer { groupStart in
                    grouped.withUnsafeBufferPointer { grouped in
                        elements.withUnsafeBufferPointer { elements in
                            let view = View(groupOf: groupOf.baseAddress!, groupStart: groupStart.baseAddress!,
                                            rules: grouped.baseAddress!, elements: elements.baseAddress!,
                                            sets: sets, low: low)
                            let table = map.baseAddress!
                            let low = self.low, span = UInt32(size)
                            var i = start
                            // Every position but the last, whose next character is always there.
                            while i < n - 1 {
                                let c = p[i]
                                var d = c &- low
                                d = d < span ? d : span
                                let v = table[Int(d)]
                                let next = p[i + 1]
                                let filter = (v >> (32 + UInt64(next & 31))) & 1
                                if _slowPath(v & ConversionTable.tryRules | filter != 0) {
                                    let after = view.step(at: i, in: p, count: n, write: write)
                                    if after < 0 { return i }
                                    i = after
                                    continue
                                }
                                let out = v & ConversionTable.keep != 0 ? c : UInt32(truncatingIfNeeded: v & ConversionTable.characterMask)
                                if write {
                                    p[i] = out
                                } else if out != c {
                                    return i
                                }
                                i += 1
                            }
                            if i == n - 1 {
                                let c = p[i]
                                let d = c &- low
                                if d < span {
                                    let v = table[Int(d)]
                                    if v & ConversionTable.tryRules != 0 || v >> 32 != 0 {
                                        if view.step(at: i, in: p, count: n, write: write) < 0 { return i }
                                    } else {
                                        let out = UInt32(truncatingIfNeeded: v & ConversionTable.characterMask)
                                        if write { p[i] = out } else if out != c { return i }
                                    }
                                }
                            }
                            return nil
                        }
                    }
                }
            }
        }
    }

    private var size: Int { high >= low ? Int(high - low) + 1 : 0 }

    private struct View {
        let groupOf: UnsafePointer<Int32>
        let groupStart: UnsafePointer<Int32>
        let rules: UnsafePointer<ConversionRules.Rule>
        let elements: UnsafePointer<UInt32>
        let sets: [[UInt32]]
        let low: UInt32

        /// Applies the first matching rule of the group of the character at `i` (which has one).
        /// Returns the next position, or -1 when `write` is false and the rule would change the text.
        @inline(never)
        func step(at i: Int, in p: UnsafeMutablePointer<UInt32>, count n: Int, write: Bool) -> Int {
            let group = Int(groupOf[Int(p[i] - low)])
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
