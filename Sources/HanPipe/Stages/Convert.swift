/// convert: Traditional ↔ Simplified with ICU's `Hant-Hans` / `Hans-Hant` transliterators.
///
/// Rule (spec, stage 3): the conversion is length-preserving per character, so offsets stay aligned and
/// no edit is recorded. Every line is converted, whatever it holds. The output is
/// ICU's, computed one of two ways that give the same bytes:
/// - by default, with a `ConversionTable` compiled from the transliterator's own rules (see
///   `ConversionTables`): no ICU call, no UTF-16, and no ICU transliterator opened;
/// - with `icuOnly` (`--icu-convert`), or when no table could be built, by ICU's transliterator line by
///   line. Should ICU ever change the length of a line, that line is converted character by character
///   instead, which keeps alignment.
///
/// Worst case: linear (both ICU's rule-based transliterator and the table scan are linear).
public struct Convert: Stage {
    public let name = "convert"
    public let target: Script
    /// Use ICU's transliterator for everything (the reference path) instead of the compiled table.
    public let icuOnly: Bool

    public init(target: Script, icuOnly: Bool = false) {
        self.target = target
        self.icuOnly = icuOnly
    }

    public func apply(to document: inout Document) throws {
        guard target != .keep else { return }
        if !icuOnly, let table = ConversionTables.table(for: target) {
            convert(&document, with: table)
        } else {
            try convertWithICU(&document)
        }
    }

    /// The table path: a read-only scan up to the first change, then one in-place pass over a copy
    /// from there.
    private func convert(_ document: inout Document, with table: ConversionTable) {
        guard let start = document.text.withUnsafeBufferPointer({ table.firstChange(in: $0) }) else { return }
        var text = document.text
        text.withUnsafeMutableBufferPointer { table.convert($0, from: start) }
        document.substitute(start..<text.count, with: text[start...])
    }

    /// The ICU path, line by line.
    private func convertWithICU(_ document: inout Document) throws {
        let pool = target == .simplified ? ICUCache.hantToHans : ICUCache.hansToHant
        let text = document.text
        var lineStart = 0
        var units: [UInt16] = []
        var out: Scalars = []
        try pool.with { translit in
            while lineStart < text.count {
                let lineEnd = text[lineStart...].firstIndex(of: 0x0A) ?? text.count
                let line = text[lineStart..<lineEnd]
                if !line.isEmpty {
                    units.removeAll(keepingCapacity: true)
                    UTF16Codec.encode(line, into: &units)
                    let converted = try translit.apply(units[...])
                    out.removeAll(keepingCapacity: true)
                    converted.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &out) }
                    if out.count == line.count {
                        if !out.elementsEqual(line) { document.substitute(lineStart..<lineEnd, with: out[...]) }
                    } else {
                        for i in lineStart..<lineEnd {
                            units.removeAll(keepingCapacity: true)
                            UTF16Codec.encode(text[i..<i + 1], into: &units)
                            let one = try translit.apply(units[...])
                            out.removeAll(keepingCapacity: true)
                            one.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &out) }
                            if out.count == 1 && out[0] != text[i] { document.substitute(i..<i + 1, with: out[...]) }
                        }
                    }
                }
                lineStart = lineEnd + 1
            }
        }
    }
}
