import ArgumentParser
import HanPipe
#if canImport(Glibc)
import Glibc
#endif

/// The root command: it only dispatches to the subcommands.
@main
struct HanPipeCommand: ParsableCommand {
    static let version = "0.1.0"

    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "hanpipe",
            abstract: "Clean and annotate scraped Chinese text.",
            discussion: """
            Stages: \((["decode"] + StageRegistry.standard.names).joined(separator: " → ")).
            Every command reads standard input when given no file or "-".
            Exit codes: 0 success, 1 `check` found unclean files, 2 usage error, 3 input error.
            Settings: a hanpipe.toml found from each input's folder upward (the closest one; --config FILE, \
            --isolated for none); flags on the command line win. Shell completions: \
            hanpipe --generate-completion-script bash|zsh|fish. Man page: docs/hanpipe.1.

            Examples:
              hanpipe clean --to traditional news.txt
              hanpipe check --output-format github corpus/
              hanpipe run articles -o out --format json,html
            """,
            version: "hanpipe \(version) (ICU \(ICU.version))",
            subcommands: [Clean.self, Annotate.self, Run.self, Check.self, TrainNER.self]
        )
    }

    /// Parses the command line and runs it, mapping every outcome to hanpipe's exit codes:
    /// argument-parser's usage errors (EX_USAGE, 64) become 2.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        Allocator.tune()
        do {
            var command = try parseAsRoot(PipelineOptions.splittingSkipLists(Array(CommandLine.arguments.dropFirst())))
            try command.run()
            Output.flush()
            Glibc.exit(0)
        } catch let code as ExitCode {
            Output.flush()
            Glibc.exit(code.rawValue)
        } catch {
            Output.flush()
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            Diagnostics.line(fullMessage(for: error))
            Glibc.exit(Status.usage.rawValue)
        }
    }
}

/// hanpipe's exit codes.
enum Status: Int32 {
    case success = 0
    case unclean = 1
    case usage = 2
    case input = 3
}
