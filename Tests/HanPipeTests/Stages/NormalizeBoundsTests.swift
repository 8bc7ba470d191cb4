import Foundation
import Testing
@testable import HanPipe

/// The two bounds that keep normalize linear: a long run of spaces inside a line is scanned once, and a
/// normalization segment beyond the stream-safe limit is not sent to ICU (whose reordering is quadratic).
@Suite struct NormalizeBoundsTests {
    func normalize(_ s: String) throws -> Document {
        var doc = Document(id: "t", text: s)
        try Normalize().apply(to: &doc)
        return doc
    }

    @Test func spaceRunsInsideALineKeepTheirSpacesAndLoseTheirControls() throws {
        let run = String(repeating: " ", count: 5000)
        #expect(try normalize("Ａ" + run + "\u{200B} x").text.string == "A" + run + " x")
        #expect(try normalize("a \u{200B} \nb  ").text.string == "a\nb")
        #expect(try normalize("Ａ" + run + "x" + run).text.string == "A" + run + "x")
    }

    @Test func overlongCombiningSequencesAreLeftAlone() throws {
        #expect(try normalize("e\u{301}").text == [0xE9])
        // 15 + 15 marks in non-canonical order: within the limit, so normalized (by ICU; Foundation is the oracle).
        let short = "a" + String(repeating: "\u{301}", count: 15) + String(repeating: "\u{316}", count: 15)
        #expect(try normalize(short).text == Scalars(scalarsOf: short.precomposedStringWithCanonicalMapping))
        let long = "a" + String(repeating: "\u{301}", count: 40) + String(repeating: "\u{316}", count: 40)
        let doc = try normalize(long + "Ａ")
        // Compared as code points: String equality is canonical equivalence.
        #expect(doc.text == Scalars(scalarsOf: long + "A"))
        #expect(doc.edits.count == 1)
    }
}
