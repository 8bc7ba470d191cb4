/// Exact-match precision, recall and F1 of predicted entity spans against gold spans, per type and overall.
///
/// Rule: a predicted entity counts as correct only when a gold entity has the same start, end and type.
public struct NERScore: Sendable {
    public var correct = [Int](repeating: 0, count: 3)
    public var predicted = [Int](repeating: 0, count: 3)
    public var gold = [Int](repeating: 0, count: 3)

    public init() {}

    /// Scores one sentence against its scored spans; predictions of a type its labels do not mark are not counted.
    public mutating func add(predicted p: [(range: Range<Int>, type: Int)], of example: NERExample) {
        add(predicted: p.filter { !example.unmarked.contains($0.type) }, gold: example.scoredSpans)
    }

    public mutating func add(predicted p: [(range: Range<Int>, type: Int)], gold g: [(range: Range<Int>, type: Int)]) {
        for s in p { predicted[s.type] += 1 }
        for s in g { gold[s.type] += 1 }
        var set = Set<[Int]>()
        for s in g { set.insert([s.range.lowerBound, s.range.upperBound, s.type]) }
        for s in p where set.contains([s.range.lowerBound, s.range.upperBound, s.type]) { correct[s.type] += 1 }
    }

    static func f1(_ c: Int, _ p: Int, _ g: Int) -> (p: Double, r: Double, f: Double) {
        let pr = p == 0 ? 0 : Double(c) / Double(p), re = g == 0 ? 0 : Double(c) / Double(g)
        return (pr, re, pr + re == 0 ? 0 : 2 * pr * re / (pr + re))
    }

    /// Micro-averaged over the three types.
    public var micro: (p: Double, r: Double, f: Double) {
        NERScore.f1(correct.reduce(0, +), predicted.reduce(0, +), gold.reduce(0, +))
    }

    public func of(_ type: Int) -> (p: Double, r: Double, f: Double) { NERScore.f1(correct[type], predicted[type], gold[type]) }

    public var summary: String {
        func pct(_ x: Double) -> String { String(Double(Int(x * 10000)) / 100) }
        let m = micro
        var s = "P \(pct(m.p)) R \(pct(m.r)) F1 \(pct(m.f))"
        for (t, kind) in NERTags.types.enumerated() { s += " · \(kind.rawValue) F1 \(pct(of(t).f))" }
        return s
    }
}
