import Foundation
import HanPipe

/// The laws every hanpipe output obeys, checked by the fuzz targets on the JSON as written (parsed back
/// with Foundation's JSONSerialization, an independent parser), not on the in-memory document:
///
/// - the output is valid JSON;
/// - every span lies inside the text (and its source offsets inside the source), spans of one kind are
///   in order and do not overlap, and an entity's or number's `text` equals its slice of the text;
/// - every edit's `from` equals its slice of the source, edits come in source order, and with `--to keep`
///   applying the edits to `text` (each replaces `to` by `from`) gives back the decoded source exactly.
///
/// A violation aborts the process, which libFuzzer reports as a crash and saves as a reproducer.
public enum Laws {
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("LAW VIOLATED: \(message)\n".utf8))
        abort()
    }

    static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    /// The bytes with every raw U+FEFF (EF BB BF) spelled `\ufeff`. Foundation's JSONSerialization drops
    /// a raw U+FEFF at the start of a string value (it reads it as a byte order mark), but keeps the
    /// escaped form; outside strings the bytes are invalid either way, so the rewrite changes no verdict.
    public static func escapingBOM(_ bytes: some Collection<UInt8>) -> Data {
        var out = Data()
        out.reserveCapacity(bytes.count)
        var it = Array(bytes)[...]
        while let b = it.first {
            if b == 0xEF && it.count >= 3 && it.dropFirst().first == 0xBB && it.dropFirst(2).first == 0xBF {
                out.append(contentsOf: Array("\\ufeff".utf8)); it = it.dropFirst(3)
            } else {
                out.append(b); it = it.dropFirst()
            }
        }
        return out
    }

    /// Parses a JSON object written by hanpipe, or fails.
    public static func parseObject(_ bytes: [UInt8], what: String) -> [String: Any] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: escapingBOM(bytes), options: [.fragmentsAllowed])
        } catch {
            fail("\(what) is not valid JSON (\(error)): \(String(decoding: bytes.prefix(300), as: UTF8.self))")
        }
        guard let dict = object as? [String: Any] else { fail("\(what) is not a JSON object") }
        return dict
    }

    /// Checks one annotation object. `source` is the decoded source; `text` the document's clean text;
    /// `rebuild` says whether the source must be rebuilt exactly (true with `--to keep`).
    public static func checkAnnotation(_ obj: [String: Any], source: [UInt32], text expected: [UInt32], rebuild: Bool) {
        guard let textString = obj["text"] as? String else { fail("no string text") }
        let text = scalars(textString)
        if text != expected { fail("JSON text differs from the document's text") }
        guard obj["to"] is String else { fail("no string \"to\"") }

        func int(_ d: [String: Any], _ key: String, _ what: String) -> Int {
            guard let n = d[key] as? NSNumber, let v = Int(exactly: n.doubleValue) else { fail("\(what): \(key) is not an integer") }
            return v
        }
        func objects(_ key: String) -> [[String: Any]] {
            guard let array = obj[key] as? [Any] else { fail("\(key) is not an array") }
            return array.map { item in
                guard let d = item as? [String: Any] else { fail("\(key) holds a non-object") }
                return d
            }
        }
        /// Bounds and order of the spans of one kind; returns their text ranges.
        func spans(_ key: String) -> [(Range<Int>, [String: Any])] {
            var previousEnd = 0
            var result: [(Range<Int>, [String: Any])] = []
            for (k, d) in objects(key).enumerated() {
                let what = "\(key)[\(k)]"
                let start = int(d, "start", what), end = int(d, "end", what)
                let ss = int(d, "source_start", what), se = int(d, "source_end", what)
                guard 0 <= start, start <= end, end <= text.count else { fail("\(what) \(start)..<\(end) outside text of \(text.count)") }
                guard 0 <= ss, ss <= se, se <= source.count else { fail("\(what) source \(ss)..<\(se) outside source of \(source.count)") }
                guard start >= previousEnd else { fail("\(what) overlaps or precedes the span before it") }
                if start == end && key != "sentences" { fail("\(what) is empty") }
                previousEnd = end
                result.append((start..<end, d))
            }
            return result
        }
        for (range, _) in spans("sentences") where range.isEmpty { fail("empty sentence at \(range.lowerBound)") }
        for (range, d) in spans("entities") {
            guard let t = d["text"] as? String, scalars(t) == Array(text[range]) else { fail("entity text is not its slice at \(range)") }
            guard let type = d["type"] as? String, ["PER", "LOC", "ORG"].contains(type) else { fail("bad entity type") }
        }
        for (range, d) in spans("numbers") {
            guard let t = d["text"] as? String, scalars(t) == Array(text[range]) else { fail("number text is not its slice at \(range)") }
            guard let kind = d["kind"] as? String,
                  ["cardinal", "decimal", "percent", "fraction", "ordinal", "range", "money", "date"].contains(kind)
            else { fail("bad number kind") }
            guard d["value"] is NSNumber || d["value"] is String || d["value"] is NSNull else { fail("bad number value") }
            if let unit = d["unit"] {
                guard let u = unit as? String, !u.isEmpty, scalars(t).count >= scalars(u).count else { fail("bad unit") }
            }
        }
        checkEdits(objects("edits"), source: source, text: text, rebuild: rebuild)
    }

    /// The edit laws: each `from` is its source slice, edits are in source order, and (with `rebuild`)
    /// text + edits gives back the source.
    public static func checkEdits(_ edits: [[String: Any]], source: [UInt32], text: [UInt32], rebuild: Bool,
                                  stages: Set<String> = ["decode", "repair", "normalize", "degloss"]) {
        var s = 0, t = 0
        var rebuilt: [UInt32] = []
        rebuilt.reserveCapacity(source.count)
        for (k, e) in edits.enumerated() {
            let what = "edits[\(k)]"
            guard let stage = e["stage"] as? String, stages.contains(stage) else { fail("\(what): bad stage") }
            guard let a = (e["source_start"] as? NSNumber).map({ $0.intValue }),
                  let b = (e["source_end"] as? NSNumber).map({ $0.intValue }),
                  let fromString = e["from"] as? String, let toString = e["to"] as? String
            else { fail("\(what): missing fields") }
            guard s <= a, a <= b, b <= source.count else { fail("\(what) source \(a)..<\(b) out of order or outside \(source.count) (after \(s))") }
            let from = scalars(fromString), to = scalars(toString)
            if from != Array(source[a..<b]) { fail("\(what): from is not source[\(a)..<\(b)]") }
            if from == to { fail("\(what): an edit that changes nothing") }
            guard rebuild else { s = b; continue }
            let gap = a - s
            guard t + gap + to.count <= text.count else { fail("\(what): runs past the end of the text") }
            rebuilt.append(contentsOf: text[t..<(t + gap)])
            t += gap
            if Array(text[t..<(t + to.count)]) != to { fail("\(what): to is not the text at \(t)") }
            t += to.count
            rebuilt.append(contentsOf: from)
            s = b
        }
        guard rebuild else { return }
        rebuilt.append(contentsOf: text[t...])
        if rebuilt != source {
            let at = zip(rebuilt, source).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(rebuilt.count, source.count)
            fail("text + edits does not rebuild the source (first difference at \(at); \(rebuilt.count) vs \(source.count))")
        }
    }
}

import CFuzzDriver

extension Laws {
    /// The body of the test function libFuzzer calls with each input.
    nonisolated(unsafe) static var body: ([UInt8]) -> Void = { _ in }

    /// Hands the process over to libFuzzer's driver with the command-line arguments; `test` is run on
    /// each input. It runs first on `warmUp`, outside the driver's clock, so that one-time set-up (the
    /// readings table, ICU's data and pools: about a second under the fuzzer's instrumentation) is not
    /// charged to the first input as a timeout. Never returns.
    public static func runFuzzer(warmUp: String = "長三角(chang san jiao)生(sheng)態。2023年", _ test: @escaping ([UInt8]) -> Void) -> Never {
        test(Array(warmUp.utf8))
        body = test
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Laws.body(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
        exit(status)
    }
}
