/// convert: Traditional ↔ Simplified with ICU's `Hant-Hans` / `Hans-Hant` transliterators.
///
/// Rule (spec, stage 3): the conversion is length-preserving per character, so offsets stay aligned and
/// no edit is recorded. Lines with no CJK character are not sent to ICU. Should ICU ever change the
/// length of a line, that line is converted character by character instead, which keeps alignment.
///
/// Worst case: linear (ICU's rule-based transliterator is linear in its input).
public struct Convert: Stage {
    public let name = "convert"
    public let target: Script

    public init(target: Script) { self.target = target }

    public func apply(to document: inout Document) throws {
        guard target != .keep else { return }
        let pool = target == .simplified ? ICUCache.hantToHans : ICUCache.hansToHant
        let text = document.text
        var lineStart = 0
        var units: [UInt16] = []
        var out: Scalars = []
        try pool.with { translit in
            while lineStart < text.count {
                let lineEnd = text[lineStart...].firstIndex(of: 0x0A) ?? text.count
                let line = text[lineStart..<lineEnd]
                if line.contains(where: { $0 >= 0x2E80 }) {
                    units.removeAll(keepingCapacity: true)
                    UTF16Codec.encode(line, into: &units)
                    let converted = try translit.apply(units[...])
                    out.removeAll(keepingCapacity: true)
                    converted.withUnsafeBufferPointer { UTF16Codec.decode($0, into: &out) }
                    if out.count == line.count {
                        if !out.elementsEqual(line) { document.substitute(lineStart..<lineEnd, with: out[...]) }
                    } else {
                        for i in lineStart..<lineEnd where text[i] >= 0x2E80 {
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
