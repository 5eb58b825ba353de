import Foundation
import Testing
import Yams
@testable import MMCore

/// Every file under `pipelines/` parses: pipelines through mmetl's own validation, scheduler
/// manifests as YAML, systemd units and the cron line by their shape.
@Suite struct PipelineFilesTests {
    static var root: URL {
        var u = URL(fileURLWithPath: #filePath)
        while u.path != "/" {
            u.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) { return u }
        }
        return u
    }

    static func files(_ ext: String) -> [URL] {
        let dir = root.appendingPathComponent("pipelines")
        let all = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return all.filter { $0.pathExtension == ext }.sorted { $0.path < $1.path }
    }

    @Test func everyPipelineFileValidates() throws {
        let pipelines = Self.files("yaml").filter { !$0.path.contains("/kubernetes/") }
        #expect(pipelines.count >= 2)
        for f in pipelines {
            let text = try String(contentsOf: f, encoding: .utf8)
            _ = try PipelineParser.parse(text, file: f.lastPathComponent)
        }
    }

    @Test func kubernetesManifestsAreYAMLWithForbidConcurrencyAndTheTokenFromASecret() throws {
        let manifests = Self.files("yaml").filter { $0.path.contains("/kubernetes/") }
        #expect(!manifests.isEmpty)
        for f in manifests {
            let doc = try #require(try Yams.load(yaml: String(contentsOf: f, encoding: .utf8)) as? [String: Any])
            if doc["kind"] as? String == "PersistentVolumeClaim" {   // the shards' shared archive
                let spec = try #require(doc["spec"] as? [String: Any])
                #expect(spec["accessModes"] as? [String] == ["ReadWriteMany"], "\(f.lastPathComponent)")
                continue
            }
            #expect(doc["kind"] as? String == "CronJob")
            let spec = try #require(doc["spec"] as? [String: Any])
            #expect(spec["concurrencyPolicy"] as? String == "Forbid")
            let text = try String(contentsOf: f, encoding: .utf8)
            #expect(text.contains("secretKeyRef"))
        }
    }

    @Test func theShardedCronJobIsAnIndexedJobWhoseShardCountMatchesItsCompletions() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("pipelines/kubernetes/cronjob-sharded.yaml"), encoding: .utf8)
        let doc = try #require(try Yams.load(yaml: text) as? [String: Any])
        let job = try #require(((doc["spec"] as? [String: Any])?["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(job["completionMode"] as? String == "Indexed")
        let n = try #require(job["completions"] as? Int)
        #expect(job["parallelism"] as? Int == n)
        let pod = try #require((job["template"] as? [String: Any])?["spec"] as? [String: Any])
        // SIGTERM ends a run within 30 s: the grace period must leave room for it.
        #expect((pod["terminationGracePeriodSeconds"] as? Int ?? 0) > 30)
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let args = try #require(container["args"] as? [String])
        let i = try #require(args.firstIndex(of: "--shard-count"))
        #expect(args[i + 1] == String(n))
        #expect(args.contains("--transform-if-last"))
        let volumes = try #require(pod["volumes"] as? [[String: Any]])
        let claims = volumes.compactMap { ($0["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String }
        let claim = try #require(claims.first)
        let pvc = try String(contentsOf: Self.root.appendingPathComponent("pipelines/kubernetes/archive-pvc.yaml"), encoding: .utf8)
        #expect(pvc.contains("name: \(claim)") && pvc.contains("ReadWriteMany"))
    }

    @Test func systemdUnitsAndCronLineHaveTheirShape() throws {
        let service = try String(contentsOf: Self.root.appendingPathComponent("pipelines/systemd/mmetl-nightly.service"), encoding: .utf8)
        #expect(service.contains("[Service]") && service.contains("ExecStart=") && service.contains("mmetl run --pipeline"))
        #expect(!service.contains("MMETL_ACCESS_TOKEN="))
        let timer = try String(contentsOf: Self.root.appendingPathComponent("pipelines/systemd/mmetl-nightly.timer"), encoding: .utf8)
        #expect(timer.contains("[Timer]") && timer.contains("OnCalendar="))
        let cron = try String(contentsOf: Self.root.appendingPathComponent("pipelines/cron/mmetl.cron"), encoding: .utf8)
        let line = try #require(cron.split(separator: "\n").first { !$0.hasPrefix("#") && !$0.isEmpty })
        #expect(line.split(separator: " ").count > 6)
    }
}
