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

    private let rules: ConversionRules
    /// The lowest and highest code point that starts a rule's key.
    let low: UInt32, high: UInt32
    /// For `low...high`: the replacement of a character with at most one plain single-character rule,
    /// or `complex | group index` for a character whose rules must be tried in order.
    private let map: [UInt32]
    /// The rules of group g are `order[groupStart[g]..<groupStart[g + 1]]` (indices into `rules.rules`).
    private let groupStart: [Int32]
    private let order: [Int32]

    private static let complex: UInt32 = 0x8000_0000
    private static let gated: UInt32 = 0x4000_0000
    private static let indexMask: UInt32 = 0x3FFF_FFFF

    init(rules: ConversionRules) {
        self.rules = rules
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
        var order = [Int32](repeating: 0, count: Int(groupStart.last!))
        for (index, r) in all.enumerated() {
            let d = Int(elements[Int(r.key.lowerBound)] - low)
            if simple[d] {
                map[d] = elements[Int(r.replacement.lowerBound)]
            } else {
                let g = Int(groupOf[d])
                order[Int(fill[g])] = Int32(index)
                fill[g] += 1
            }
        }
        self.map = map
        self.groupStart = groupStart
        self.order = order
    }

    /// The index of the first character that conversion changes, or nil when it changes nothing.
    /// Reads only.
    func firstChange(in text: UnsafeBufferPointer<UInt32>) -> Int? {
        guard let base = text.baseAddress else { return nil }
        return run(UnsafeMutablePointer(mutating: base), count: text.count, from: 0, write: false).first
    }

    /// Converts `text[start...]` in place, where nothing before `start` would change (as `firstChange`
    /// finds). Returns the range that may have changed.
    func convert(_ text: UnsafeMutableBufferPointer<UInt32>, from start: Int = 0) -> Range<Int> {
        guard let base = text.baseAddress else { return 0..<0 }
        let (first, end) = run(base, count: text.count, from: start, write: true)
        guard let first else { return start..<start }
        return first..<end
    }

    /// The scan. With `write` false it stops before the first change and never writes through `p`.
    /// Returns the first changed index (nil: none) and the end of the last change.
    private func run(_ p: UnsafeMutablePointer<UInt32>, count n: Int, from start: Int,
                     write: Bool) -> (first: Int?, end: Int) {
        var first: Int? = nil
        var end = start
        var i = start
        // The line the gate was last checked on, and its answer.
        var gateLineEnd = -1
        var gateOpen = false
        let low = self.low, span = high &- low
        map.withUnsafeBufferPointer { map in
            while i < n {
                let c = p[i]
                let d = c &- low
                if d > span { i += 1; continue }
                let v = map[Int(d)]
                if v & ConversionTable.complex == 0 {
                    if v != c {
                        guard write else { first = i; return }
                        p[i] = v
                        if first == nil { first = i }
                        end = i + 1
                    }
                    i += 1
                    continue
                }
                if v & ConversionTable.gated != 0 {
                    if i >= gateLineEnd {
                        var lineStart = i
                        while lineStart > 0 && p[lineStart - 1] != 0x0A { lineStart -= 1 }
                        var lineEnd = i
                        while lineEnd < n && p[lineEnd] != 0x0A { lineEnd += 1 }
                        gateLineEnd = lineEnd
                        gateOpen = false
                        for k in lineStart..<lineEnd where p[k] >= ConversionTable.lineGate { gateOpen = true; break }
                    }
                    if !gateOpen { i += 1; continue }
                }
                guard let rule = match(at: i, in: UnsafePointer(p), count: n, group: Int(v & ConversionTable.indexMask)) else {
                    i += 1
                    continue
                }
                let r = rules.rules[Int(rule)]
                let k = r.key.count
                var changes = false
                rules.elements.withUnsafeBufferPointer { e in
                    for j in 0..<k where p[i + j] != e[Int(r.replacement.lowerBound) + j] {
                        changes = true
                        guard write else { break }
                        p[i + j] = e[Int(r.replacement.lowerBound) + j]
                        end = i + j + 1
                    }
                }
                if changes {
                    guard write else { first = i; return }
                    if first == nil { first = i }
                }
                i += k
            }
        }
        return (first, end)
    }

    /// The first rule of `group` that matches at `i`, or nil.
    private func match(at i: Int, in p: UnsafePointer<UInt32>, count n: Int, group: Int) -> Int32? {
        rules.elements.withUnsafeBufferPointer { e in
            rules.rules.withUnsafeBufferPointer { all in
                var g = Int(groupStart[group])
                let gEnd = Int(groupStart[group + 1])
                candidates: while g < gEnd {
                    let index = order[g]
                    g += 1
                    let r = all[Int(index)]
                    let keyLength = r.key.count
                    let postEnd = i + keyLength + r.post.count
                    if postEnd > n || i < r.ante.count { continue }
                    var q = i + 1
                    for x in Int(r.key.lowerBound + 1)..<Int(r.key.upperBound) {
                        if p[q] != e[x] { continue candidates }
                        q += 1
                    }
                    for x in Int(r.post.lowerBound)..<Int(r.post.upperBound) {
                        if !matches(e[x], p[q]) { continue candidates }
                        q += 1
                    }
                    q = i - 1
                    var x = Int(r.ante.upperBound) - 1
                    while x >= Int(r.ante.lowerBound) {
                        if !matches(e[x], p[q]) { continue candidates }
                        q -= 1; x -= 1
                    }
                    return index
                }
                return nil
            }
        }
    }

    /// Whether pattern element `element` (a character or a set) matches `c`.
    @inline(__always) private func matches(_ element: UInt32, _ c: UInt32) -> Bool {
        if element & ConversionRules.setFlag == 0 { return element == c }
        return ConversionTable.contains(rules.sets[Int(element & ~ConversionRules.setFlag)], c)
    }

    private static func contains(_ sorted: [UInt32], _ c: UInt32) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < c { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == c
    }
}
