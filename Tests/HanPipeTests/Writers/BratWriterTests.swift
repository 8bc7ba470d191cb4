import Testing
import HanPipe

/// The brat writer: one row per element of each registry field that has a brat form, sorted by
/// position, numbered from `firstIndex` with offsets moved by `shift` (for chunks of a stream).
@Suite struct BratWriterTests {
    func document() -> Document {
        var doc = Document(id: "t", text: "2023年北京有3人。")
        doc.sentences = [doc.span(0..<11)]
        doc.numbers = [NumberMention(span: doc.span(0..<5), text: "2023年", value: .date("2023"), kind: .date),
                       NumberMention(span: doc.span(8..<10), text: "3人", value: .integer(3), unit: "人", kind: .cardinal)]
        doc.entities = [Entity(span: doc.span(5..<7), type: .LOC, text: "北京")]
        return doc
    }

    @Test func rowsInTextOrderWithoutSentences() {
        let ann = String(decoding: BratWriter.annotations(document()), as: UTF8.self)
        #expect(ann == "T1\tDATE 0 5\t2023年\nT2\tLOC 5 7\t北京\nT3\tNUM 8 10\t3人\n")
    }

    @Test func aChunkIsNumberedOnAndShifted() {
        let (bytes, rows) = BratWriter.annotations(document(), firstIndex: 4, shift: 100)
        #expect(rows == 3)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("T4\tDATE 100 105\t2023年\nT5\tLOC 105 107\t北京\n"))
    }

    @Test func onlyTheGivenFieldsAreWritten() {
        let numbersOnly = StageRegistry.standard.fields.filter { $0.name == "numbers" }
        let ann = String(decoding: BratWriter.annotations(document(), fields: numbersOnly), as: UTF8.self)
        #expect(ann == "T1\tDATE 0 5\t2023年\nT2\tNUM 8 10\t3人\n")
    }
}
