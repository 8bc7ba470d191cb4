/// Best tag sequence under emission and transition scores, restricted to well-formed BIOES sequences.
///
/// Rule: score(sequence) = Σ emission[i][tag_i] + Σ transition[tag_{i-1}][tag_i]; transitions that
/// `NERTags.allowed` forbids, and first/last tags it forbids, are never taken. Linear in the length
/// (13 × 13 work per character).
struct Viterbi {
    /// Allowed predecessor lists, per tag.
    private let predecessors: [[Int]]

    init() {
        var p: [[Int]] = Array(repeating: [], count: NERTags.count)
        for next in 0..<NERTags.count {
            for prev in 0..<NERTags.count where NERTags.allowed(prev, next) { p[next].append(prev) }
        }
        predecessors = p
    }

    /// `emission` holds `length × NERTags.count` scores, row by row; `transition` holds 13 × 13
    /// (previous row, next column). Writes the best tags into `tags`.
    func decode(emission: UnsafePointer<Float>, length: Int, transition: UnsafePointer<Float>,
                back: inout [UInt8], tags: inout [UInt8]) {
        let n = NERTags.count
        tags.removeAll(keepingCapacity: true)
        guard length > 0 else { return }
        if back.count < length * n { back = [UInt8](repeating: 0, count: length * n) }
        var score = [Float](repeating: -.infinity, count: n)
        var next = [Float](repeating: -.infinity, count: n)
        for t in 0..<n where NERTags.allowedFirst(t) { score[t] = emission[t] }
        back.withUnsafeMutableBufferPointer { back in
            for i in 1..<max(length, 1) {
                let e = emission + i * n
                for t in 0..<n {
                    var best = -Float.infinity
                    var arg = 0
                    for p in predecessors[t] {
                        let s = score[p] + transition[p * n + t]
                        if s > best { best = s; arg = p }
                    }
                    next[t] = best + e[t]
                    back[i * n + t] = UInt8(arg)
                }
                swap(&score, &next)
            }
            var best = -Float.infinity
            var arg = 0
            for t in 0..<n where NERTags.allowedLast(t) && score[t] > best { best = score[t]; arg = t }
            tags = [UInt8](repeating: 0, count: length)
            tags[length - 1] = UInt8(arg)
            var i = length - 1
            while i > 0 {
                arg = Int(back[i * n + arg])
                tags[i - 1] = UInt8(arg)
                i -= 1
            }
        }
    }
}
