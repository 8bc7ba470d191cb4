import Foundation
import XCTest
@testable import HanPipeConfig

final class ConfigFileTests: XCTestCase {
    let stages = ["normalize", "convert", "degloss", "segment", "entities", "numbers"]
    var root = ""

    override func setUpWithError() throws {
        root = ConfigPath.normalise(FileManager.default.temporaryDirectory.path + "/hanpipe-config-" + UUID().uuidString)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: ConfigPath.parent(path), withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func parse(_ text: String) throws -> ConfigFile {
        try ConfigFile.parse(text, path: "cfg/hanpipe.toml", folder: "/proj/cfg", stageNames: stages)
    }

    private func error(_ text: String) -> ConfigError? {
        do { _ = try parse(text); return nil } catch let e as ConfigError { return e } catch { return nil }
    }

    // MARK: - Discovery

    func testFoundTwoFoldersAbove() throws {
        try write(".git/HEAD", "ref: x\n")
        try write("hanpipe.toml", "to = \"traditional\"\n")
        try write("news/2024/a.txt", "x")
        let config = try XCTUnwrap(ConfigDiscovery(stageNames: stages).config(forFile: root + "/news/2024/a.txt"))
        XCTAssertEqual(config.to, .traditional)
        XCTAssertEqual(config.folder, root)
    }

    func testCloserFileWinsWithoutMerging() throws {
        try write(".git/HEAD", "ref: x\n")
        try write("hanpipe.toml", "to = \"traditional\"\nkeep-glosses = true\n")
        try write("news/hanpipe.toml", "skip = [\"numbers\"]\n")
        let discovery = ConfigDiscovery(stageNames: stages)
        let near = try XCTUnwrap(discovery.config(forFile: root + "/news/2024/a.txt"))
        XCTAssertEqual(near.skip, ["numbers"])
        XCTAssertNil(near.to, "no merging with the file further up")
        XCTAssertNil(near.keepGlosses)
        let far = try XCTUnwrap(discovery.config(forFile: root + "/other/b.txt"))
        XCTAssertEqual(far.to, .traditional)
        XCTAssertEqual(far.keepGlosses, true)
    }

    func testSearchStopsAtGitFolder() throws {
        try write("hanpipe.toml", "to = \"traditional\"\n")
        try write("repo/.git/HEAD", "ref: x\n")
        try write("repo/src/a.txt", "x")
        XCTAssertNil(try ConfigDiscovery(stageNames: stages).config(forFile: root + "/repo/src/a.txt"))
        // A worktree's `.git` is a file; it stops the search too.
        try write("wt/.git", "gitdir: /elsewhere\n")
        XCTAssertNil(try ConfigDiscovery(stageNames: stages).config(forFile: root + "/wt/a.txt"))
        // A config in the folder holding `.git` itself still applies.
        try write("repo/hanpipe.toml", "to = \"keep\"\n")
        XCTAssertEqual(try ConfigDiscovery(stageNames: stages).config(forFile: root + "/repo/src/a.txt")?.to, .keep)
    }

    func testStandardInputUsesStdinFilenameFolder() throws {
        try write(".git/HEAD", "ref: x\n")
        try write("news/hanpipe.toml", "to = \"keep\"\n")
        let discovery = ConfigDiscovery(stageNames: stages)
        XCTAssertEqual(try discovery.configForStandardInput(stdinFilename: root + "/news/c.txt")?.to, .keep)
        XCTAssertNil(try discovery.configForStandardInput(stdinFilename: root + "/c.txt"))
    }

    func testDiscoveryCachesPerFolder() throws {
        try write(".git/HEAD", "ref: x\n")
        try write("hanpipe.toml", "to = \"keep\"\n")
        let discovery = ConfigDiscovery(stageNames: stages)
        XCTAssertEqual(try discovery.config(forFile: root + "/a/b/x.txt")?.to, .keep)
        // Once cached, the answer stays (the tree is not re-read during one run).
        try write("hanpipe.toml", "to = \"traditional\"\n")
        XCTAssertEqual(try discovery.config(forFile: root + "/a/b/y.txt")?.to, .keep)
        XCTAssertEqual(try discovery.config(forFile: root + "/a/z.txt")?.to, .keep)
        XCTAssertEqual(try ConfigDiscovery(stageNames: stages).config(forFile: root + "/a/z.txt")?.to, .traditional)
    }

    func testBadFileFoundByDiscoveryNamesFileAndLine() throws {
        try write(".git/HEAD", "ref: x\n")
        try write("hanpipe.toml", "# settings\n\nto = \"martian\"\n")
        XCTAssertThrowsError(try ConfigDiscovery(stageNames: stages).config(forFile: root + "/a.txt")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasSuffix("hanpipe.toml:3: to: 'martian' is not one of simplified, traditional, keep"), text)
            XCTAssertTrue(text.contains(root) || text.hasPrefix("hanpipe.toml") || !text.hasPrefix("/"), text)
        }
    }

    // MARK: - Parsing

    func testEveryKey() throws {
        let config = try parse("""
            to = "traditional"
            keep-glosses = true
            skip = ["entities", "numbers"]
            encoding = "gb18030"
            entities-dict = "dicts/people.txt"
            convert-dict = ["../shared/t.txt", "/abs/c.txt", "./x/./y.txt"]
            exclude = ["drafts/**", "*.bak"]
            """)
        XCTAssertEqual(config.to, .traditional)
        XCTAssertEqual(config.keepGlosses, true)
        XCTAssertEqual(config.skip, ["entities", "numbers"])
        XCTAssertEqual(config.encoding, .gb18030)
        XCTAssertEqual(config.entitiesDict, ["/proj/cfg/dicts/people.txt"])
        XCTAssertEqual(config.convertDict, ["/proj/shared/t.txt", "/abs/c.txt", "/proj/cfg/x/y.txt"])
        XCTAssertEqual(config.exclude, ["drafts/**", "*.bak"])
    }

    func testEmptyFileGivesNothing() throws {
        let config = try parse("# nothing set\n")
        XCTAssertNil(config.to)
        XCTAssertNil(config.skip)
        XCTAssertNil(config.exclude)
    }

    func testBadValueNamesFileAndLine() {
        XCTAssertEqual(error("keep-glosses = false\n\nto = \"martian\"\n")?.description,
                       "cfg/hanpipe.toml:3: to: 'martian' is not one of simplified, traditional, keep")
        XCTAssertEqual(error("encoding = \"latin-1\"\n")?.description,
                       "cfg/hanpipe.toml:1: encoding: 'latin-1' is not one of auto, utf-8, gb18030, big5, utf-16")
        XCTAssertEqual(error("to = \"keep\"\nkeep-glosses = \"yes\"\n")?.description,
                       "cfg/hanpipe.toml:2: keep-glosses: expected true or false, got the string \"yes\"")
        XCTAssertEqual(error("skip = \"numbers\"\n")?.description,
                       "cfg/hanpipe.toml:1: skip: expected an array of strings, got the string \"numbers\"")
        XCTAssertEqual(error("skip = [\"numbers\", 3]\n")?.description,
                       "cfg/hanpipe.toml:1: skip: expected an array of strings, got an array holding an integer")
        XCTAssertEqual(error("\n\nskip = [\n  \"numbers\",\n  \"grammar\",\n]\n")?.description,
                       "cfg/hanpipe.toml:3: skip: unknown stage 'grammar' (stages: normalize, convert, degloss, segment, entities, numbers)")
        XCTAssertEqual(error("to = 3\n")?.description,
                       "cfg/hanpipe.toml:1: to: expected one of simplified, traditional, keep, got an integer")
    }

    func testUnknownKeyNamesFileAndLine() {
        XCTAssertEqual(error("to = \"keep\"\n# a comment\nkeep_glosses = true\n")?.description,
                       "cfg/hanpipe.toml:3: unknown key 'keep_glosses' (keys: to, keep-glosses, skip, encoding, entities-dict, convert-dict, exclude)")
        XCTAssertEqual(error("to = \"keep\"\n\n[tool]\nx = 1\n")?.description,
                       "cfg/hanpipe.toml:3: unknown key 'tool' (keys: to, keep-glosses, skip, encoding, entities-dict, convert-dict, exclude)")
        XCTAssertEqual(error("\"quoted key\" = 1\n")?.description,
                       "cfg/hanpipe.toml:1: unknown key 'quoted key' (keys: to, keep-glosses, skip, encoding, entities-dict, convert-dict, exclude)")
        // A key mentioned inside a multi-line string is not its definition.
        XCTAssertEqual(error("exclude = [\"\"\"\nbogus = 1\n\"\"\"]\nbogus = 2\n")?.line, 4)
    }

    func testSyntaxErrorGivesLine() {
        let e = error("to = \"keep\"\nskip = [\"numbers\"\n")
        XCTAssertEqual(e?.path, "cfg/hanpipe.toml")
        XCTAssertNotNil(e?.line)
        XCTAssertTrue(e?.message.hasPrefix("TOML syntax error: ") ?? false, e?.message ?? "")
        XCTAssertEqual(error("to = \"keep\"\n\nto = \"simplified\"\n")?.line, 3, "a redefined key is a syntax error on its line")
    }

    func testUnreadableFile() {
        XCTAssertThrowsError(try ConfigFile.load(path: root + "/missing/hanpipe.toml", stageNames: stages)) { error in
            let e = error as? ConfigError
            XCTAssertNil(e?.line)
            XCTAssertTrue(e?.message.hasPrefix("cannot read: ") ?? false, "\(error)")
        }
    }

    // MARK: - Exclude

    func testExcludeGlobs() throws {
        let config = try ConfigFile.parse(
            "exclude = [\"drafts\", \"*.bak\", \"news/**/raw-*.txt\", \"/top.txt\", \"a?c/[0-9]*.md\", \"docs/**\", \"sp ce#?/\"]\n",
            path: "hanpipe.toml", folder: root, stageNames: stages)
        func excluded(_ path: String) -> Bool { config.excludes(root + "/" + path) }
        XCTAssertTrue(excluded("drafts/a.txt"), "a folder name excludes what is below it")
        XCTAssertTrue(excluded("x/drafts/y/a.txt"), "a glob without / applies at any depth")
        XCTAssertTrue(excluded("old.bak"))
        XCTAssertTrue(excluded("x/y/old.bak"))
        XCTAssertTrue(excluded("news/raw-1.txt"), "** matches zero folders")
        XCTAssertTrue(excluded("news/2024/05/raw-1.txt"), "** matches several folders")
        XCTAssertFalse(excluded("news/2024/cooked-1.txt"))
        XCTAssertFalse(excluded("other/news/raw-1.txt"), "a glob with / is anchored at the config's folder")
        XCTAssertTrue(excluded("top.txt"))
        XCTAssertFalse(excluded("x/top.txt"))
        XCTAssertTrue(excluded("abc/1.md"))
        XCTAssertTrue(excluded("a-c/9z.md"))
        XCTAssertFalse(excluded("a/c/1.md"), "? does not match /")
        XCTAssertFalse(excluded("abc/x1.md"))
        XCTAssertTrue(excluded("docs/deep/er/file.txt"))
        XCTAssertTrue(excluded("sp ce#?/x.txt"), "? matches # and the literal ? too")
        XCTAssertFalse(excluded("a.txt"))
        XCTAssertFalse(config.excludes("/elsewhere/drafts/a.txt"), "paths outside the config's folder are never excluded")
    }

    func testGlobComponentRules() {
        XCTAssertTrue(Glob("*.txt").matches("中文 名.txt"))
        XCTAssertFalse(Glob("*.txt").matches("a.txt.bak"))
        XCTAssertTrue(Glob("[!a]*").matches("b"))
        XCTAssertFalse(Glob("[!a]*").matches("abc"))
        XCTAssertTrue(Glob("\\*").matches("*"))
        XCTAssertFalse(Glob("\\*").matches("x"))
        XCTAssertTrue(Glob("[").matches("["), "an unclosed [ matches itself")
        XCTAssertTrue(Glob("**/a").matches("a"))
        XCTAssertTrue(Glob("**/a").matches("x/y/a"))
        XCTAssertTrue(Glob("a/**/b/*.md").matches("a/b/c.md"))
        XCTAssertFalse(Glob("a/**/b/*.md").matches("a/c.md"))
        XCTAssertTrue(Glob("*a*b*c*").matches("xaxbxcx"))
        XCTAssertFalse(Glob("*a*b*c*").matches("xaxcxbx"))
    }
}
