import Foundation
import Testing
@testable import HanPipe

/// Cost-augmented perceptron updates (`NERTrainer.Settings.marginCost`).
@Suite struct NERObjectiveTests {
    func example(_ text: String, _ entities: [(String, Int)]) -> NERExample { .labelled(text, entities) }

    func train(_ settings: NERTrainer.Settings, _ train: [NERExample], gazetteer: Gazetteer) throws -> ([UInt8], NERModel) {
        let bytes = try NERTrainer(settings: settings).train(train: train, dev: [("dev", train)], gazetteer: gazetteer) { _ in }
        let model = try bytes.withUnsafeBytes { raw -> NERModel in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: raw.count, alignment: 16)
            buffer.copyMemory(from: raw)
            return try NERModel(bytes: UnsafeRawBufferPointer(buffer), owned: buffer)
        }
        return (bytes, model)
    }

    /// With a cost, training still learns the sentences, gives the same bytes twice, and other bytes than
    /// without (its updates also come on sentences the model tags right by too small a margin).
    @Test func costAugmentedTrainingLearnsDeterministically() throws {
        let sentences = [
            example("张明在北京工作。", [("张明", 0), ("北京", 1)]),
            example("李华去了上海。", [("李华", 0), ("上海", 1)]),
            example("王强在北京大学读书。", [("王强", 0), ("北京大学", 2)]),
            example("上海大学的张明来了。", [("上海大学", 2), ("张明", 0)]),
            example("今天天气很好。", []),
        ]
        var settings = NERTrainer.Settings()
        settings.epochs = 10
        settings.minCount = 1
        settings.prune = 0
        settings.featureDropout = 0.1
        var g = Gazetteer()
        g.add(Scalars(scalarsOf: "大学"), .orgSuffix)
        let (plain, _) = try train(settings, sentences, gazetteer: g)
        settings.marginCost = 10
        let (a, model) = try train(settings, sentences, gazetteer: g)
        let (b, _) = try train(settings, sentences, gazetteer: g)
        #expect(a == b && a != plain)
        var scratch = NERScratch()
        let breaker = try BreakIterator(.word)
        for ex in sentences {
            let got = try model.tag(ex.text[...], scratch: &scratch, breaker: breaker)
            #expect(got.map(\.range) == ex.spans.map(\.range))
            #expect(got.map(\.type) == ex.spans.map(\.type))
        }
    }
}
