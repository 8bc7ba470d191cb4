/// Best tag sequence under emission and transition scores, restricted to well-formed BIOES sequences.
///
/// Rule: score(sequence) = Σ emission[i][tag_i] + Σ transition[tag_{i-1}][tag_i]; transitions that
/// `NERTags.allowed` forbids, and first/last tags it forbids, are never taken. Linear in the length
/// (13 × 13 work per character).
struct Viterbi {
    /// Allowed predecessors of each tag, flattened: `predecessors[offsets[t]..<offsets[t + 1]]`.
    private let predecessors: [Int]
    private let offsets: [Int]

    init() {
        var p: [Int] = [], o: [Int] = [0]
        for next in 0..<NERTags.count {
            for prev in 0..<NERTags.count where NERTags.allowed(prev, next) { p.append(prev) }
            o.append(p.count)
        }
        predecessors = p
        offsets = o
    }

    /// `emission` holds `length × NERTags.count` scores, row by row; `transition` holds 13 × 13
    /// (previous row, next column). Writes the best tags into `tags` and returns their score (0 for no tags).
    @discardableResult
    func decode(emission: UnsafePointer<Float>, length: Int, transition: UnsafePointer<Float>,
                back: inout [UInt8], tags: inout [UInt8]) -> Float {
        let n = NERTags.count
        tags.removeAll(keepingCapacity: true)
        guard length > 0 else { return 0 }
        if back.count < length * n { back = [UInt8](repeating: 0, count: max(length * n, back.count * 2)) }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n) { buffer in
            var score = buffer.baseAddress!, next = buffer.baseAddress! + n
            for t in 0..<n { score[t] = NERTags.allowedFirst(t) ? emission[t] : -.infinity }
            predecessors.withUnsafeBufferPointer { pred in
                offsets.withUnsafeBufferPointer { off in
                    back.withUnsafeMutableBufferPointer { back in
                        for i in 1..<max(length, 1) {
                            let e = emission + i * n
                            for t in 0..<n {
                                var best = -Float.infinity
                                var arg = 0
                                for q in off[t]..<off[t + 1] {
                                    let p = pred[q]
                                    let s = score[p] + transition[p * n + t]
                                    if s > best { best = s; arg = p }
                                }
                                next[t] = best + e[t]
                                back[i * n + t] = UInt8(arg)
                            }
                            swap(&score, &next)
                        }
                    }
                }
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
            return best
        }
    }
}
