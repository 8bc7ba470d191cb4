import Foundation
import FuzzLaws
import HanPipe

/// Fuzz target: one JSON Lines record through `annotate --jsonl` (Job.processLine, with `--to keep`).
/// Laws: a line that is passed through comes back byte for byte; a processed record is valid JSON, its
/// annotations obey the laws with the input's `text` as the source, and every other member of the input
/// comes back with the same value. When Foundation's parser reads the line as an object with a string
/// `text`, hanpipe must process that object as Foundation writes it rather than pass it through.
enum JSONLFuzz {
    static let job: Job = {
        var options = Pipeline.Options()
        options.target = .keep
        do { return Job(pipeline: try Pipeline(options: options), maxLineBytes: 1 << 20) } catch {
            Laws.fail("cannot build the pipeline: \(error)")
        }
    }()

    /// The members annotate adds: `to`, the registry's fields and `edits`.
    static let added = Set(["to"] + Laws.annotationKeys())

    /// A value's canonical JSON spelling (sorted keys), to compare values across two parses.
    static func canonical(_ value: Any) -> Data? {
        try? JSONSerialization.data(withJSONObject: ["v": value], options: [.sortedKeys])
    }

    static func run(_ input: [UInt8]) {
        // The CLI splits lines at LF and drops a CR before it.
        var line = input[..<(input.firstIndex(of: 0x0A) ?? input.endIndex)]
        if line.last == 0x0D { line = line.dropLast() }
        let reference = try? JSONSerialization.jsonObject(with: Laws.escapingBOM(line.starts(with: [0xEF, 0xBB, 0xBF]) ? line.dropFirst(3) : line)) as? [String: Any]
        switch job.processLine(line, lineNumber: 1, annotate: true) {
        case let .passThrough(bytes, message):
            if bytes != Array(line) { Laws.fail("a passed-through line changed") }
            if message.isEmpty { Laws.fail("a line passed through without a message") }
            // Foundation's parser is more lenient than RFC 8259 (it takes trailing commas), so the
            // law is checked on what Foundation writes, which is strict JSON.
            if let reference, reference["text"] is String,
               let strict = try? JSONSerialization.data(withJSONObject: reference),
               case let .passThrough(_, why) = job.processLine(Array(strict)[...], lineNumber: 1, annotate: true) {
                Laws.fail("a valid record was passed through: \(why) (first: \(message))")
            }
        case let .record(bytes):
            if bytes.contains(0x0A) { Laws.fail("an output record spans lines") }
            let record: JSONLRecord
            do { record = try JSONLRecord(line.starts(with: [0xEF, 0xBB, 0xBF]) ? line.dropFirst(3) : line) } catch {
                Laws.fail("processed a record JSONLRecord rejects")
            }
            var doc = Document(id: "fuzz", source: record.text)
            do { doc = try job.document(record: record, fallbackID: "line 1") } catch { Laws.fail("processLine and document disagree") }
            guard reference != nil else {
                // Foundation refuses some valid JSON that passes through untouched (numbers beyond a
                // Double, nesting deeper than its limit): the output is then checked with hanpipe's own
                // parser, and the annotations through the document writer.
                guard let again = try? JSONLRecord(bytes[...]), again.text == doc.text else {
                    Laws.fail("output record does not parse back")
                }
                Laws.require("annotations") { try Laws.checkAll(doc, rebuild: true) }
                return
            }
            Laws.require("document") { try Laws.check(doc, rebuild: true) }
            var out: [String: Any] = [:]
            Laws.require("output record") {
                out = try Laws.parseObject(bytes, what: "output record")
                try Laws.checkAnnotation(out, source: record.text, text: doc.text, rebuild: true)
            }
            // Members other than text and the annotation fields pass through with their values,
            // when Foundation reads the input the same way (no duplicate keys that it resolves otherwise).
            guard let reference, let refText = reference["text"] as? String,
                  refText.unicodeScalars.map(\.value) == record.text else { return }
            for (key, value) in reference where key != "text" && !added.contains(key) {
                guard let got = out[key] else { Laws.fail("member \(key) was dropped") }
                if canonical(got) != canonical(value) { Laws.fail("member \(key) changed") }
            }
        }
    }
}

Laws.runFuzzer(warmUp: #"{"id": 1, "text": "長三角(chang san jiao)生(sheng)態。2023年"}"#) { bytes in
    JSONLFuzz.run(bytes)
}
