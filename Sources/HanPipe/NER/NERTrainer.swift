/// Trains an entity model: a structured averaged perceptron over `NERFeatures`, decoded with `Viterbi`.
///
/// Rule: features seen at least `minCount` times in the training text are kept. Each epoch visits the
/// training sentences in an order shuffled by a SplitMix64 generator seeded with `seed`; a wrongly tagged
/// sentence moves the weights of the gold tags up and of the predicted tags down (features at positions
/// where the tags differ, and every transition). With `marginCost`, the decode of a training step adds that
/// cost to every tag the labels rule out, so the step also updates a sentence whose right tags win by less
/// than the cost times the number of characters they differ on (a cost-augmented, large-margin update).
/// Partial labels (`NERExample.unmarked`, `optional`: a corpus that marks no LOC, or nominal 公司) are a
/// latent-variable update: the "gold" sequence is the best-scoring
/// sequence, under the current weights, among those that agree with the labels that are given
/// (`NERExample.allowedTags`), and a prediction that agrees with them is no mistake. So a set that does not
/// mark places never teaches that a place is `O`; a set marked `unmarkedOnlyWhereListed` has its unmarked
/// places looked for only inside place-gazetteer matches. Letting them be anywhere lets the latent update
/// keep whatever LOC the model once guessed in text the set does not label (Résumé's 财务部 and 监事会 came
/// out as places); listed-only cures that but teaches that unlisted places are `O`. Weights are averaged over all steps. After each epoch
/// the averaged model is scored on the dev sets; the epoch with the best mean dev F1 is kept, each set's F1
/// weighed by the square root of its number of gold entities (an F1 on 63 entities moves by several points
/// from one epoch to the next by chance alone, one on 3,800 by a few tenths; weighing by the count itself
/// would let the two 1998 newspaper sets decide alone). Features
/// whose averaged weights are all below `prune` in magnitude are dropped from the written model. With
/// `runs` > 1, that many runs with consecutive seeds are trained and their chosen weights averaged. Nothing
/// depends on hashing seeds, threads or clocks, so the same inputs and settings give the same bytes.
/// Regularisation (`featureDropout`, `nameDropout`) hides some feature occurrences from one update; the
/// hidden ones are drawn from the run's generator, so they too are the same on every run.
public struct NERTrainer {
    public struct Settings: Sendable {
        public var epochs = 12
        public var minCount = 2
        public var seed: UInt64 = 1
        /// Independent runs (seeds `seed`, `seed + 1`, …) whose chosen weights are averaged.
        public var runs = 1
        public var prune: Float = 0.01
        /// The share of feature occurrences (not the bias) that each training step ignores, drawn from the
        /// run's generator: the model cannot lean on the characters of names it has seen alone, so it learns
        /// the context, gazetteer and cluster features that also fire on names it has not.
        public var featureDropout: Float = 0
        /// The share of labelled names whose characters lose, for one training step, every feature that
        /// spells a character or word (`NERFeatures.identityTemplates`): a name seen in training then looks
        /// like one that was not, and only its context, gazetteer, class and cluster features are left.
        public var nameDropout: Float = 0
        /// Take the word features (templates 13–15) from ICU's dictionary break iterator instead of the
        /// longest match over the gazetteer's dictionary words. Off by default: ICU's iterator costs more than
        /// all other features together.
        public var useWords = false
        /// Cost-augmented decoding: each training decode adds this much to the score of every tag the labels
        /// rule out (a wrong tag, or one a partial label forbids), so a sentence is also updated when the right
        /// tags win by less than their Hamming distance times the cost. 0: the plain perceptron.
        public var marginCost: Float = 0
        public init() {}
    }

    public var settings: Settings
    public init(settings: Settings) { self.settings = settings }

    /// The tags each character of `ex` may take in training (`NERExample.allowedTags`); with `places` (the
    /// place-gazetteer tags of its characters, `NERFeatures.place`), an unmarked LOC only where a place
    /// name matches.
    static func allowedTags(_ ex: NERExample, places: [UInt64]?) -> [UInt16]? {
        guard var allowed = ex.allowedTags() else { return nil }
        let loc = NERTags.index(of: .LOC)
        if let places, ex.unmarked.contains(loc) {
            for i in allowed.indices where i >= places.count || places[i] == 0 { allowed[i] &= ~NERTags.mask(of: loc) }
        }
        return allowed
    }

    /// One example as feature indices (`-1` for features not kept) and gold tags.
    struct Encoded {
        var features: [Int32]
        var gold: [UInt8]
        /// Allowed tags per character when the labels are partial.
        var allowed: [UInt16]?
        var example: NERExample
    }

    /// Trains and returns the model file's bytes. `log` receives progress lines.
    public func train(train: [NERExample], dev: [(name: String, examples: [NERExample])], gazetteer: Gazetteer,
                      log: (String) -> Void) throws -> [UInt8] {
        let k = NERFeatures.templateCount, nt = NERTags.count
        let lexiconPairs = gazetteer.tablePairs()
        let lexiconModel = try NERModel.make(transitions: [Float](repeating: 0, count: nt * nt), features: [], lexicon: lexiconPairs,
                                             flags: settings.useWords ? 1 : 0)
        let breaker = try BreakIterator(.word, locale: "zh")
        var extractor = NERFeatures()
        extractor.wordSource = settings.useWords ? .icu : .lexicon
        let flags: UInt32 = settings.useWords ? 1 : 0
        var buffer: [UInt64] = []

        // Pass 1: every key of every training position, and how often each occurs.
        var allKeys: [UInt64] = []
        var counts: [UInt64: Int32] = [:]
        var allowed: [[UInt16]?] = []
        for ex in train {
            try extractor.extract(ex.text[...], lexicon: lexiconModel.lexicon, breaker: breaker, into: &buffer)
            allKeys.append(contentsOf: buffer)
            for key in buffer where key != 0 { counts[key, default: 0] += 1 }
            allowed.append(NERTrainer.allowedTags(ex, places: ex.unmarkedOnlyWhereListed ? extractor.place : nil))
        }
        let kept = counts.filter { $0.value >= Int32(settings.minCount) }.map(\.key).sorted()
        counts = [:]
        var index: [UInt64: Int32] = [:]
        index.reserveCapacity(kept.count)
        for (i, key) in kept.enumerated() { index[key] = Int32(i) }
        log("features: \(kept.count) kept (seen ≥ \(settings.minCount) times) from \(train.count) sentences")

        var encoded: [Encoded] = []
        encoded.reserveCapacity(train.count)
        var offset = 0
        for (e, ex) in train.enumerated() {
            let n = ex.text.count
            let f = allKeys[offset..<offset + n * k].map { index[$0] ?? -1 }
            offset += n * k
            encoded.append(Encoded(features: f, gold: NERTags.encode(ex.scoredSpans, length: n), allowed: allowed[e], example: ex))
        }
        allKeys = []
        allowed = []
        var devEncoded: [[Encoded]] = []
        for (_, examples) in dev {
            devEncoded.append(try examples.map { ex in
                try extractor.extract(ex.text[...], lexicon: lexiconModel.lexicon, breaker: breaker, into: &buffer)
                return Encoded(features: buffer.map { index[$0] ?? -1 }, gold: NERTags.encode(ex.scoredSpans, length: ex.text.count),
                               allowed: nil, example: ex)
            })
        }

        let nf = kept.count
        let viterbi = Viterbi()
        var devEmission: [Float] = []
        var devBack: [UInt8] = []
        /// The best tags of a dev example under `weights` and `transitions`.
        func score(_ e: Encoded, weights: UnsafeBufferPointer<Float>, transitions: [Float]) -> [UInt8] {
            let n = e.gold.count
            if devEmission.count < n * nt { devEmission = [Float](repeating: 0, count: n * nt) }
            for i in 0..<(n * nt) { devEmission[i] = 0 }
            for i in 0..<n {
                for j in 0..<k {
                    let f = Int(e.features[i * k + j])
                    if f < 0 { continue }
                    for t in 0..<nt { devEmission[i * nt + t] += weights[f * nt + t] }
                }
            }
            var tags: [UInt8] = []
            _ = devEmission.withUnsafeBufferPointer { em in
                transitions.withUnsafeBufferPointer { tr in
                    viterbi.decode(emission: em.baseAddress!, length: n, transition: tr.baseAddress!, back: &devBack, tags: &tags)
                }
            }
            return tags
        }
        /// The weighted mean dev F1 of a model (nil without dev sets), and a log line with each set's scores.
        func evaluate(_ weights: [Float], _ transitions: [Float]) -> (mean: Double?, line: String) {
            var fs: [(f: Double, weight: Double)] = []
            var line = ""
            weights.withUnsafeBufferPointer { aw in
                for (d, examples) in devEncoded.enumerated() {
                    var sc = NERScore()
                    for e in examples where !e.gold.isEmpty {
                        sc.add(predicted: NERTags.decode(score(e, weights: aw, transitions: transitions)), of: e.example)
                    }
                    fs.append((sc.micro.f, Double(sc.gold.reduce(0, +)).squareRoot()))
                    line += " · \(dev[d].name) \(sc.summary)"
                }
            }
            let total = fs.reduce(0) { $0 + $1.weight }
            return (total == 0 ? nil : fs.reduce(0) { $0 + $1.f * $1.weight } / total, line)
        }

        var ensembleWeights = [Float](repeating: 0, count: nf * nt)
        var ensembleTransitions = [Float](repeating: 0, count: nt * nt)
        let runs = max(1, settings.runs)
        for run in 0..<runs {
            var w = [Int32](repeating: 0, count: nf * nt)
            var u = [Int64](repeating: 0, count: nf * nt)
            var tw = [Int32](repeating: 0, count: nt * nt)
            var tu = [Int64](repeating: 0, count: nt * nt)
            var step: Int64 = 1
            var rng = SplitMix64(seed: settings.seed &+ UInt64(run))
            let dropThreshold = NERTrainer.threshold(settings.featureDropout)
            let nameThreshold = NERTrainer.threshold(settings.nameDropout)
            var order = Array(0..<encoded.count)
            var emission: [Float] = []
            var back: [UInt8] = []
            var predicted: [UInt8] = []
            var latentGold: [UInt8] = []
            var acc = [Int32](repeating: 0, count: nt)
            var best: (f: Double, epoch: Int, weights: [Float], transitions: [Float]) = (-1, 0, [], [])

            for epoch in 1...max(1, settings.epochs) {
                for i in stride(from: order.count - 1, to: 0, by: -1) {
                    let j = Int(rng.next() % UInt64(i + 1))
                    order.swapAt(i, j)
                }
                var mistakes = 0
                for s in order {
                    var e = encoded[s]
                    let n = e.gold.count
                    if n == 0 { continue }
                    hide(&e, rng: &rng, feature: dropThreshold, name: nameThreshold)
                    // Decode with the current (not averaged) weights.
                    if emission.count < n * nt { emission = [Float](repeating: 0, count: n * nt) }
                    w.withUnsafeBufferPointer { w in
                        e.features.withUnsafeBufferPointer { fs in
                            for i in 0..<n {
                                for t in 0..<nt { acc[t] = 0 }
                                for j in 0..<k {
                                    let f = Int(fs[i * k + j])
                                    if f < 0 { continue }
                                    for t in 0..<nt { acc[t] &+= w[f * nt + t] }
                                }
                                for t in 0..<nt { emission[i * nt + t] = Float(acc[t]) }
                            }
                        }
                    }
                    if settings.marginCost > 0 {
                        let cost = settings.marginCost
                        for i in 0..<n {
                            for t in 0..<nt where e.allowed.map({ $0[i] & NERTags.bit(t) == 0 }) ?? (t != Int(e.gold[i])) {
                                emission[i * nt + t] += cost
                            }
                        }
                    }
                    let trans = tw.map(Float.init)
                    _ = emission.withUnsafeBufferPointer { em in
                        trans.withUnsafeBufferPointer { tr in
                            viterbi.decode(emission: em.baseAddress!, length: n, transition: tr.baseAddress!, back: &back, tags: &predicted)
                        }
                    }
                    var gold = e.gold
                    if let allowed = e.allowed {
                        // Partial labels: a prediction that agrees with them is right; else the gold is the
                        // best sequence that agrees.
                        if zip(predicted, allowed).allSatisfy({ $0.1 & NERTags.bit(Int($0.0)) != 0 }) {
                            step += 1
                            continue
                        }
                        for i in 0..<n {
                            for t in 0..<nt where allowed[i] & NERTags.bit(t) == 0 { emission[i * nt + t] = -1e30 }
                        }
                        _ = emission.withUnsafeBufferPointer { em in
                            trans.withUnsafeBufferPointer { tr in
                                viterbi.decode(emission: em.baseAddress!, length: n, transition: tr.baseAddress!, back: &back, tags: &latentGold)
                            }
                        }
                        gold = latentGold
                    }
                    if predicted != gold {
                        mistakes += 1
                        for i in 0..<n where predicted[i] != gold[i] {
                            let g = Int(gold[i]), p = Int(predicted[i])
                            for j in 0..<k {
                                let f = Int(e.features[i * k + j])
                                if f < 0 { continue }
                                w[f * nt + g] += 1; u[f * nt + g] += step
                                w[f * nt + p] -= 1; u[f * nt + p] -= step
                            }
                        }
                        for i in 1..<max(n, 1) {
                            let g = Int(gold[i - 1]) * nt + Int(gold[i])
                            let p = Int(predicted[i - 1]) * nt + Int(predicted[i])
                            if g != p { tw[g] += 1; tu[g] += step; tw[p] -= 1; tu[p] -= step }
                        }
                    }
                    step += 1
                }
                // Averaged weights: w − u / step.
                let c = Double(step)
                var avg = [Float](repeating: 0, count: nf * nt)
                for i in 0..<(nf * nt) where w[i] != 0 || u[i] != 0 { avg[i] = Float(Double(w[i]) - Double(u[i]) / c) }
                let avgT = (0..<(nt * nt)).map { Float(Double(tw[$0]) - Double(tu[$0]) / c) }
                let (devMean, scores) = evaluate(avg, avgT)
                log("epoch \(epoch): \(mistakes) sentences wrong" + scores)
                let mean = devMean ?? Double(epoch)
                if mean > best.f { best = (mean, epoch, avg, avgT) }
            }
            log("run \(run + 1): best epoch \(best.epoch)")
            for i in 0..<(nf * nt) { ensembleWeights[i] += best.weights[i] / Float(runs) }
            for i in 0..<(nt * nt) { ensembleTransitions[i] += best.transitions[i] / Float(runs) }
        }

        var features: [(key: UInt64, weights: [Float])] = []
        for f in 0..<nf {
            let row = Array(ensembleWeights[(f * nt)..<((f + 1) * nt)])
            if row.contains(where: { abs($0) >= settings.prune }) { features.append((kept[f], row)) }
        }
        let bytes = NERModel.serialize(transitions: ensembleTransitions, features: features, lexicon: lexiconPairs, flags: flags)
        // Score the written model itself (pruned and quantised) through the tagging path the stage uses.
        let model = try NERModel.make(transitions: ensembleTransitions, features: features, lexicon: lexiconPairs, flags: flags)
        var scratch = NERScratch()
        var line = "model: \(features.count) features after pruning below \(settings.prune), \(bytes.count) bytes"
        for (name, examples) in dev {
            var sc = NERScore()
            for ex in examples { sc.add(predicted: try model.tag(ex.text[...], scratch: &scratch, breaker: breaker), of: ex) }
            line += " · \(name) \(sc.summary)"
        }
        log(line)
        return bytes
    }
}

extension NERTrainer {
    /// A share as the bound below which a draw of the generator hides a feature (or name).
    static func threshold(_ share: Float) -> UInt64 { UInt64(Double(min(max(share, 0), 0.99)) * 0x1p64) }

    /// Hides, for one training step, a share of `e`'s feature occurrences (never the bias, template 0) and
    /// every character and word feature of a share of its labelled names (`Settings.featureDropout`,
    /// `nameDropout`, as thresholds of `threshold`).
    func hide(_ e: inout Encoded, rng: inout SplitMix64, feature: UInt64, name: UInt64) {
        let k = NERFeatures.templateCount, n = e.gold.count
        if feature > 0 {
            for i in 0..<n {
                for j in 1..<k where e.features[i * k + j] >= 0 && rng.next() < feature { e.features[i * k + j] = -1 }
            }
        }
        if name > 0 {
            for span in NERTags.decode(e.gold) where rng.next() < name {
                for p in span.range { for j in NERFeatures.identityTemplates { e.features[p * k + j] = -1 } }
            }
        }
    }
}

/// SplitMix64: a small, fully specified pseudo-random generator, so shuffles are the same everywhere.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix64(state &- 0x9E37_79B9_7F4A_7C15)
    }
}
