import ArgumentParser
import HanPipe
#if canImport(Glibc)
import Glibc
#endif

/// The `--jsonl` mode of clean and annotate: records are read in batches, processed on `workers`
/// threads and written in input order, so memory stays bounded and output never depends on `-j`.
enum JSONLines {
    static let batchLines = 512

    static func run(_ files: [String], job: Job, annotate: Bool, workers: Int, frontend: Frontend) {
        for path in files.isEmpty ? ["-"] : files {
            let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                frontend.report(path, String(cString: strerror(errno)))
                continue
            }
            defer { if fd != 0 { close(fd) } }
            var reader = LineReader(fd: fd, limit: job.lineLimit)
            do {
                while true {
                    var batch: [(line: LineReader.Line, number: Int)] = []
                    while batch.count < batchLines * workers, let line = try reader.next() {
                        batch.append((line, reader.lineNumber))
                    }
                    if batch.isEmpty { break }
                    let results = parallelMap(batch.count, workers: workers) { i -> Job.LineResult in
                        switch batch[i].line {
                        case let .line(bytes, offset):
                            // Blank lines pass through silently.
                            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .passThrough(Array(bytes), message: "") }
                            return job.processLine(bytes, lineNumber: batch[i].number, annotate: annotate, byteOffset: offset)
                        case let .tooLong(offset):
                            // The line was not kept: an empty line holds its place in the output.
                            return job.refusedLine(lineNumber: batch[i].number, byteOffset: offset)
                        }
                    }
                    for result in results {
                        switch result {
                        case let .record(bytes):
                            Output.write(bytes); Output.write([0x0A])
                        case let .passThrough(bytes, message):
                            if !message.isEmpty { frontend.report(path, message) }
                            Output.write(bytes); Output.write([0x0A])
                        }
                    }
                }
            } catch {
                frontend.report(path, "\(error)")
            }
        }
    }
}
