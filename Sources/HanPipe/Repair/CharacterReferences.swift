/// HTML character references left in scraped text: `&amp;`, `&nbsp;`, `&ldquo;`, `&#20013;`, `&#x4E2D;`.
///
/// Rule: a reference is `&`, then a name from the HTML5 table (every WHATWG named reference, 2,125 of
/// them; `HTMLEntities.swift`) or `#` and 1–7 decimal digits or `#x`/`#X` and 1–6 hex digits, then `;`.
/// The semicolon is required, so `AT&T`, `&amp` and `&unknown;` stay as they are. `&nbsp;` (and
/// `&#160;`) becomes an ordinary space U+0020: in Chinese text a no-break space only ever separates
/// words of a byline or a date, where an ordinary space is what the reader wants, and normalize then
/// trims it at a line end. A numeric reference to 0x80…0x9F means the Windows-1252 character, as in
/// HTML (`&#150;` → `–`). References to NUL, a surrogate, a control character other than tab and line
/// feed, a noncharacter or beyond U+10FFFF are left as they are. Decoding is done once (`&amp;lt;` →
/// `&lt;`).
///
/// Worst case: linear. Each `&` looks at most 33 characters ahead (the longest name is 31 letters).
enum CharacterReferences {
    /// name (without `&` and `;`) → replacement.
    static let table: [String: Scalars] = {
        var t: [String: Scalars] = [:]
        t.reserveCapacity(HTMLEntityData.pairs.count)
        for (name, value) in HTMLEntityData.pairs { t[name] = Scalars(scalarsOf: value) }
        return t
    }()

    static let longestName = 31

    /// The reference that starts at `text[i]` (which is `&`): its length and its replacement.
    static func reference(in text: Scalars, at i: Int) -> (length: Int, value: Scalars)? {
        let n = text.count
        guard i + 2 < n else { return nil }
        if text[i + 1] == 0x23 { // #
            var k = i + 2
            var hex = false
            if text[k] == 0x78 || text[k] == 0x58 { hex = true; k += 1 }
            let digitsStart = k
            var value: UInt32 = 0
            while k < n, k - digitsStart < (hex ? 6 : 7) {
                let c = text[k]
                let d: UInt32
                if c >= 0x30 && c <= 0x39 { d = c - 0x30 }
                else if hex && c >= 0x61 && c <= 0x66 { d = c - 0x61 + 10 }
                else if hex && c >= 0x41 && c <= 0x46 { d = c - 0x41 + 10 }
                else { break }
                value = value * (hex ? 16 : 10) + d
                k += 1
            }
            guard k > digitsStart, k < n, text[k] == 0x3B else { return nil }
            guard let c = numericValue(value) else { return nil }
            return (k + 1 - i, [c])
        }
        var k = i + 1
        var name = ""
        while k < n, k - i - 1 < longestName, isASCIILower(text[k]) || isASCIIUpper(text[k]) || isASCIIDigit(text[k]) {
            name.unicodeScalars.append(Unicode.Scalar(UInt8(text[k])))
            k += 1
        }
        guard !name.isEmpty, k < n, text[k] == 0x3B else { return nil }
        if name == "nbsp" || name == "NonBreakingSpace" { return (k + 1 - i, [0x20]) }
        guard let value = table[name] else { return nil }
        return (k + 1 - i, value)
    }

    /// The character a numeric reference stands for, or nil when it is left as it is.
    static func numericValue(_ v: UInt32) -> UInt32? {
        if v == 0xA0 { return 0x20 } // like &nbsp;
        if v >= 0x80 && v <= 0x9F {
            return RepairTables.cp1252.first(where: { $0.1 == UInt8(v) })?.0
        }
        if v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return nil }
        if (v < 0x20 && v != 0x09 && v != 0x0A) || v == 0x7F { return nil }
        if (v & 0xFFFE) == 0xFFFE || (v >= 0xFDD0 && v <= 0xFDEF) { return nil }
        return v
    }
}
