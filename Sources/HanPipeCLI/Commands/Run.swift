import ArgumentParser
import HanPipe
#if canImport(Glibc)
import Glibc
#endif

extension HanPipeCommand {
    /// `hanpipe run INPUT… -o DIR`: batch mode.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clean and annotate files and folders into an output folder.",
            discussion: """
            Every input file (folders recursed, hidden entries and links to folders skipped) becomes \
            DIR/<relative path>.txt (clean text) and DIR/<relative path>.json (annotations), plus .ann with \
            --format brat and .html with --format html (an article page: the clean text with entities, \
            numbers and sentences marked, and the edits shown on demand; self-contained, no network), plus \
            DIR/index.html listing every input with its counts; the relative path keeps the input folder's name and drops the file's extension. \
            Files are written atomically, and never outside DIR (a symbolic link to a folder inside DIR is \
            refused). A bad file is reported and skipped; the exit code is then 3. Each input's outputs are \
            followed by a stamp in DIR/.hanpipe/stamps, which --resume uses to skip finished inputs after a crash. \
            Files matching a hanpipe.toml `exclude` glob are skipped when a folder is walked (a file named on \
            the command line is always processed).

            Examples:
              hanpipe run articles -o out
              hanpipe run articles -o out --format json,html    # then open out/index.html
              hanpipe run corpus -o out --format json,brat -j 8 --resume
            """
        )

        @OptionGroup var options: PipelineOptions
        @OptionGroup var model: ModelOption
        @OptionGroup var layout: SentencesOption
        @OptionGroup var workers: WorkersOption

        @Option(name: .customShort("o"), help: ArgumentHelp("The output folder (created if missing).", valueName: "dir"))
        var output: String
        var o: String { output }

        @Option(help: ArgumentHelp("Annotation formats to write besides the clean .txt, comma-separated: json, brat, html. If omitted, json.", valueName: "formats"))
        var format: String = "json"

        @Flag(help: "Skip inputs whose outputs are already complete and current (same input, options and version; see DIR/.hanpipe/stamps).")
        var resume = false

        @Argument(help: "Input files and folders.")
        var inputs: [String]

        var formats: Set<String> { Set(format.split(separator: ",").map { $0.trimmingCharacters() }) }

        func validate() throws {
            if inputs.isEmpty { throw ValidationError("Give at least one input file or folder.") }
            for f in formats where !["json", "brat", "html"].contains(f) {
                throw ValidationError("unknown format '\(f)'; formats are json, brat, html.")
            }
        }

        func run() throws {
            let jobs = try Jobs(options, annotate: true, nerModel: model.nerModel, entitiesDict: model.entitiesDict)
            let frontend = Frontend()
            func report(_ file: String, _ message: String) { frontend.report(file, message) }
            let files = try jobs.prepare(Files.walk(inputs, report: report), named: inputs)
            let formats = self.formats
            if resume { ResumeStamps.sweepTemporaryFiles(under: o) }
            // Two inputs that differ only in extension (a.txt, a.md) would write the same outputs: the
            // first in walk order keeps the name, the others are reported and skipped.
            var owner: [String: String] = [:]
            var collides = Set<Int>()
            for (i, input) in files.enumerated() {
                let name = relativeBase(input.relative)
                if formats.contains("html") && name == "index" {
                    report(input.path, "its page index.html would overwrite the index page; skipped")
                    collides.insert(i)
                } else if let first = owner[name] {
                    report(input.path, "its outputs \(name).* would overwrite those of \(first); skipped")
                    collides.insert(i)
                } else {
                    owner[name] = input.path
                }
            }
            let progress = Progress(total: files.count, enabled: Diagnostics.stderrIsTerminal)
            let html = formats.contains("html")
            let stats = parallelMap(files.count, workers: workers.count) { i -> Stats in
                let input = files[i]
                if collides.contains(i) { return Stats() }
                let relative = relativeBase(input.relative)
                let base = outputBase(input.relative)
                let summaryFile = pageSummaryPath(relative)
                let outputs = [base + ".txt"] + (formats.contains("json") ? [base + ".json"] : [])
                    + (formats.contains("brat") ? [base + ".ann"] : [])
                    + (html ? [base + ".html", summaryFile] : [])
                defer { progress.advance(bytes: Files.size(input.path)) }
                do {
                    let job = try jobs.job(for: input.path)
                    let stamps = ResumeStamps(root: o, settings: settings(try jobs.settings(for: input.path)))
                    if resume && stamps.isCurrent(input: input.path, id: input.relative, relativeBase: relative, outputs: outputs) {
                        // Skipped, but the index still lists it: its counts were kept beside its stamp.
                        if !html { return Stats() }
                        if let summary = readPageSummary(summaryFile) {
                            return Stats(page: HTMLWriter.IndexEntry(summary: summary, link: relative + ".html"))
                        }
                    }
                    try OutputPaths.checkInside(root: o, relative: relative)
                    try OutputPaths.checkInside(root: o, relative: ResumeStamps.folder + "/" + relative)
                    let state = ResumeStamps.inputState(input.path, id: input.relative)
                    // Stamp out, outputs, stamp in: a kill at any point leaves no stamp that vouches for
                    // outputs it did not see written.
                    stamps.invalidate(relative)
                    var stats = try process(input, base: base, job: job, formats: formats)
                    if let page = stats.page {
                        try Files.writeAtomically(summaryFile, Array(pageSummaryLine(page.summary).utf8))
                        stats.page = HTMLWriter.IndexEntry(summary: page.summary, link: relative + ".html")
                    }
                    if let state { try stamps.write(inputState: state, relativeBase: relative, outputs: outputs) }
                    return stats
                } catch {
                    report(input.path, "\(error)")
                    return Stats()
                }
            }
            progress.finish()
            if html {
                // Sorted by link inside `index`, so the page is the same for any -j.
                let index = o.hasSuffix("/") ? o + "index.html" : o + "/index.html"
                do {
                    try Files.writeAtomically(index, HTMLWriter.index(stats.compactMap { $0.page }, title: "hanpipe"))
                } catch {
                    report(index, "\(error)")
                }
            }
            sync()  // outputs were renamed into place unsynced; make them durable once, before exiting
            if Diagnostics.stderrIsTerminal {
                let total = stats.reduce(Stats(), +)
                Diagnostics.line("\(files.count) files, \(total.glosses) glosses removed, \(total.sentences) sentences, "
                                 + "\(total.entities) entities, \(total.numbers) numbers, \(frontend.errors) errors")
            }
            try frontend.finish()
        }

        /// Streams one input into its output files, chunk by chunk (bounded memory on any input size).
        func process(_ input: Files.Input, base: String, job: Job, formats: Set<String>) throws -> Stats {
            var reader = try BlockReader(path: input.path)
            let txt = try AtomicFile(base + ".txt")
            let target = job.pipeline.options.target
            let annotations = StreamedDocument(id: input.relative, target: target, fields: job.pipeline.registry.fields)
            let page = formats.contains("html") ? HTMLWriter.Stream(id: input.relative, target: target) : nil
            var text = TextWriter.Stream(sentences: layout.sentences)
            try job.stream(id: input.relative, read: { try reader.next() }) { doc, chunk in
                try txt.write(text.text(doc, endsLine: chunk.endsLine))
                try annotations.add(doc)
                try page?.add(doc)
            }
            try txt.commit()
            if formats.contains("json") {
                let json = try AtomicFile(base + ".json")
                try annotations.writeJSON { try json.write($0) }
                try json.commit()
            }
            if formats.contains("brat") {
                let ann = try AtomicFile(base + ".ann")
                try annotations.writeBrat { try ann.write($0) }
                try ann.commit()
            }
            if let page {
                let file = try AtomicFile(base + ".html")
                try page.write { try file.write($0) }
                try file.commit()
            }
            let s = annotations.stats
            return Stats(glosses: s.glosses, sentences: s.sentences, entities: s.entities, numbers: s.numbers,
                         page: page.map { HTMLWriter.IndexEntry(summary: $0.summary, link: "") })
        }

        /// The relative path without its extension.
        func relativeBase(_ relative: String) -> String {
            var name = relative
            if let dot = name.lastIndex(of: "."), let slash = name.lastIndex(of: "/") ?? Optional(name.startIndex),
               dot > slash, dot != name.startIndex, name[name.index(before: dot)] != "/" {
                name = String(name[..<dot])
            }
            return name
        }

        /// DIR/<relative path without its extension>.
        func outputBase(_ relative: String) -> String {
            let name = relativeBase(relative)
            return o.hasSuffix("/") ? o + name : "\(o)/\(name)"
        }

        /// Where an input's page counts are kept for the index of a later `--resume` (beside its stamp).
        func pageSummaryPath(_ relativeBase: String) -> String {
            (o.hasSuffix("/") ? o : o + "/") + ResumeStamps.folder + "/" + relativeBase + ".page"
        }

        /// One line: id, then sentences, PER, LOC, ORG, numbers and edits, TAB-separated (the id may not
        /// hold a TAB or LF: it is escaped as \t, \n and \\).
        func pageSummaryLine(_ s: HTMLWriter.Summary) -> String {
            var id = ""
            for c in s.id {
                switch c {
                case "\\": id += "\\\\"
                case "\t": id += "\\t"
                case "\n": id += "\\n"
                default: id.append(c)
                }
            }
            return "\(id)\t\(s.sentences)\t\(s.per)\t\(s.loc)\t\(s.org)\t\(s.numbers)\t\(s.edits)\n"
        }

        func readPageSummary(_ path: String) -> HTMLWriter.Summary? {
            guard let bytes = try? BlockReader.readAll(path), let line = String(validating: bytes, as: UTF8.self),
                  line.hasSuffix("\n") else { return nil }
            let fields = line.dropLast().split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 7 else { return nil }
            let counts = fields.dropFirst().compactMap { Int($0) }
            guard counts.count == 6 else { return nil }
            var id = ""
            var escaped = false
            for c in fields[0] {
                if escaped { id.append(c == "t" ? "\t" : c == "n" ? "\n" : c); escaped = false }
                else if c == "\\" { escaped = true }
                else { id.append(c) }
            }
            var s = HTMLWriter.Summary(id: id)
            s.sentences = counts[0]; s.per = counts[1]; s.loc = counts[2]; s.org = counts[3]
            s.numbers = counts[4]; s.edits = counts[5]
            return s
        }

        /// Everything besides an input's own state that decides its outputs, for the resume stamps.
        func settings(_ resolved: ResolvedSettings) -> [String] {
            var model = "bundled"
            if let path = self.model.nerModel {
                var st = stat()
                model = stat(path, &st) == 0 ? "\(path) size \(st.st_size) mtime \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)" : path
            }
            return ["hanpipe \(HanPipeCommand.version) ICU \(ICU.version)",
                    "sentences \(layout.sentences) exact-icu \(options.exactIcu) variants \(options.variants?.rawValue ?? "none")",
                    "icu-convert \(options.icuConvert)"] + resolved.stampLines + [
                    "max-line-bytes \(options.maxLineBytes) ner-model \(model)",
                    "formats \(formats.sorted().joined(separator: ","))"]
        }
    }
}

/// Counts for the summary line.
struct Stats {
    var glosses = 0, sentences = 0, entities = 0, numbers = 0
    /// The input's entry in index.html (`--format html`).
    var page: HTMLWriter.IndexEntry?


    static func + (a: Stats, b: Stats) -> Stats {
        var s = a
        s.page = nil
        s.glosses += b.glosses; s.sentences += b.sentences; s.entities += b.entities; s.numbers += b.numbers
        return s
    }
}

/// A progress bar on standard error, drawn only when it is a terminal.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private let lock = NSLockLite()
    private var done = 0
    private var bytes = 0
    private let start = Progress.now()
    private var lastDraw = 0.0

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func advance(bytes n: Int) {
        guard enabled else { return }
        lock.locked {
            done += 1
            bytes += n
            let t = Progress.now()
            if t - lastDraw < 0.1 && done < total { return }
            lastDraw = t
            let elapsed = max(t - start, 1e-6)
            let rate = Double(bytes) / elapsed / 1e6
            let left = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            let line = "\r[\(bar)] \(done)/\(total) files  \(String(format1: rate)) MB/s  \(Int(left))s left"
            Diagnostics.raw(line)
        }
    }

    func finish() {
        guard enabled else { return }
        Diagnostics.raw("\r\u{1B}[K")
    }
}

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
