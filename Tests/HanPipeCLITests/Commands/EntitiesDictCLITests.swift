import Testing
import Foundation

/// Issue 9's `--entities-dict` on the command line: forced spans and suppressions in annotate (whole
/// documents and JSON Lines), a bad type is a usage error naming file and line, and clean does not offer it.
@Suite struct EntitiesDictCLITests {
    func directory(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hanpipe-ents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
        return url
    }

    func entities(_ json: Data) throws -> [(String, String)] {
        let object = try JSONSerialization.jsonObject(with: json) as! [String: Any]
        return (object["entities"] as! [[String: Any]]).map { ($0["type"] as! String, $0["text"] as! String) }
    }

    @Test func entriesForceAndSuppressSpansInEitherScript() throws {
        let dir = try directory(["ents.tsv": "# the issue's example\n谷腾环保网\tORG\n长三角\t-\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        // Traditional input: the entries are Simplified and still match (the Simplified view).
        let input = Data("【谷騰環保網訊】長三角毗鄰地區生態環境共保聯治現場會在上海召開。".utf8)
        let plain = try CLI.run(["annotate"], stdin: input, in: dir)
        #expect(plain.status == 0)
        #expect(try entities(plain.stdout).contains { $0 == ("LOC", "长三角") })
        let r = try CLI.run(["annotate", "--entities-dict", "ents.tsv"], stdin: input, in: dir)
        #expect(r.status == 0)
        let found = try entities(r.stdout)
        #expect(found.contains { $0 == ("ORG", "谷腾环保网") })
        #expect(!found.contains { $0.1.contains("长三角") })
        // JSON Lines take the same option.
        let jsonl = try CLI.run(["annotate", "--jsonl", "--entities-dict", "ents.tsv"],
                                stdin: Data("{\"id\":1,\"text\":\"谷腾环保网讯\"}\n".utf8), in: dir)
        #expect(jsonl.status == 0)
        #expect(String(decoding: jsonl.stdout, as: UTF8.self).contains("\"type\": \"ORG\", \"text\": \"谷腾环保网\""))
    }

    @Test func aBadTypeIsAUsageErrorNamingFileAndLine() throws {
        let dir = try directory(["ents.tsv": "# comment\n金庸\tPER\n北京\tCITY\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["annotate", "--entities-dict", "ents.tsv"], stdin: Data("金庸".utf8), in: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "hanpipe: ents.tsv:3: unknown type 'CITY' (PER, LOC, ORG or -)\n")
        #expect(r.stdout.isEmpty)
        let missing = try CLI.run(["annotate", "--entities-dict", "none.tsv"], stdin: Data("金庸".utf8), in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }

    @Test func cleanDoesNotOfferIt() throws {
        let r = try CLI.run(["clean", "--help"], stdin: Data())
        #expect(!String(decoding: r.stdout, as: UTF8.self).contains("--entities-dict"))
        let annotate = try CLI.run(["annotate", "--help"], stdin: Data())
        #expect(String(decoding: annotate.stdout, as: UTF8.self).contains("--entities-dict"))
    }
}
