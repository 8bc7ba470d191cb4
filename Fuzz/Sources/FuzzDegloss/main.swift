import FuzzLaws
import HanPipe

/// Fuzz target: the gloss remover alone (the degloss stage over a document made from the input's
/// text). Laws: text + edits rebuilds the source; every edit is a deletion by degloss of a whole
/// bracketed parenthetical that directly follows a Han character or another removed gloss; the JSON
/// output is valid. Inputs that are not UTF-8 are skipped (decoding is fuzzed by FuzzPipeline).
enum DeglossFuzz {
    static let stage = Degloss()

    static func isHan(_ c: UInt32) -> Bool {
        (0x3400...0x4DBF).contains(c) || (0x4E00...0x9FFF).contains(c) || (0xF900...0xFAFF).contains(c)
            || (0x20000...0x323AF).contains(c) || c == 0x3007
    }

    static func run(_ bytes: [UInt8]) {
        guard let string = String(validating: bytes, as: UTF8.self) else { return }
        var doc = Document(id: "fuzz", text: string)
        do { try stage.apply(to: &doc) } catch { Laws.fail("degloss threw \(error)") }
        Laws.require("degloss output") { try Laws.checkAll(doc, rebuild: true, segmented: false) }
        var previousEnd = -1
        for edit in doc.edits {
            let from = Array(edit.from.unicodeScalars.map(\.value))
            guard edit.stage == stage.name, edit.to.isEmpty else { Laws.fail("degloss made a non-deletion edit") }
            // An edit may hold several chained glosses: `(sheng)(sheng)`.
            guard let first = from.first, let last = from.last, first == 0x28 || first == 0xFF08,
                  last == 0x29 || last == 0xFF09 else { Laws.fail("degloss removed something that is not a parenthetical: \(edit.from)") }
            let before = edit.sourceStart > 0 ? doc.source[edit.sourceStart - 1] : 0
            guard isHan(before) || edit.sourceStart == previousEnd else {
                Laws.fail("degloss removed \(edit.from) which follows no Han character")
            }
            previousEnd = edit.sourceEnd
        }
    }
}

Laws.runFuzzer { bytes in
    DeglossFuzz.run(bytes)
}
