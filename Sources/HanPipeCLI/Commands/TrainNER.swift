import ArgumentParser
import HanPipe
#if canImport(Glibc)
import Glibc
#endif

extension HanPipeCommand {
    /// `hanpipe train-ner --train FILE… --dev FILE… -o MODEL`: trains an entity model.
    struct TrainNER: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-ner",
            abstract: "Train an entity model (PER, LOC, ORG) from JSON Lines files and write it to a file.",
            discussion: """
            Each input line is {"id": …, "text": …, "entities": [{"start": …, "end": …, "type": "PER"|"LOC"|"ORG"}]} \
            with code-point offsets, end exclusive. The dev files choose the epoch of each run; they are never \
            trained on. Training is deterministic: the same files and options give the same model bytes. \
            The defaults are the settings of the bundled model (Scripts/train-ner). Use the result with --ner-model FILE.
            """
        )

        @Option(name: .customLong("train"), parsing: .upToNextOption, help: "Training files (JSON Lines).")
        var trainFiles: [String]

        @Option(name: .customLong("dev"), parsing: .upToNextOption, help: "Dev files (JSON Lines), to pick the epoch.")
        var devFiles: [String] = []

        @Option(name: .short, help: "The model file to write.")
        var output: String

        @Option(help: "Passes over the training data.")
        var epochs = 40

        @Option(help: "Keep only features seen at least this many times.")
        var minCount = 2

        @Option(help: "Seed of the shuffle.")
        var seed: UInt64 = 1

        @Option(help: "Independent runs with consecutive seeds, their weights averaged.")
        var runs = 3

        @Option(help: "Drop features whose averaged weights are all smaller than this.")
        var prune: Float = 3

        @Flag(help: "Take word boundaries from ICU's dictionary break iterator instead of the gazetteer's dictionary words (slower tagging).")
        var icuWords = false

        func run() throws {
            let started = now()
            func load(_ paths: [String]) throws -> [NERExample] {
                var all: [NERExample] = []
                for path in paths {
                    do { all += try NERExample.parse(try BlockReader.readAll(path)) } catch {
                        Diagnostics.error(path, "\(error)")
                        throw ExitCode(Status.input.rawValue)
                    }
                }
                return all
            }
            let train = try load(trainFiles)
            let dev = try devFiles.map { (name: Files.basename(Files.parent($0)) + "/" + Files.basename($0), examples: try load([$0])) }
            var settings = NERTrainer.Settings()
            settings.epochs = epochs
            settings.minCount = minCount
            settings.seed = seed
            settings.runs = runs
            settings.prune = prune
            settings.useWords = icuWords
            let gazetteer = try Gazetteer.bundled()
            Diagnostics.line("gazetteer: \(gazetteer.entries.count) names")
            let bytes = try NERTrainer(settings: settings).train(train: train, dev: dev, gazetteer: gazetteer) { line in
                Diagnostics.line(String(format6(now() - started)) + "s " + line)
            }
            try Files.writeAtomically(output, bytes)
            Diagnostics.line("wrote \(output): \(bytes.count) bytes in \(format6(now() - started)) s")
        }

        private func now() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }

        private func format6(_ x: Double) -> String { String(Double(Int(x * 10)) / 10) }
    }
}
