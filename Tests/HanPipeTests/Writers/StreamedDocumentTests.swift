import Foundation
import Testing
@testable import HanPipe

/// The one JSON document writer: a document written in chunks gives the same text, sentences and edits
/// (offsets shifted per chunk) as the same input written whole.
@Suite struct StreamedDocumentTests {
    static let input = "長(chang)城在北京。\r\n第二行有２．５％。\n" + String(repeating: "生態(sheng tai)環境。\n", count: 3000)

    func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func chunksWriteTheSameDocumentAsAWhole() throws {
        let job = Job(pipeline: try Pipeline(.init(skip: ["entities"])))
        let bytes = Array(StreamedDocumentTests.input.utf8)
        let whole = try json(JSONWriter.document(try job.document(id: "t", bytes: bytes)))
        let streamed = StreamedDocument(id: "t", target: .simplified)
        var chunks = 0
        var offset = 0
        try job.stream(id: "t", chunkSize: 64, read: {
            guard offset < bytes.count else { return nil }
            defer { offset += 4096 }
            return Array(bytes[offset..<min(bytes.count, offset + 4096)])
        }) { doc, _ in chunks += 1; try streamed.add(doc) }
        #expect(chunks > 1)
        var out: [UInt8] = []
        try streamed.writeJSON { out += $0 }
        let parts = try json(out)
        #expect(parts["text"] as? String == whole["text"] as? String)
        for key in ["sentences", "numbers", "edits"] {
            #expect((parts[key] as? NSArray) == (whole[key] as? NSArray), "\(key)")
        }
        #expect(Array(parts.keys).sorted() == ["edits", "entities", "id", "numbers", "sentences", "text", "to"])
    }

    @Test func bratRowsFollowTheEntities() throws {
        let doc = try Pipeline(.init(to: .keep)).annotate("王小明在北京大學工作，月薪三千元。")
        let ann = BratWriter.annotations(doc, firstIndex: 1, shift: 0)
        let rows = String(decoding: ann.bytes, as: UTF8.self).split(separator: "\n")
        #expect(rows.count == doc.entities.count + doc.numbers.count && ann.rows == rows.count)
        let texts = doc.entities.map { doc.string($0.span) } + doc.numbers.map { doc.string($0.span) }
        for text in texts { #expect(rows.contains { $0.hasSuffix("\t" + text) }, "\(text)") }
    }
}
