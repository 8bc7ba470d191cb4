/// The rules of one of ICU's Traditional↔Simplified transliterators, parsed from their rule source
/// (`utrans_toRules`), in ICU's order.
///
/// Rule: only the subset of ICU's rule syntax that `Hant-Hans` and `Hans-Hant` use is accepted — one-way
/// rules `ante{key}post > replacement;` whose key and replacement are literal characters and whose
/// contexts are literal characters or `[…]` sets of literal characters and ranges, with `#` comments.
/// Anything else (variables, quoting, escapes, `.`, cursor marks, anchors, quantifiers, `::` passes,
/// reverse or two-way rules, a line break inside a rule pattern, a replacement whose length differs from
/// its key) makes the parse fail, so a rule source that hanpipe cannot reproduce exactly is never half
/// understood: the conversion stage then uses ICU itself. Literals must be non-ASCII, so no ASCII
/// character can carry a meaning of ICU's syntax that this parser does not know.
///
/// Written by hand because ICU offers no API to enumerate a transliterator's compiled rules: the rule
/// source is the only view of them.
struct ConversionRules {
    /// One rule. Pattern ranges index `elements`; the replacement indexes `elements` too.
    struct Rule {
        var ante: Range<Int32>
        var key: Range<Int32>
        var post: Range<Int32>
        var replacement: Range<Int32>
    }

    /// Pattern elements and replacements, back to back: a code point, or `setFlag | index` for `sets[index]`.
    private(set) var elements: [UInt32] = []
    /// The character sets used in contexts, each sorted.
    private(set) var sets: [[UInt32]] = []
    /// The rules, in the rule source's order (ICU applies the first rule that matches).
    private(set) var rules: [Rule] = []

    static let setFlag: UInt32 = 0x8000_0000

    /// Parses rule source held as code points. Throws `HanPipeError.badModel` on anything outside the subset.
    init(source: UnsafeBufferPointer<UInt32>) throws {
        rules.reserveCapacity(source.count / 10)
        elements.reserveCapacity(source.count / 2)
        var i = 0
        let n = source.count
        func fail(_ why: String) -> HanPipeError {
            HanPipeError.badModel("conversion rules: \(why) at character \(i)")
        }
        func skipSpaceAndComments() {
            while i < n {
                let c = source[i]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
                if c == 0x23 { // '#' to the end of the line
                    while i < n && source[i] != 0x0A { i += 1 }
                    continue
                }
                break
            }
        }
        /// A character usable as a literal: not ASCII, not a line break, not an ICU operator.
        func isLiteral(_ c: UInt32) -> Bool {
            c >= 0x80 && c != 0x85 && c != 0x2028 && c != 0x2029 && c != 0x200E && c != 0x200F
                && c != 0x2190 && c != 0x2192 && c != 0x2194 && !(c >= 0xD800 && c <= 0xDFFF) && c <= 0x10FFFF
        }
        while true {
            skipSpaceAndComments()
            if i >= n { break }
            // Left side: elements, with optional '{' and '}' around the key.
            let start = Int32(elements.count)
            var open: Int32? = nil, close: Int32? = nil
            while i < n {
                let c = source[i]
                if c == 0x20 || c == 0x09 { i += 1; continue }
                if c == 0x3E { break } // '>'
                if c == 0x7B { // '{'
                    guard open == nil, close == nil else { throw fail("second '{'") }
                    open = Int32(elements.count); i += 1; continue
                }
                if c == 0x7D { // '}'
                    guard close == nil else { throw fail("second '}'") }
                    close = Int32(elements.count); i += 1; continue
                }
                if c == 0x5B { // '['
                    i += 1
                    var members: [UInt32] = []
                    while true {
                        guard i < n else { throw fail("unterminated set") }
                        let m = source[i]
                        if m == 0x5D { i += 1; break }
                        guard isLiteral(m) else { throw fail("unsupported set syntax") }
                        if i + 2 < n && source[i + 1] == 0x2D { // range a-b
                            let hi = source[i + 2]
                            guard isLiteral(hi), hi >= m else { throw fail("bad range") }
                            members.append(contentsOf: m...hi)
                            i += 3
                        } else {
                            members.append(m); i += 1
                        }
                    }
                    guard !members.isEmpty else { throw fail("empty set") }
                    members.sort()
                    elements.append(ConversionRules.setFlag | UInt32(sets.count))
                    sets.append(members)
                    continue
                }
                guard isLiteral(c) else { throw fail("unsupported syntax U+\(String(c, radix: 16))") }
                elements.append(c); i += 1
            }
            guard i < n, source[i] == 0x3E else { throw fail("rule without '>'") }
            i += 1
            let end = Int32(elements.count)
            let keyStart = open ?? start
            let keyEnd = close ?? end
            guard keyStart < keyEnd else { throw fail("empty key") }
            for k in Int(keyStart)..<Int(keyEnd) where elements[k] & ConversionRules.setFlag != 0 {
                throw fail("set in a key")
            }
            // Right side: literal characters up to ';'.
            let replacementStart = Int32(elements.count)
            while i < n && source[i] != 0x3B {
                let c = source[i]
                if c == 0x20 || c == 0x09 { i += 1; continue }
                guard isLiteral(c) else { throw fail("unsupported replacement syntax") }
                elements.append(c); i += 1
            }
            guard i < n else { throw fail("rule without ';'") }
            i += 1
            let replacementEnd = Int32(elements.count)
            guard replacementEnd - replacementStart == keyEnd - keyStart else {
                throw fail("a rule that changes the length")
            }
            rules.append(Rule(ante: start..<keyStart, key: keyStart..<keyEnd, post: keyEnd..<end,
                              replacement: replacementStart..<replacementEnd))
        }
    }

    /// Parses UTF-8 rule source.
    init(utf8: UnsafeBufferPointer<UInt8>) throws {
        var scalars: Scalars = []
        scalars.reserveCapacity(utf8.count / 2)
        if let bad = UTF8Codec.decode(utf8, into: &scalars) {
            throw HanPipeError.badModel("conversion rules: invalid UTF-8 at byte \(bad)")
        }
        try self.init(scalars: scalars)
    }

    init(scalars: Scalars) throws {
        self = try scalars.withUnsafeBufferPointer { try ConversionRules(source: $0) }
    }
}

extension ConversionRules {
    /// Appends a context-free rule (so it applies only where no earlier rule of ICU's matches).
    mutating func append(key: Scalars, replacement: Scalars) {
        precondition(key.count == replacement.count && !key.isEmpty)
        let k = Int32(elements.count)
        elements.append(contentsOf: key)
        let r = Int32(elements.count)
        elements.append(contentsOf: replacement)
        rules.append(Rule(ante: k..<k, key: k..<r, post: r..<r, replacement: r..<Int32(elements.count)))
    }

    /// Gives every context-free rule whose key is `key` the replacement `replacement` (same length);
    /// returns how many rules changed. Used for `ConversionFixes`.
    mutating func override(key: Scalars, with replacement: Scalars) -> Int {
        precondition(key.count == replacement.count)
        var changed = 0
        for r in rules where r.ante.isEmpty && r.post.isEmpty && r.key.count == key.count {
            guard elements[Int(r.key.lowerBound)..<Int(r.key.upperBound)].elementsEqual(key) else { continue }
            for (j, c) in replacement.enumerated() { elements[Int(r.replacement.lowerBound) + j] = c }
            changed += 1
        }
        return changed
    }
}
