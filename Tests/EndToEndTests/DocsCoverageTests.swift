import Foundation
import MMCore
import MMTestSupport
import Testing

/// The contract lives in `docs/`: a subcommand or flag that `mmetl --help` shows, or a key the
/// pipeline parser accepts, must be documented there.
struct DocsCoverageTests {
    static func doc(_ name: String) throws -> String {
        try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("docs/\(name)"), encoding: .utf8)
    }

    /// (command path, long flags) of every visible command, from the parser's own help dump.
    static func commands() throws -> [(String, [String])] {
        let dump = try CLI.run(["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var out: [(String, [String])] = []
        func walk(_ c: [String: Any], _ path: [String]) {
            guard (c["shouldDisplay"] as? Bool) != false else { return }
            let name = c["commandName"] as? String ?? ""
            let here = path + (path.isEmpty && name == "mmetl" ? [] : [name])
            let flags = (c["arguments"] as? [[String: Any]] ?? []).filter { ($0["shouldDisplay"] as? Bool) != false }
                .flatMap { ($0["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" }.compactMap { $0["name"] as? String } }
            out.append((here.joined(separator: " "), flags))
            for s in c["subcommands"] as? [[String: Any]] ?? [] where s["commandName"] as? String != "help" { walk(s, here) }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return out
    }

    @Test func everyVisibleCommandAndFlagIsInTheCommandReference() throws {
        let text = try Self.doc("commands.md")
        let all = try Self.commands()
        #expect(all.count >= 10)
        for (command, flags) in all {
            if !command.isEmpty { #expect(text.contains("mmetl \(command)"), "docs/commands.md lacks `mmetl \(command)`") }
            for f in flags { #expect(text.contains("--\(f)"), "docs/commands.md lacks --\(f) of `mmetl \(command)`") }
        }
    }

    @Test func everyPipelineKeyIsInThePipelineReference() throws {
        let text = try Self.doc("pipeline.md")
        #expect(PipelineKeys.paths.count > 40)
        for key in PipelineKeys.paths {
            #expect(text.contains("`\(key)`"), "docs/pipeline.md lacks `\(key)`")
        }
    }
}
