/// segment: sentence spans, from ICU's sentence break iterator.
///
/// Rule (spec, stage 5): a line break always ends a sentence; closing quotes and brackets stay with their
/// sentence (`“我們走吧。”` is one sentence). ICU glues an *opening* quote or bracket that directly follows
/// a terminator to the previous sentence (Sentence_Break=Close covers Ps/Pi too), so `他說。“好！”` would
/// split as `他說。“|好！”`; such trailing openers are moved to the next sentence. Spans exclude the
/// whitespace around a sentence; blank lines give no sentence.
///
/// Worst case: linear (ICU's iterator is linear; each boundary moves back at most over the openers).
public struct Segment: Stage {
    public let name = "segment"
    public init() {}

    /// Opening quotes and brackets that begin a sentence.
    static func isOpener(_ c: UInt32) -> Bool {
        switch c {
        case 0x300C, 0x300E, 0x201C, 0x2018, 0xFF08, 0x300A, 0x3010, 0x3008, 0x3014, 0x3016, 0xFF3B, 0xFF5B, 0x28, 0x5B:
            return true
        default:
            return false
        }
    }

    public func apply(to document: inout Document) throws {
        let text = document.text
        var spans: [Range<Int>] = []
        var units: [UInt16] = []
        var unitToScalar: [Int32] = []
        try ICUCache.sentences.with { breaker in
            var lineStart = 0
            while lineStart < text.count {
                let lineEnd = text[lineStart...].firstIndex(of: 0x0A) ?? text.count
                let line = text[lineStart..<lineEnd]
                if line.contains(where: { !isWhitespace($0) }) {
                    units.removeAll(keepingCapacity: true)
                    unitToScalar.removeAll(keepingCapacity: true)
                    for (k, c) in line.enumerated() {
                        if c < 0x10000 { units.append(UInt16(c)); unitToScalar.append(Int32(k)) } else {
                            UTF16Codec.encode(line[(lineStart + k)...(lineStart + k)], into: &units)
                            unitToScalar.append(Int32(k)); unitToScalar.append(Int32(k))
                        }
                    }
                    unitToScalar.append(Int32(line.count))
                    let (boundaries, _) = try breaker.boundaries(of: units)
                    var previous = lineStart
                    for b in boundaries {
                        var end = lineStart + Int(unitToScalar[Int(b)])
                        if end < lineEnd {
                            while end > previous + 1 && Segment.isOpener(text[end - 1]) { end -= 1 }
                        }
                        Segment.appendTrimmed(previous..<end, text, &spans)
                        previous = end
                    }
                    if previous < lineEnd { Segment.appendTrimmed(previous..<lineEnd, text, &spans) }
                }
                lineStart = lineEnd + 1
            }
        }
        document.sentences = spans.map { document.span($0) }
    }

    private static func appendTrimmed(_ r: Range<Int>, _ text: Scalars, _ spans: inout [Range<Int>]) {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi && isWhitespace(text[lo]) { lo += 1 }
        while hi > lo && isWhitespace(text[hi - 1]) { hi -= 1 }
        if lo < hi { spans.append(lo..<hi) }
    }
}
