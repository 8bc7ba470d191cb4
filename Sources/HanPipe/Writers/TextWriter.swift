/// Writes the clean text: as it is, or with `--sentences` one sentence per line and a blank line between
/// paragraphs (lines of the clean text).
public enum TextWriter {
    public static func text(_ doc: Document, sentences: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(doc.text.count * 3)
        guard sentences else {
            UTF8Codec.encode(doc.text[...], into: &out)
            return out
        }
        var previousEnd = -1
        for s in doc.sentences {
            if previousEnd >= 0 {
                let gap = doc.text[previousEnd..<s.start]
                out.append(0x0A)
                if gap.contains(0x0A) { out.append(0x0A) }
            }
            UTF8Codec.encode(doc.text[s.start..<s.end], into: &out)
            previousEnd = s.end
        }
        if previousEnd >= 0 { out.append(0x0A) }
        return out
    }
}
