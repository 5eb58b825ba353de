import ArgumentParser
import Foundation
import Logging

/// Options every command takes: log format and verbosity.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log format: text or json (default: text on a TTY, json otherwise).")
    var logFormat: String?

    @Flag(name: .long, help: "Only warnings and errors.")
    var quiet = false

    @Flag(name: .long, help: "Debug logging.")
    var verbose = false

    func validate() throws {
        if let f = logFormat, LogFormat(rawValue: f) == nil {
            throw ValidationError("--log-format must be text or json, not \"\(f)\"")
        }
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
    }

    var format: LogFormat { logFormat.flatMap(LogFormat.init) ?? (Terminal.stderrIsTTY ? .text : .json) }
    var level: Logger.Level { quiet ? .warning : (verbose ? .debug : .info) }

    /// Bootstraps swift-log once and returns the command's logger.
    func makeLogger(_ label: String = "mmetl") -> Logger {
        LogBootstrap.once(format: format, level: level)
        return Logger(label: label)
    }
}

enum LogBootstrap {
    nonisolated(unsafe) private static var done = false
    private static let lock = NSLock()
    static func once(format: LogFormat, level: Logger.Level) {
        lock.lock(); defer { lock.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, format: format, logLevel: level) }
    }
}

enum Terminal {
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    /// Flushes buffered standard output (so a parent reading lines sees them at once).
    static func flushStdout() { fflush(nil) }
}
