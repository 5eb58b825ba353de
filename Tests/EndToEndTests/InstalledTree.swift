import Foundation
import MMTestSupport
import Testing

/// An mmetl tree outside the checkout (an install prefix or an unpacked release archive), run the way
/// an operator would: from a working directory outside the checkout, with no `MMETL_SQL_DIR`, so the
/// binary can only find the SQL its tree carries (`bin/../share/mmetl/sql`).
struct InstalledTree {
    /// The tree's root (`<prefix>` holding `bin/` and `share/`).
    let root: String
    var binary: String { root + "/bin/mmetl" }

    /// A fresh directory under the system temp directory (never inside the checkout).
    static func scratch(_ tag: String) throws -> String {
        let dir = NSTemporaryDirectory() + "mmetl-\(tag)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs a repository script (`scripts/<name>`) with bash.
    static func script(_ name: String, _ args: [String], env: [String: String] = [:]) throws -> CLI.Result {
        try Shell.run("/bin/bash", [TestDatabase.repositoryRoot.appendingPathComponent("scripts/\(name)").path] + args, env: env)
    }

    /// `scripts/install.sh install` of `binary` into `prefix`.
    static func install(binary: String, prefix: String) throws -> InstalledTree {
        let r = try script("install.sh", ["install", "--binary", binary, "--prefix", prefix])
        #expect(r.code == 0, "install.sh: \(r.stderr)")
        return InstalledTree(root: prefix)
    }

    /// Every file under the root, relative to it, sorted.
    func files() -> [String] {
        let all = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return all.filter { !isDirectory(root + "/" + $0) }.sorted()
    }

    private func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }

    /// `migrate`, a nightly `run` against the tree's own `mmetl simulate`, then `status`: each must
    /// succeed, migrate must apply every migration the tree carries, and status must show the version
    /// that ran. Returns the checksum of the facts the run loaded (`CommandLineTests.factsChecksum`).
    @discardableResult
    func migrateRunAndStatus(label: String) throws -> String {
        let db = try TestDatabase.create(label: label)
        defer { try? db.drop() }
        let cwd = try Self.scratch("cwd")
        let version = try Shell.run(binary, ["--version"], cwd: cwd).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let sim = try startSimulator(cwd: cwd)
        defer { sim.stop() }
        let pipeline = try CommandLineTests.pipeline(sim, name: "installed")
        let env = CommandLineTests.env(db)

        let migrations = try FileManager.default.contentsOfDirectory(atPath: root + "/share/mmetl/sql/migrations").filter { $0.hasSuffix(".sql") }
        let migrate = try Shell.run(binary, ["migrate", "--pipeline", pipeline], env: env, cwd: cwd)
        #expect(migrate.code == 0, "\(migrate.stderr)")
        #expect(migrate.stdout.contains("applied \(migrations.count) ("), "\(migrate.stdout)")

        let run = try Shell.run(binary, ["run", "--pipeline", pipeline, "--as-of", CommandLineTests.asOf], env: env, cwd: cwd)
        #expect(run.code == 0, "\(run.stdout)\n\(run.stderr)")

        let status = try Shell.run(binary, ["status", "--pipeline", pipeline], env: env, cwd: cwd)
        #expect(status.code == 0, "\(status.stderr)")
        #expect(status.stdout.contains("through \(CommandLineTests.asOf)"), "\(status.stdout)")
        #expect(!version.isEmpty && status.stdout.contains("mmetl \(version)"), "\(status.stdout)")
        return try CommandLineTests.factsChecksum(db)
    }

    /// `mmetl simulate` from this tree, its startup line parsed.
    func startSimulator(cwd: String) throws -> SimulatorProcess {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["simulate", "--port", "0", "--as-of", CommandLineTests.asOf, "--days", "40", "--wabas", "2", "--templates", "4"]
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        p.environment = Shell.environment([:])
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var line = Data()
        while true {
            let b = out.fileHandleForReading.readData(ofLength: 1)
            if b.isEmpty || b == Data("\n".utf8) { break }
            line += b
        }
        let parts = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard parts.count >= 5, parts[0] == "listening" else {
            p.terminate()
            throw SimulatorProcess.SimulatorStartError(line: String(decoding: line, as: UTF8.self))
        }
        let wabas = parts.first { $0.hasPrefix("wabas=") }.map { $0.dropFirst(6).split(separator: ",").map(String.init) } ?? []
        return SimulatorProcess(process: p, baseURL: String(parts[2]), wabaIDs: wabas)
    }
}

/// Runs any executable to completion, as `CLI.run` runs mmetl, in a chosen directory.
enum Shell {
    /// The test's environment without `MMETL_SQL_DIR` (which would override the lookup under test), plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["MMETL_SQL_DIR"] = nil
        for (k, v) in extra { e[k] = v }
        return e
    }

    static func run(_ executable: String, _ args: [String], env: [String: String] = [:], cwd: String? = nil) throws -> CLI.Result {
        try CLI.exec(executable, args, environment: environment(env), cwd: URL(fileURLWithPath: cwd ?? NSTemporaryDirectory()))
    }
}
