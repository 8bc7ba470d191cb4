import Foundation
import Testing
@testable import HanPipe

/// Issue 9's acceptance list on the seed article (Fixtures/golden/seed.in, Traditional, glosses and all),
/// annotated with the embedded model as `hanpipe annotate --to simplified` does.
@Suite struct SeedEntitiesTests {
    static let entities: [(text: String, type: Entity.Kind)] = {
        let url = ConvertTests.packageRoot.appendingPathComponent("Fixtures/golden/seed.in")
        guard let bytes = try? Array(Data(contentsOf: url)),
              let doc = try? Job(pipeline: try Pipeline(.init(to: .simplified))).document(id: "seed", bytes: bytes)
        else { return [] }
        return doc.entities.map { ($0.text, $0.type) }
    }()

    func has(_ text: String, _ type: Entity.Kind) -> Bool { SeedEntitiesTests.entities.contains { $0 == (text, type) } }

    @Test func theseStayRight() {
        #expect(!SeedEntitiesTests.entities.isEmpty)
        for org in ["上海市生态环境局", "江苏省生态环境厅", "浙江省生态环境厅", "上海市环境科学研究院", "嘉善县生态环境局", "国务院", "执委会"] {
            #expect(has(org, .ORG), "ORG \(org)")
        }
        for loc in ["长三角", "嘉定区", "青浦区", "吴江区", "昆山市", "平湖市", "嘉兴市"] {
            #expect(has(loc, .LOC), "LOC \(loc)")
        }
    }

    @Test func theSeedErrorsAreGone() {
        for (text, type) in [("域共保联", Entity.Kind.ORG), ("金嘉平", .PER), ("嘉昆", .PER), ("谷腾", .PER)] {
            #expect(!has(text, type), "\(type) \(text)")
        }
        // No ORG runs on across 厅(局) and the connective into 执委会.
        #expect(!SeedEntitiesTests.entities.contains { $0.type == .ORG && $0.text.contains("会同") })
        #expect(!SeedEntitiesTests.entities.contains { $0.type == .ORG && $0.text.contains("(局)") })
    }
}
