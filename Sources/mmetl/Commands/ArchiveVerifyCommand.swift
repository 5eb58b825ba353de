import ArchiveGzip
import ArgumentParser
import Foundation
import MMCore
import WarehousePG

/// `mmetl archive verify`: every archived file against the manifest.
struct ArchiveVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every archive file against the manifest: missing, corrupt and unlisted files, by path (exit 1 when any).",
        discussion: """
            Each manifest row's file must exist with the manifest's size and sha256, decompress whole to the manifest's raw size \
            and have a readable sidecar; every file in the archive must be listed. --repair-manifest adds rows for unlisted \
            files whose body and sidecar are intact: as part of an incomplete fetch (never replayed) unless the sidecars prove the \
            fetch's set of pages complete. Exit 0 when nothing is (left) wrong, 1 otherwise.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The pipeline file (YAML).") var pipeline: String
    @Option(name: .long, help: "First window-start date YYYY-MM-DD to check (default: all).") var from: String?
    @Option(name: .long, help: "Last window-start date YYYY-MM-DD to check (default: all).") var to: String?
    @Option(name: .long, help: "Only this dataset (catalog, pricing, templates, waba, discovery).") var dataset: String?
    @Option(name: .long, help: "Only this WABA.") var waba: String?
    @Flag(name: .long, help: "Add manifest rows for unlisted files whose body and sidecar are intact.") var repairManifest = false

    func validate() throws {
        for (flag, value) in [("--from", from), ("--to", to)] {
            if let v = value, Day(v) == nil { throw ValidationError("\(flag) must be a date YYYY-MM-DD, not \"\(v)\"") }
        }
        if let d = dataset, !ArchiveAudit.datasets.contains(d) {
            throw ValidationError("--dataset \(d) is not one of \(ArchiveAudit.datasets.joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await withPipeline(global, pipeline) { comp, config, logger in
            let store = comp.archive(config)
            let warehouse = try comp.warehouse(config)
            let manifest = try await warehouse.rawPages(dataset: dataset, wabaIDs: waba.map { [$0] } ?? [],
                                                        from: from ?? "0001-01-01", to: to ?? "9999-12-31")
            var findings = manifest.compactMap { ArchiveAudit.check($0, in: store) }
            let listed = Set(manifest.map(\.archived.relativePath))
            var unlisted: [ArchiveFileEntry] = []
            for ds in dataset.map({ [$0] }) ?? ArchiveAudit.datasets {
                unlisted += try ArchiveAudit.unlisted(in: store, ArchiveSelection(dataset: ds, wabaID: waba, fromDate: from, throughDate: to),
                                                      listed: listed)
            }
            var repaired = 0
            if repairManifest && !unlisted.isEmpty {
                let (added, broken) = try await repair(unlisted, manifest: manifest, store: store, warehouse: warehouse)
                repaired = added
                findings += broken
            } else {
                findings += unlisted.map { ArchiveFinding(kind: .unlisted, path: $0.relativePath, reason: "no manifest row lists it") }
            }
            for f in findings.sorted(by: { ($0.kind.rawValue, $0.path) < ($1.kind.rawValue, $1.path) }) { print(f) }
            let count = { (k: ArchiveFinding.Kind) in findings.filter { $0.kind == k }.count }
            print("archive verify: \(manifest.count) listed file(s) checked · missing \(count(.missing)) · corrupt \(count(.corrupt)) · unlisted \(count(.unlisted))"
                  + (repairManifest ? " · manifest rows added \(repaired)" : ""))
            return findings.isEmpty ? 0 : 1
        }
    }

    /// Adds rows for intact unlisted files; returns how many, and findings for those it could not describe.
    private func repair(_ unlisted: [ArchiveFileEntry], manifest: [RawPageRecord], store: FileArchiveStore,
                        warehouse: PGWarehouse) async throws -> (Int, [ArchiveFinding]) {
        var pages: [UnlistedPage] = []
        var broken: [ArchiveFinding] = []
        for entry in unlisted {
            do { pages.append(try ArchiveAudit.describe(entry, in: store)) } catch {
                broken.append(ArchiveFinding(kind: .unlisted, path: entry.relativePath, reason: "not repairable: \(error)"))
            }
        }
        // A fetch is proven complete by its pages' sidecars: listed ones and the newly found ones.
        var requests: [Int64: [PageRequest]] = [:]
        for p in pages { if let r = p.request { requests[r.fetchID, default: []].append(r) } }
        for row in manifest {
            guard let id = row.fetchID, requests[id] != nil, let r = try? store.readSidecar(relativePath: row.archived.relativePath).request else { continue }
            requests[id, default: []].append(r)
        }
        let proven = Set(requests.filter { ArchiveAudit.provesComplete($0.value) }.keys)
        let added = try await warehouse.repairManifest(pages.map(\.record), provenComplete: proven)
        return (added, broken)
    }
}
