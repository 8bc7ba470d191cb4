/// The BIOES tag set of the entity tagger: `O`, then `B`, `I`, `E`, `S` for each of PER, LOC, ORG.
///
/// Rule: tag `0` is `O`; type `t` (0 PER, 1 LOC, 2 ORG) owns tags `1 + 4t` (B), `2 + 4t` (I), `3 + 4t` (E)
/// and `4 + 4t` (S). A sequence is well formed when every B or I is followed by an I or E of its own type
/// and every I or E follows a B or I of its own type; Viterbi decoding only considers well-formed
/// sequences, so decoded spans are always flat and complete.
enum NERTags {
    static let count = 13
    /// In a per-character constraint: any tag may be taken.
    static let free: UInt8 = 0xFF
    /// The bit of each tag in a mask of allowed tags.
    @inline(__always) static func bit(_ tag: Int) -> UInt16 { 1 << UInt16(tag) }
    /// Every tag of `type` (B, I, E, S).
    static func mask(of type: Int) -> UInt16 { bit(tag(type, .begin)) | bit(tag(type, .inside)) | bit(tag(type, .end)) | bit(tag(type, .single)) }
    static let types: [Entity.Kind] = [.PER, .LOC, .ORG]
    /// The type index of `kind` (0 PER, 1 LOC, 2 ORG).
    static func index(of kind: Entity.Kind) -> Int { types.firstIndex(of: kind)! }

    enum Part: Int { case begin = 0, inside = 1, end = 2, single = 3 }

    @inline(__always) static func tag(_ type: Int, _ part: Part) -> Int { 1 + 4 * type + part.rawValue }
    @inline(__always) static func type(of tag: Int) -> Int { (tag - 1) / 4 }
    @inline(__always) static func part(of tag: Int) -> Part? { tag == 0 ? nil : Part(rawValue: (tag - 1) % 4) }

    /// Whether `next` may follow `previous`.
    static func allowed(_ previous: Int, _ next: Int) -> Bool {
        let open = previous != 0 && (part(of: previous) == .begin || part(of: previous) == .inside)
        if open {
            guard let p = part(of: next), p == .inside || p == .end else { return false }
            return type(of: next) == type(of: previous)
        }
        guard let p = part(of: next) else { return true }
        return p == .begin || p == .single
    }

    /// Whether a sequence may start with `tag`.
    static func allowedFirst(_ tag: Int) -> Bool { allowed(0, tag) }
    /// Whether a sequence may end with `tag`.
    static func allowedLast(_ tag: Int) -> Bool {
        guard let p = part(of: tag) else { return true }
        return p == .end || p == .single
    }

    /// The tags of entity spans over a sequence of `length` characters (spans must be flat and sorted).
    static func encode(_ spans: [(range: Range<Int>, type: Int)], length: Int) -> [UInt8] {
        var tags = [UInt8](repeating: 0, count: length)
        for (r, t) in spans where !r.isEmpty && r.upperBound <= length {
            if r.count == 1 { tags[r.lowerBound] = UInt8(tag(t, .single)); continue }
            tags[r.lowerBound] = UInt8(tag(t, .begin))
            for i in (r.lowerBound + 1)..<(r.upperBound - 1) { tags[i] = UInt8(tag(t, .inside)) }
            tags[r.upperBound - 1] = UInt8(tag(t, .end))
        }
        return tags
    }

    /// The entity spans of a well-formed tag sequence.
    static func decode(_ tags: [UInt8]) -> [(range: Range<Int>, type: Int)] {
        var spans: [(range: Range<Int>, type: Int)] = []
        var start = -1
        for (i, raw) in tags.enumerated() {
            let t = Int(raw)
            guard let p = part(of: t) else { start = -1; continue }
            switch p {
            case .single: spans.append((i..<i + 1, type(of: t))); start = -1
            case .begin: start = i
            case .inside: break
            case .end: if start >= 0 { spans.append((start..<i + 1, type(of: t))) }; start = -1
            }
        }
        return spans
    }
}
