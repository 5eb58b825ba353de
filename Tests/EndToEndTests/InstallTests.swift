import Foundation
import MMTestSupport
import Testing

/// `make install`/`make uninstall` (scripts/install.sh), `make dist`'s archive and `--version`, as an
/// operator would meet them. The install uses the debug binary (the layout is what is under test);
/// the archive test runs when `MMETL_DIST_ARCHIVE` names one (`make dist-check` sets it).
@Suite(.serialized) struct InstallTests {
    static let distArchive = ProcessInfo.processInfo.environment["MMETL_DIST_ARCHIVE"].flatMap { $0.isEmpty ? nil : $0 }

    @Test func anInstalledMmetlFindsItsSQLFromOutsideTheCheckoutAndUninstallRemovesExactlyIt() throws {
        let prefix = try InstalledTree.scratch("prefix")
        let unrelated = prefix + "/share/man/man1/other.1"     // someone else's file in a shared folder
        try FileManager.default.createDirectory(atPath: prefix + "/share/man/man1", withIntermediateDirectories: true)
        try "keep me".write(toFile: unrelated, atomically: true, encoding: .utf8)
        let tree = try InstalledTree.install(binary: CLI.binary, prefix: prefix)
        #expect(tree.files().contains("share/mmetl/sql/migrations/0001_schemas.sql"))
        #expect(tree.files().contains("share/mmetl/pipelines/systemd/mmetl-nightly.service"))
        try tree.migrateRunAndStatus(label: "e2e_installed")

        // Installing again over it replaces, never duplicates; uninstall then leaves only what was there.
        _ = try InstalledTree.install(binary: CLI.binary, prefix: prefix)
        let removed = try InstalledTree.script("install.sh", ["uninstall", "--prefix", prefix])
        #expect(removed.code == 0, "\(removed.stderr)")
        #expect(tree.files() == ["share/man/man1/other.1"])
        #expect(!FileManager.default.fileExists(atPath: prefix + "/bin"))
        #expect(try InstalledTree.script("install.sh", ["uninstall", "--prefix", prefix]).code != 0)
    }

    @Test func aBinaryWithoutItsShareFolderFindsNoSQL() throws {
        // The control for the test above: outside the checkout, without share/mmetl, migrate must fail.
        let db = try TestDatabase.create(label: "e2e_nosql")
        defer { try? db.drop() }
        let bare = try InstalledTree.scratch("bare")
        try FileManager.default.createDirectory(atPath: bare + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: bare + "/bin/mmetl")
        let r = try Shell.run(bare + "/bin/mmetl", ["migrate", "--database", db.url, "--log-format", "text"], cwd: try InstalledTree.scratch("cwd"))
        #expect(r.code == 64, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("share/mmetl/sql"), "\(r.stderr)")
    }

    @Test func completionsAndTheManPageMentionEverySubcommand() throws {
        let tree = try InstalledTree.install(binary: CLI.binary, prefix: try InstalledTree.scratch("prefix"))
        let subcommands = try Self.subcommands(of: tree.binary)
        #expect(subcommands.count >= 11 && subcommands.contains("sendlog load") && subcommands.contains("archive prune"))
        for file in ["share/bash-completion/completions/mmetl", "share/zsh/site-functions/_mmetl",
                     "share/fish/vendor_completions.d/mmetl.fish"] {
            let text = try String(contentsOfFile: tree.root + "/" + file, encoding: .utf8)
            for s in subcommands { #expect(text.contains(s.split(separator: " ").last!), "\(file) lacks \(s)") }
        }
        let man = try String(contentsOfFile: tree.root + "/share/man/man1/mmetl.1", encoding: .utf8)
        for s in subcommands { #expect(man.contains(".SS \(s)\n"), "mmetl.1 lacks \(s)") }
    }

    @Test func versionNamesTheReleaseAndTheSourceRevision() throws {
        let r = try Shell.run(CLI.binary, ["--version"])
        #expect(r.code == 0)
        #expect(r.stdout.range(of: #"^\d+\.\d+\.\d+ \([A-Za-z0-9._+-]+\)\n$"#, options: .regularExpression) != nil, "\(r.stdout)")
        if FileManager.default.fileExists(atPath: TestDatabase.repositoryRoot.appendingPathComponent(".git").path) {
            #expect(!r.stdout.contains("(unknown)"), "a build from a git checkout must know its revision")
        }
    }

    @Test func theRevisionStampFallsBackToUnknownWithoutGitAndTakesAPinnedValue() throws {
        let copy = try InstalledTree.scratch("nogit")
        let out = copy + "/BuildRevision.swift"
        let stamp = TestDatabase.repositoryRoot.appendingPathComponent("scripts/build-revision.sh").path
        #expect(try Shell.run("/bin/sh", [stamp, copy, out], env: ["MMETL_BUILD_REVISION": ""]).code == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains(#"let buildRevision = "unknown""#))
        #expect(try Shell.run("/bin/sh", [stamp, copy, out], env: ["MMETL_BUILD_REVISION": "v1.2.3-4-gabc"]).code == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains(#"let buildRevision = "v1.2.3-4-gabc""#))
    }

    @Test(.enabled(if: distArchive != nil, "MMETL_DIST_ARCHIVE is unset: run make dist-check"))
    func theDistArchiveNeedsNoSwiftLibraryAndRunsWhereverItIsUnpacked() throws {
        let archive = try #require(Self.distArchive)
        let folder = URL(fileURLWithPath: archive).deletingLastPathComponent().path
        let sum = try Shell.run("/usr/bin/sha256sum", ["-c", URL(fileURLWithPath: archive).lastPathComponent + ".sha256"], cwd: folder)
        #expect(sum.code == 0, "\(sum.stdout)\(sum.stderr)")
        let unpacked = try InstalledTree.scratch("unpacked")
        #expect(try Shell.run("/bin/tar", ["-xzf", archive, "-C", unpacked]).code == 0)
        let top = try FileManager.default.contentsOfDirectory(atPath: unpacked)
        #expect(top.count == 1 && URL(fileURLWithPath: archive).lastPathComponent == top[0] + ".tar.gz")
        let tree = InstalledTree(root: unpacked + "/" + top[0])

        let ldd = try Shell.run("/usr/bin/ldd", [tree.binary])
        #expect(ldd.code == 0)
        for swiftLibrary in ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime", "not found"] {
            #expect(!ldd.stdout.contains(swiftLibrary), "\(ldd.stdout)")
        }
        let facts = try tree.migrateRunAndStatus(label: "e2e_dist")
        // The same facts as the debug build loads: a static link that lost part of Foundation (its ICU
        // time zones, say) would cut days differently and show here.
        let reference = try InstalledTree.install(binary: CLI.binary, prefix: try InstalledTree.scratch("prefix"))
        #expect(facts == (try reference.migrateRunAndStatus(label: "e2e_dist_ref")))
        #expect(!facts.split(separator: " ")[0].hasSuffix(":0"), "the run loaded no facts: \(facts)")
    }

    /// Every visible subcommand path below the root (`run`, `sendlog load`, …), from the binary's own
    /// command description.
    static func subcommands(of binary: String) throws -> [String] {
        let json = try Shell.run(binary, ["--experimental-dump-help"]).stdout
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var out: [String] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            for sub in command["subcommands"] as? [[String: Any]] ?? [] where sub["shouldDisplay"] as? Bool ?? true {
                let p = path + [sub["commandName"] as? String ?? "?"]
                out.append(p.joined(separator: " "))
                walk(sub, p)
            }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return out
    }
}
