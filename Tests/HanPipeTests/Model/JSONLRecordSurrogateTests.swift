import Testing
@testable import HanPipe

/// JSON Lines records: `\u` surrogate escapes must pair up (found by Scripts/fuzz jsonl; the reproducer
/// is Fixtures/fuzz/jsonl/crash-lone-surrogate-97c10eb2). A lone one used to become U+FFFD in `text`
/// and to be copied into the output of other members, which strict JSON parsers then reject.
@Suite struct JSONLRecordSurrogateTests {
    @Test func aPairDecodesToOneAstralCharacter() throws {
        let record = try JSONLRecord(Array(#"{"text": "\ud840\udc00(he)"}"#.utf8)[...])
        #expect(record.text == [0x20000, 0x28, 0x68, 0x65, 0x29])
    }

    @Test(arguments: [#"{"text": "a\ud840b"}"#, #"{"text": "a\udc00"}"#, #"{"text": "ok", "x": "\ud840"}"#,
                      #"{"text": "ok", "x": ["\ud840\u0041"]}"#])
    func aLoneSurrogateIsNotValidJSON(_ line: String) {
        #expect(throws: JSONLRecord.Problem.self) { try JSONLRecord(Array(line.utf8)[...]) }
    }
}
