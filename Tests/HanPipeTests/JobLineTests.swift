import Testing
@testable import HanPipe

/// Job.processLine: a byte order mark on the first JSONL line, and the --max-line-bytes message.
@Suite struct JobLineTests {
    let job: Job = {
        var options = Pipeline.Options()
        options.target = .keep
        options.annotate = false
        return Job(pipeline: try! Pipeline(options: options), maxLineBytes: 32)
    }()

    func output(_ result: Job.LineResult) -> String? {
        if case let .record(bytes) = result { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    @Test func aBOMOnLineOneIsNotPartOfTheRecord() {
        let line = [0xEF, 0xBB, 0xBF] + Array(#"{"text": "生(sheng)"}"#.utf8)
        #expect(output(job.processLine(line[...], lineNumber: 1, annotate: false)) == #"{"text": "生"}"#)
        // Elsewhere a BOM is not whitespace: the line is passed through as not JSON.
        guard case let .passThrough(bytes, message) = job.processLine(line[...], lineNumber: 2, annotate: false) else {
            Issue.record("a BOM inside the file was accepted"); return
        }
        #expect(bytes == line)
        #expect(message == "line 2: not valid JSON (not an object)")
    }

    @Test func anOverlongLineNamesItsLimitAndOffset() {
        let line = Array(#"{"text": "0123456789012345678901234567890123456789"}"#.utf8)[...]
        guard case let .passThrough(_, message) = job.processLine(line, lineNumber: 3, annotate: false, byteOffset: 120) else {
            Issue.record("an overlong line was processed"); return
        }
        #expect(message == "line 3: line at byte offset 120 is longer than 32 bytes (see --max-line-bytes)")
        guard case let .passThrough(_, unknown) = job.processLine(line, lineNumber: 3, annotate: false) else { return }
        #expect(unknown == "line 3: longer than 32 bytes (see --max-line-bytes)")
    }
}
