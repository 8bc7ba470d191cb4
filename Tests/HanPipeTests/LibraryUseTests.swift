import Foundation
import Testing
import HanPipe   // the public API only, as a program using the library sees it

/// The README's "Library use" example, compiled and run here. The test checks that the README shows
/// exactly this code, so the two cannot drift apart.
@Suite struct LibraryUseTests {
    @Test func theReadmeExampleRuns() throws {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
        // README example begins
        let doc = try Pipeline(.init(to: .simplified)).annotate("長城(chang cheng)在北京。")
        print(doc.text.string)                       // 长城在北京。
        for entity in doc.entities {
            print(entity.type, doc.string(entity.span))   // for example: LOC 北京
        }
        print(doc.edits.map(\.stage))                 // ["degloss"]
        // README example ends
        #expect(printed.first == "长城在北京。")
        #expect(printed.last == "[\"degloss\"]")
        #expect(doc.entities.allSatisfy { doc.string($0.span) == $0.text })
    }

    @Test func theReadmeShowsThisExample() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: here, encoding: .utf8)
        func lines(_ s: Substring) -> [String] {
            s.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let section = try #require(readme.range(of: "## Library use"))
        let block = readme[section.upperBound...]
        let start = try #require(block.range(of: "import HanPipe\n"))
        let end = try #require(block.range(of: "```", range: start.upperBound..<block.endIndex))
        let begin = try #require(test.range(of: "// README example " + "begins"))
        let stop = try #require(test.range(of: "// README example " + "ends"))
        #expect(lines(block[start.upperBound..<end.lowerBound]) == lines(test[begin.upperBound..<stop.lowerBound]))
    }
}
