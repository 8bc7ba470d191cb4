import Testing
import HanPipe   // public API only: these stages are written as a program outside the package would

/// A text-rewriting stage that exists only in the tests: `@` becomes `＠`.
struct AtSign: Stage {
    let name = "at-sign"
    func apply(to document: inout Document) throws {
        let text = document.text
        document.rewrite(stage: name) { r in
            for i in text.indices where text[i] == 0x40 { r.replace(i..<i + 1, with: [0xFF20]) }
        }
    }
}

/// An annotating stage that exists only in the tests: spans of `＠`.
struct AtMarks: Stage {
    let name = "at-marks"
    func apply(to document: inout Document) throws {
        document.spans["at_marks"] = document.text.indices.filter { document.text[$0] == 0xFF20 }.map { document.span($0..<$0 + 1) }
    }
}

/// Adding a stage is one line in a registry: it then runs in order, can be skipped, shows in the edit
/// log and in the JSON writer's fields.
@Suite struct StageRegistryTests {
    static let registry = StageRegistry.standard
        .inserting(.init("at-sign", .rewriting, summary: "@ becomes ＠") { _ in AtSign() }, after: "degloss")
        .inserting(.init("at-marks", .annotating, requires: ["at-sign"], field: .spans("at_marks", bratType: "AT"), summary: "＠ spans") { _ in AtMarks() })

    @Test func theStandardOrder() throws {
        #expect(StageRegistry.standard.names == ["repair", "normalize", "convert", "degloss", "segment", "entities", "numbers"])
        #expect(StageName.allCases.map(\.rawValue) == StageRegistry.standard.names)
        #expect(StageName(rawValue: "nonsense") == nil)
        #expect(try Pipeline(.init(to: .keep, keepGlosses: true)).names == ["repair", "normalize", "segment", "entities", "numbers"])
        #expect(try Pipeline(.init(annotate: false)).names == ["repair", "normalize", "convert", "degloss"])
    }

    @Test func aTestStageAppearsInSkipValuesTheEditLogAndJSON() throws {
        let registry = StageRegistryTests.registry
        #expect(registry.names == ["repair", "normalize", "convert", "degloss", "at-sign", "segment", "entities", "numbers", "at-marks"])
        #expect(registry.fields.map(\.name) == ["sentences", "entities", "numbers", "at_marks"])

        let pipeline = try Pipeline(.init(to: .keep), registry: registry)
        #expect(pipeline.names.contains("at-sign") && pipeline.names.last == "at-marks")
        let doc = try pipeline.annotate("長(chang)城@北京")
        #expect(doc.text.string == "長城＠北京")
        #expect(doc.edits.map(\.stage) == ["degloss", "at-sign"])
        #expect(doc.edits.last?.from == "@" && doc.edits.last?.to == "＠")
        let json = String(decoding: JSONWriter.document(doc, fields: registry.fields), as: UTF8.self)
        #expect(json.contains("{\"stage\": \"at-sign\", \"source_start\": 9, \"source_end\": 10, \"from\": \"@\", \"to\": \"＠\"}"))
        #expect(json.contains("\"at_marks\": [\n    {\"start\": 2, \"end\": 3, \"source_start\": 9, \"source_end\": 10}\n  ]"))
        // brat takes its kinds from the same fields: the test stage's spans become rows of type AT.
        let ann = String(decoding: BratWriter.annotations(doc, fields: registry.fields), as: UTF8.self)
        #expect(ann.contains("\tAT 2 3\t＠\n"))
        #expect(!String(decoding: BratWriter.annotations(doc), as: UTF8.self).contains("AT "))

        let skipped = try Pipeline(.init(to: .keep, skip: ["at-marks"]), registry: registry)
        #expect(!skipped.names.contains("at-marks"))
        #expect(throws: HanPipeError.self) { try Pipeline(.init(skip: ["at-sign"]), registry: registry) }
        #expect(throws: HanPipeError.self) { try Pipeline(.init(skip: ["at-sign"])) }
    }
}
