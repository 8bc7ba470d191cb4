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
            The bundled model was trained with other settings than these defaults: see Scripts/train-ner. Use the result with --ner-model FILE. \
            A file name ending in #train or #dev takes part of the file: #dev every 10th line (line numbers 10, 20, …), \
            #train the others, so a set without a dev split can give one. A file may be named twice to weigh it double. \
            Files given to --train-no-loc and --dev-no-loc mark no LOC: their unlabelled characters may be LOC (a \
            latent-label update; LOC is not scored on them), and their ORG spans 公司, 本公司 … may be no entity.
            """
        )

        @Option(name: .customLong("train"), parsing: .upToNextOption, help: "Training files (JSON Lines).")
        var trainFiles: [String]

        @Option(name: .customLong("train-no-loc"), parsing: .upToNextOption,
                help: "Training files whose labels mark no LOC (partial labels).")
        var trainNoLocFiles: [String] = []

        @Option(name: .customLong("train-no-loc-listed"), parsing: .upToNextOption,
                help: "As --train-no-loc, but their unmarked places may be only where the gazetteer lists a place.")
        var trainNoLocListedFiles: [String] = []

        @Option(name: .customLong("dev"), parsing: .upToNextOption, help: "Dev files (JSON Lines), to pick the epoch.")
        var devFiles: [String] = []

        @Option(name: .customLong("dev-no-loc"), parsing: .upToNextOption, help: "Dev files whose labels mark no LOC (PER and ORG scored).")
        var devNoLocFiles: [String] = []

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

        @Option(help: ArgumentHelp(
            "The share of feature occurrences (0 to 1) a training update ignores, drawn anew each time.",
            valueName: "share"))
        var featureDropout: Float = 0

        @Option(help: ArgumentHelp(
            "The share of labelled names (0 to 1) whose character and word features a training update ignores.",
            valueName: "share"))
        var nameDropout: Float = 0

        @Option(help: ArgumentHelp(
            "Added to the score of every wrong tag when a training update decodes (0: the plain perceptron).",
            valueName: "cost"))
        var marginCost: Float = 0

        @Option(help: "Drop features whose averaged weights are all smaller than this.")
        var prune: Float = 3

        @Flag(help: "Take word boundaries from ICU's dictionary break iterator instead of the gazetteer's dictionary words (slower tagging).")
        var icuWords = false

        enum NominalORG: String, ExpressibleByArgument, CaseIterable { case labelled, optional }

        @Option(help: ArgumentHelp(
            """
            How the partial files' nominal organisations (公司, 本公司, 集团 …, labelled ORG by Résumé) are learned: \
            labelled (they are ORG, as the file says) or optional (they may as well be no entity).
            """,
            valueName: "labelled|optional"))
        var nominalOrg = NominalORG.labelled


        func validate() throws {
            guard (0..<1).contains(featureDropout) else { throw ValidationError("--feature-dropout must be at least 0 and below 1") }
            guard (0..<1).contains(nameDropout) else { throw ValidationError("--name-dropout must be at least 0 and below 1") }
            guard marginCost >= 0 && marginCost.isFinite else { throw ValidationError("--margin-cost must be 0 or more") }
        }

        func run() throws {
            let started = now()
            func load(_ paths: [String], noLOC: Bool = false, listed: Bool = false) throws -> [NERExample] {
                var all: [NERExample] = []
                for spec in paths {
                    var path = spec, part: String? = nil
                    for suffix in ["#train", "#dev"] where spec.hasSuffix(suffix) {
                        path = String(spec.dropLast(suffix.count)); part = suffix
                    }
                    do {
                        var examples = try NERExample.parse(try BlockReader.readAll(path))
                        if let part { examples = examples.enumerated().filter { ($0.offset + 1) % 10 == 0 ? part == "#dev" : part == "#train" }.map(\.element) }
                        if noLOC {
                            for i in examples.indices {
                                examples[i].markPartial(unmarked: [1], nominal: nominalOrg == .optional ? TrainNER.nominalORG : [])
                                examples[i].unmarkedOnlyWhereListed = listed
                            }
                        }
                        all += examples
                    } catch {
                        Diagnostics.error(path, "\(error)")
                        throw ExitCode(Status.input.rawValue)
                    }
                }
                return all
            }
            let train = try load(trainFiles) + load(trainNoLocFiles, noLOC: true)
                + load(trainNoLocListedFiles, noLOC: true, listed: true)
            func name(_ spec: String) -> String { Files.basename(Files.parent(spec)) + "/" + Files.basename(spec) }
            let dev = try devFiles.map { (name: name($0), examples: try load([$0])) }
                + devNoLocFiles.map { (name: name($0), examples: try load([$0], noLOC: true)) }
            var settings = NERTrainer.Settings()
            settings.epochs = epochs
            settings.minCount = minCount
            settings.seed = seed
            settings.runs = runs
            settings.prune = prune
            settings.featureDropout = featureDropout
            settings.nameDropout = nameDropout
            settings.marginCost = marginCost
            settings.useWords = icuWords
            let gazetteer = try Gazetteer.bundled()
            Diagnostics.line("gazetteer: \(gazetteer.entries.count) names")
            let bytes = try NERTrainer(settings: settings).train(train: train, dev: dev, gazetteer: gazetteer) { line in
                Diagnostics.line(String(format6(now() - started)) + "s " + line)
            }
            try Files.writeAtomically(output, bytes)
            Diagnostics.line("wrote \(output): \(bytes.count) bytes in \(format6(now() - started)) s")
        }

        /// Nominal mentions that Résumé labels ORG and MSRA does not (optional spans in partial files).
        static let nominalORG: Set<String> = ["公司", "本公司", "该公司", "子公司", "总公司", "分公司", "集团", "本集团", "该集团",
                                              "集团公司", "本行", "该行", "本院", "学校", "本校"]

        private func now() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }

        private func format6(_ x: Double) -> String { String(Double(Int(x * 10)) / 10) }
    }
}
