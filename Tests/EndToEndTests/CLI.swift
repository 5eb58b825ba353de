import Foundation
import MMTestSupport

/// Runs the built `mmetl` binary as a user or a scheduler would.
struct CLI {
    struct Result { var code: Int32; var stdout: String; var stderr: String }

    static var binary: String {
        let root = TestDatabase.repositoryRoot
        for candidate in [".build/debug/mmetl", ".build/x86_64-unknown-linux-gnu/debug/mmetl"] {
            let p = root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return root.appendingPathComponent(".build/debug/mmetl").path
    }

    static func run(_ args: [String], env: [String: String] = [:], stdin: String? = nil) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        return try exec(binary, args, environment: environment, cwd: TestDatabase.repositoryRoot, stdin: stdin)
    }

    /// Runs `executable` with exactly `environment` in `cwd`; collects its exit code and both outputs.
    static func exec(_ executable: String, _ args: [String], environment: [String: String], cwd: URL, stdin: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.environment = environment
        p.currentDirectoryURL = cwd
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        if let stdin {
            let inPipe = Pipe(); p.standardInput = inPipe
            try p.run()
            inPipe.fileHandleForWriting.write(Data(stdin.utf8)); try inPipe.fileHandleForWriting.close()
        } else {
            p.standardInput = FileHandle.nullDevice
            try p.run()
        }
        // Drain both pipes concurrently so a chatty child never blocks.
        let errData = Locked<Data>(Data())
        let t = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        t.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return Result(code: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// Starts a long-running child (the simulator, or a backfill to kill) and returns it.
    static func start(_ args: [String], env: [String: String] = [:]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        p.currentDirectoryURL = TestDatabase.repositoryRoot
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }
}

final class Locked<T>: @unchecked Sendable {
    private var v: T
    private var done = false
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    func set(_ n: T) { lock.lock(); v = n; done = true; lock.unlock() }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
}

/// A simulator child process: `mmetl simulate --port 0 …`, its startup line parsed.
struct SimulatorProcess {
    let process: Process
    let baseURL: String
    let wabaIDs: [String]

    static func start(_ extra: [String] = []) throws -> SimulatorProcess {
        let (p, out) = try CLI.start(["simulate", "--port", "0", "--as-of", "2026-11-24", "--days", "40"] + extra)
        // Read the one startup line: `listening on http://127.0.0.1:PORT business=ID wabas=A,B`.
        var line = Data()
        let h = out.fileHandleForReading
        while true {
            let b = h.readData(ofLength: 1)
            if b.isEmpty || b == Data("\n".utf8) { break }
            line += b
        }
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: " ")
        guard parts.count >= 5, parts[0] == "listening" else {
            p.terminate()
            throw SimulatorStartError(line: text)
        }
        let wabas = parts.first { $0.hasPrefix("wabas=") }.map { $0.dropFirst(6).split(separator: ",").map(String.init) } ?? []
        return SimulatorProcess(process: p, baseURL: String(parts[2]), wabaIDs: wabas)
    }

    func stop() { process.terminate(); process.waitUntilExit() }
    struct SimulatorStartError: Error { var line: String }
}
