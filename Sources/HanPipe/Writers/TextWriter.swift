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

    /// The clean text of a document processed in chunks: the same bytes as `text(_:sentences:)` on the
    /// whole document.
    public struct Stream {
        let sentences: Bool
        private var wroteSentence = false
        private var previousEndedLine = false

        public init(sentences: Bool) { self.sentences = sentences }

        /// The text of the next chunk; `endsLine` tells whether the chunk ended at a line break.
        public mutating func text(_ doc: Document, endsLine: Bool) -> [UInt8] {
            guard sentences else { return TextWriter.text(doc, sentences: false) }
            var out = TextWriter.text(doc, sentences: true)
            // A chunk cut inside a sentence (at a safe point of a long line, not after a terminator) ends
            // mid-sentence: the sentence goes on in the next chunk, on the same output line.
            if !endsLine, let last = doc.source.last, last != 0x3002 && last != 0xFF01 && last != 0xFF1F, out.last == 0x0A {
                out.removeLast()
            }
            if !out.isEmpty {
                if wroteSentence && previousEndedLine { out.insert(0x0A, at: 0) }
                wroteSentence = true
            }
            previousEndedLine = endsLine
            return out
        }
    }
}
