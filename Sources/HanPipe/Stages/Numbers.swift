/// numbers: every number mention, with its value, unit, kind and offsets (spec, stage 7; issue #3).
///
/// Rule: `NumberScanner` reads the clean text once, left to right, and proposes mentions (Arabic,
/// Chinese, financial and mixed numerals; percentages, fractions, ordinals, ranges, approximate forms,
/// money and dates, each with the unit or measure word that follows). Mentions written with Chinese
/// numerals are kept only when ICU's dictionary word breaker puts them on word boundaries, so numerals
/// inside ordinary words (`统一`, `一致`, `长三角`, `三心二意`) are not numbers; the breaker runs only on a
/// short window around each such candidate. Offsets come from `Document.span`, so every mention also
/// carries its place in the source.
public struct Numbers: Stage {
    public let name = "numbers"
    public init() {}

    public func apply(to document: inout Document) throws {
        let text = document.text
        let drafts = try ICUCache.words.with { breaker in
            try NumberScanner(text: text, words: WordBoundaryCheck(breaker: breaker)).scan()
        }
        document.numbers = drafts.map { d in
            NumberMention(span: document.span(d.start..<d.end), text: text[d.start..<d.end].string, value: d.value,
                          high: d.high, unit: d.unit, kind: d.kind, approximate: d.approximate)
        }
    }
}
