import Testing
import Foundation

/// Issue 10's conversion flags and issue 12's command line: `check` like the formatters, hanpipe.toml,
/// HTML pages, help examples.
@Suite struct IntegrationTests {
    func temporaryDirectory() throws -> URL {
        // A .git folder at the top stops config discovery there (nothing above the test leaks in).
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hanpipe-int-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        return url
    }

    func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    // MARK: A. Conversion flags

    @Test func convertDictProtectsAndReplaces() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("于谦\n自行车\t腳踏車\n", dir.appendingPathComponent("d.tsv"))
        let r = try CLI.run(["clean", "--to", "traditional", "--convert-dict", "d.tsv"],
                            stdin: Data("于谦骑自行车去学校。".utf8), in: dir)
        #expect(r.status == 0)
        #expect(text(r.stdout) == "于谦騎腳踏車去學校。")
    }

    @Test func malformedConvertDictExits2NamingTheLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("于谦\n# comment\na\tb\tc\n", dir.appendingPathComponent("d.tsv"))
        let r = try CLI.run(["clean", "--to", "traditional", "--convert-dict", "d.tsv"], stdin: Data("x".utf8), in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("hanpipe: d.tsv:3: "))
        #expect(r.stdout.isEmpty)
        let missing = try CLI.run(["clean", "--convert-dict", "none.tsv"], stdin: Data("x".utf8), in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }

    @Test func icuConvertIsRefusedWithDictionariesAndVariants() throws {
        for extra in [["--convert-dict", "d.tsv"], ["--variants", "tw"]] {
            let r = try CLI.run(["clean", "--to", "traditional", "--icu-convert"] + extra, stdin: Data("x".utf8))
            #expect(r.status == 2)
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        let r = try CLI.run(["clean", "--to", "simplified", "--variants", "hk"], stdin: Data("x".utf8))
        #expect(r.status == 2)
    }

    @Test func variantsAndExactICU() throws {
        let tw = try CLI.run(["annotate", "--to", "traditional", "--variants", "tw"], stdin: Data("着".utf8))
        #expect(tw.status == 0)
        let plain = try CLI.run(["clean", "--to", "traditional", "--variants", "tw"], stdin: Data("着".utf8))
        #expect(text(plain.stdout) == "著")
        // 说明了: the phrase layer keeps 了; ICU alone makes it 瞭.
        let phrases = try CLI.run(["clean", "--to", "traditional"], stdin: Data("说明了".utf8))
        let exact = try CLI.run(["check", "--to", "traditional", "--exact-icu", "--diff"], stdin: Data("说明了".utf8))
        #expect(text(phrases.stdout) == "說明了")
        #expect(exact.status == 1)
        #expect(text(exact.stdout).contains("+說明瞭"))
        #expect(try CLI.run(["clean", "--help"]).stdout.range(of: Data("tw, hk".utf8)) != nil)
    }

    // MARK: B. check

    @Test func checkWriteRewritesInPlaceKeepingTheMode() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("f.txt")
        try write("長三角(jiao)毗鄰\r\n生(sheng)態，ＡＢＣ。\n", f)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: f.path)
        let clean = try CLI.run(["clean", "f.txt"], in: dir)
        let first = try CLI.run(["check", "--write", "f.txt"], in: dir)
        #expect(first.status == 0)
        #expect(text(first.stdout) == "rewrote f.txt\n")
        #expect(try Data(contentsOf: f) == clean.stdout)
        let mode = try FileManager.default.attributesOfItem(atPath: f.path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let second = try CLI.run(["check", "f.txt"], in: dir)
        #expect(second.status == 0)
        #expect(second.stdout.isEmpty)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [".git", "f.txt"])
    }

    @Test func checkWriteRefusesSymbolicLinks() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("長(chang)\n", dir.appendingPathComponent("target.txt"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.txt").path, withDestinationPath: "target.txt")
        let r = try CLI.run(["check", "--write", "link.txt"], in: dir)
        #expect(r.status == 3)
        #expect(r.stderr.contains("link.txt: refusing"))
        #expect(try String(contentsOf: dir.appendingPathComponent("target.txt"), encoding: .utf8) == "長(chang)\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("link.txt").path)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
    }

    @Test func checkGithubAndJSONFormats() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("乾淨。\n生(sheng)態\n", dir.appendingPathComponent("news/a.txt"))
        try write("干净。\n", dir.appendingPathComponent("news/b.txt"))
        let github = try CLI.run(["check", "--output-format", "github", "news"], in: dir)
        #expect(github.status == 1)
        let lines = text(github.stdout).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("::error file=news/a.txt,line=1,col=1::"))
        #expect(lines[1].hasPrefix("::error file=news/a.txt,line=2,col="))
        #expect(lines[1].contains("gloss (sheng) removed"))

        let json = try CLI.run(["check", "--output-format", "json", "news"], in: dir)
        #expect(json.status == 1)
        let object = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        let files = try #require(object?["files"] as? [[String: Any]])
        #expect(files.count == 1)
        #expect(files[0]["path"] as? String == "news/a.txt")
        let changes = try #require(files[0]["changes"] as? [[String: Any]])
        #expect(changes.contains { $0["stage"] as? String == "degloss" && $0["line"] as? Int == 2 })
        #expect(changes.contains { $0["stage"] as? String == "convert" && $0["from"] as? String == "乾淨" })

        let clean = try CLI.run(["check", "--output-format", "json", "news/b.txt"], in: dir)
        #expect(clean.status == 0)
        #expect(try JSONSerialization.jsonObject(with: clean.stdout) is [String: Any])
    }

    @Test func checkStdinFilenameNamesStandardInputAndFindsItsConfig() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("to = \"traditional\"\n", dir.appendingPathComponent("news/hanpipe.toml"))
        let r = try CLI.run(["check", "--stdin-filename", "news/c.txt", "-"], stdin: Data("说明\n".utf8), in: dir)
        #expect(r.status == 1)
        #expect(text(r.stdout) == "news/c.txt\n")
        let traditional = try CLI.run(["check", "--stdin-filename", "news/c.txt", "-"], stdin: Data("說明\n".utf8), in: dir)
        #expect(traditional.status == 0)
        let github = try CLI.run(["check", "--isolated", "--output-format", "github", "--stdin-filename", "news/c.txt"],
                                 stdin: Data("說明\n".utf8), in: dir)
        #expect(text(github.stdout).hasPrefix("::error file=news/c.txt,line=1,col=1::"))
    }

    @Test func checkRefusesWhatItCannotDo() throws {
        for arguments in [["check", "--write"], ["check", "--write", "--diff", "a.txt"],
                          ["check", "--diff", "--output-format", "json", "a.txt"],
                          ["check", "--jsonl", "--write", "a.txt"], ["check", "--jsonl", "--output-format", "github", "a.txt"]] {
            #expect(try CLI.run(arguments, stdin: Data()).status == 2, "\(arguments)")
        }
    }

    // MARK: C. hanpipe.toml

    @Test func configDiscoveryClosestWinsIsolatedAndExplicit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = "a/b/c/x.txt"
        try write("说明\n", dir.appendingPathComponent(file))
        try write("to = \"traditional\"\n", dir.appendingPathComponent("a/hanpipe.toml"))
        for command in [["clean"], ["annotate"]] {
            let r = try CLI.run(command + [file], in: dir)
            #expect(r.status == 0)
            #expect(text(r.stdout).contains("說明"), "\(command): two folders above")
        }
        #expect(try CLI.run(["check", file], in: dir).status == 1)
        // A closer one wins (no merging).
        try write("to = \"keep\"\nskip = [\"numbers\"]\n", dir.appendingPathComponent("a/b/hanpipe.toml"))
        #expect(text(try CLI.run(["clean", file], in: dir).stdout) == "说明\n")
        // Flags win over the file.
        #expect(text(try CLI.run(["clean", "--to", "traditional", file], in: dir).stdout) == "說明\n")
        // --isolated ignores both.
        try write("to = \"traditional\"\n", dir.appendingPathComponent("a/b/hanpipe.toml"))
        #expect(text(try CLI.run(["clean", "--isolated", file], in: dir).stdout) == "说明\n")
        #expect(try CLI.run(["check", "--isolated", file], in: dir).status == 0)
        // --config FILE is applied instead.
        try write("to = \"keep\"\n", dir.appendingPathComponent("elsewhere.toml"))
        #expect(text(try CLI.run(["clean", "--config", "elsewhere.toml", file], in: dir).stdout) == "说明\n")
        #expect(try CLI.run(["clean", "--config", "elsewhere.toml", "--isolated", file], in: dir).status == 2)
    }

    @Test func badConfigExits2NamingFileAndLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("说明\n", dir.appendingPathComponent("a/x.txt"))
        try write("skip = []\nto = \"martian\"\n", dir.appendingPathComponent("a/hanpipe.toml"))
        for command in [["clean", "a/x.txt"], ["check", "a"], ["run", "a", "-o", "out"]] {
            let r = try CLI.run(command, in: dir)
            #expect(r.status == 2, "\(command)")
            #expect(r.stderr.hasPrefix("hanpipe: a/hanpipe.toml:2: to: 'martian'"), "\(command)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/a/x.txt").path))
    }

    @Test func configConvertDictAndExcludeWhenWalking() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("to = \"traditional\"\nconvert-dict = \"terms/d.tsv\"\nexclude = [\"drafts\", \"*.tsv\"]\n", dir.appendingPathComponent("corpus/hanpipe.toml"))
        try write("自行车\t腳踏車\n", dir.appendingPathComponent("corpus/terms/d.tsv"))
        try write("骑自行车\n", dir.appendingPathComponent("corpus/a.txt"))
        try write("说明\n", dir.appendingPathComponent("corpus/drafts/b.txt"))
        #expect(text(try CLI.run(["clean", "corpus/a.txt"], in: dir).stdout) == "騎腳踏車\n")
        let walked = try CLI.run(["check", "corpus"], in: dir)
        #expect(text(walked.stdout) == "corpus/a.txt\n")  // drafts/b.txt is excluded when walking
        #expect(text(try CLI.run(["check", "corpus/drafts/b.txt"], in: dir).stdout) == "corpus/drafts/b.txt\n")  // named: checked
        let run = try CLI.run(["run", "corpus", "-o", "out"], in: dir)
        #expect(run.status == 0)
        #expect(try String(contentsOf: dir.appendingPathComponent("out/corpus/a.txt"), encoding: .utf8) == "騎腳踏車\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/corpus/drafts/b.txt").path))
    }

    // MARK: D. HTML pages

    @Test func runWritesEscapedPagesAndAnIndex() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("<script>alert(1)</script> A&B 公司在北京。\n", dir.appendingPathComponent("in/x.txt"))
        let seed = CLI.packageRoot.appendingPathComponent("Fixtures/golden/seed.in")
        try FileManager.default.copyItem(at: seed, to: dir.appendingPathComponent("in/seed.in"))
        let r = try CLI.run(["run", "in", "-o", "out", "--format", "json,html", "-j", "2"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let x = try String(contentsOf: dir.appendingPathComponent("out/in/x.html"), encoding: .utf8)
        #expect(!x.contains("<script>"))
        #expect(x.contains("&lt;script&gt;"))
        #expect(x.contains("A&amp;B"))
        for page in [x, try String(contentsOf: dir.appendingPathComponent("out/in/seed.html"), encoding: .utf8)] {
            #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("src="))
        }
        // Every entity's text is on the seed's page.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/in/seed.json"))) as? [String: Any]
        let entities = try #require(json?["entities"] as? [[String: Any]])
        #expect(!entities.isEmpty)
        // The page's text as a reader sees it with edits hidden: struck-through edits and type labels
        // out, then every tag.
        var seedPage = try String(contentsOf: dir.appendingPathComponent("out/in/seed.html"), encoding: .utf8)
        for pattern in ["<del[^>]*>.*?</del>", "<span class=\"t\">[^<]*</span>", "<[^>]+>"] {
            let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
            seedPage = regex.stringByReplacingMatches(in: seedPage, range: NSRange(seedPage.startIndex..., in: seedPage), withTemplate: "")
        }
        for entity in entities { #expect(seedPage.contains(try #require(entity["text"] as? String))) }
        let index = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
        #expect(index.contains("href=\"in/seed.html\"") && index.contains("href=\"in/x.html\""))
        // Resumed (nothing to do, or one input changed): the index still lists every input, identically.
        let again = try CLI.run(["run", "in", "-o", "out", "--format", "json,html", "--resume", "-j", "1"], in: dir)
        #expect(again.status == 0)
        #expect(try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8) == index)
        try write("<script>alert(2)</script> A&B 公司在上海。\n", dir.appendingPathComponent("in/x.txt"))
        _ = try CLI.run(["run", "in", "-o", "out", "--format", "json,html", "--resume"], in: dir)
        let resumed = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
        #expect(resumed.contains("href=\"in/seed.html\"") && resumed.contains("href=\"in/x.html\""))
    }

    // MARK: E. Help

    @Test func helpEndsWithExamples() throws {
        for command in [["help"], ["clean", "--help"], ["annotate", "--help"], ["run", "--help"], ["check", "--help"]] {
            let r = try CLI.run(command)
            #expect(r.status == 0)
            let help = text(r.stdout)
            #expect(help.contains("Examples:"), "\(command)")
            #expect(help.contains("  hanpipe "), "\(command)")
        }
    }
}
