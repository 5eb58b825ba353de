import ArchiveGzip
import Foundation
import MMCore
import Testing

private func key(_ seq: Int, dataset: String = "template_analytics", waba: String = "1001", date: String = "2025-01-02",
                 run: Int64 = 42) -> ArchiveKey {
    ArchiveKey(dataset: dataset, wabaID: waba, windowStart: date, runID: run, seq: seq)
}

private func sidecar(url: String = "https://graph.facebook.com/v21.0/1001/template_analytics?start=1&end=2",
                     headers: [HTTPHeader] = [HTTPHeader("Content-Type", "application/json")]) -> ArchiveSidecar {
    ArchiveSidecar(url: url, status: 200, responseHeaders: headers, fetchedAt: "2025-01-03T04:05:06Z",
                   dataset: "template_analytics", wabaID: "1001", windowStart: "2025-01-02",
                   windowEnd: "2025-01-03", page: 1)
}

/// Runs `body` against both stores, so the in-memory twin keeps the file store's semantics.
private func withBothStores(_ body: (any ArchiveCatalog, _ corruptStored: (String, (inout [UInt8]) -> Void) throws -> Void) throws -> Void) throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = FileArchiveStore(directory: dir.path)
    try body(file) { path, mutate in
        var bytes = try readFile(file.absolute(path))
        mutate(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: file.absolute(path)))
    }
    let memory = InMemoryArchiveStore()
    try body(memory) { path, mutate in
        var bytes = try #require(memory.storedFile(path))
        mutate(&bytes)
        memory.replaceStoredFile(path, with: bytes)
    }
}

@Suite("archive stores")
struct ArchiveStoreTests {
    @Test("write then read returns the body; manifest entry matches the stored file")
    func roundTrip() throws {
        try withBothStores { store, _ in
            for (seq, body) in [[], [0x7b], Samples.analyticsJSON(approximateBytes: 100_000)].enumerated() {
                let page = try store.write(body, sidecar: sidecar(), at: key(seq))
                #expect(page.relativePath == key(seq).relativePath)
                #expect(page.rawBytes == body.count)
                #expect(page.sha256.count == 64 && page.sha256 == page.sha256.lowercased())
                #expect(try store.read(relativePath: page.relativePath, expectedSHA256: page.sha256) == body)
                #expect(try store.read(relativePath: page.relativePath, expectedSHA256: page.sha256.uppercased()) == body)
            }
        }
    }

    @Test("the stored file is readable with zcat and its sha256sum is the manifest's")
    func systemTools() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = FileArchiveStore(directory: dir.path + "/")
        let body = Samples.analyticsJSON(approximateBytes: 40_000)
        let page = try store.write(body, sidecar: sidecar(), at: key(7))
        let path = "\(dir.path)/template_analytics/waba=1001/2025-01-02/42-000007.json.gz"
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try run("/bin/zcat", [path]).stdout == body)
        let sum = String(decoding: try run("/usr/bin/sha256sum", [path]).stdout, as: UTF8.self)
        #expect(sum.hasPrefix(page.sha256 + " "))
        #expect(page.compressedBytes == (try readFile(path)).count)
    }

    @Test("a flipped byte is caught by the checksum; with a matching checksum, by gunzip")
    func corruption() throws {
        try withBothStores { store, corrupt in
            let page = try store.write(Samples.analyticsJSON(approximateBytes: 30_000), sidecar: sidecar(), at: key(1))
            try corrupt(page.relativePath) { $0[$0.count / 2] ^= 0x01 }
            #expect {
                try store.read(relativePath: page.relativePath, expectedSHA256: page.sha256)
            } throws: { error in
                guard case ArchiveError.checksumMismatch(let path, let expected, _) = error else { return false }
                return path == page.relativePath && expected == page.sha256
            }
            // Someone recorded the checksum of the damaged file: gunzip still refuses it.
            let damaged = try #require(try storedBytes(store, page.relativePath))
            #expect {
                try store.read(relativePath: page.relativePath, expectedSHA256: sha256Hex(damaged))
            } throws: { error in
                guard case ArchiveError.corrupt(let path, _) = error else { return false }
                return path == page.relativePath
            }
        }
    }

    @Test("a truncated file fails as corrupt, a missing one as not found")
    func truncatedAndMissing() throws {
        try withBothStores { store, corrupt in
            let page = try store.write(Samples.randomBytes(5000), sidecar: sidecar(), at: key(2))
            try corrupt(page.relativePath) { $0.removeLast(10) }
            let truncated = try #require(try storedBytes(store, page.relativePath))
            #expect(throws: ArchiveError.self) {
                try store.read(relativePath: page.relativePath, expectedSHA256: sha256Hex(truncated))
            }
            #expect(throws: ArchiveError.notFound(path: "template_analytics/waba=1/2025-01-01/1-000001.json.gz")) {
                try store.read(relativePath: "template_analytics/waba=1/2025-01-01/1-000001.json.gz", expectedSHA256: page.sha256)
            }
            #expect(throws: ArchiveError.self) { try store.read(relativePath: "../etc/passwd", expectedSHA256: "") }
        }
    }

    @Test("the sidecar never holds a token, a proof or an Authorization header")
    func sidecarRedaction() throws {
        try withBothStores { store, _ in
            var meta = sidecar(url: "https://graph.facebook.com/v21.0/1001/x?access_token=EAAGsecret&fields=a&appsecret_proof=proof123",
                               headers: [HTTPHeader("authorization", "Bearer EAAGsecret"), HTTPHeader("X-Business-Use-Case-Usage", "{}"),
                                         HTTPHeader("Set-Cookie", "c=1")])
            // Even when mutated after init.
            meta.url += "&access_token=EAAGsecret2"
            meta.responseHeaders.append(HTTPHeader("Authorization", "Bearer EAAGsecret3"))
            let page = try store.write([1, 2, 3], sidecar: meta, at: key(3))
            let json = String(decoding: try #require(try storedBytes(store, key(3).sidecarRelativePath)), as: UTF8.self)
            for secret in ["EAAGsecret", "proof123", "access_token", "appsecret_proof", "uthorization", "c=1"] {
                #expect(!json.contains(secret), "sidecar contains \(secret)")
            }
            let back = try store.readSidecar(relativePath: page.relativePath)
            #expect(back.url == "https://graph.facebook.com/v21.0/1001/x?fields=a")
            #expect(back.responseHeaders == [HTTPHeader("X-Business-Use-Case-Usage", "{}")])
            #expect(json.contains("\"dataset\" : \"template_analytics\""))  // sorted, pretty JSON
        }
    }

    @Test("atomic writes leave no temporary files; overwrite replaces")
    func noTemporaries() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = FileArchiveStore(directory: dir.path)
        for seq in 0..<5 { _ = try store.write(Samples.randomBytes(1000, seed: UInt64(seq)), sidecar: sidecar(), at: key(seq)) }
        let second = try store.write([9, 9], sidecar: sidecar(), at: key(0))
        #expect(try store.read(relativePath: second.relativePath, expectedSHA256: second.sha256) == [9, 9])
        let files = dir.allFiles()
        #expect(files.count == 10)
        #expect(files.allSatisfy { !$0.split(separator: "/").last!.hasPrefix(".") && !$0.contains("tmp") })
    }

    @Test("concurrent writers to one directory")
    func concurrentWrites() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = FileArchiveStore(directory: dir.path, compressionLevel: 1)
        let pages = try await withThrowingTaskGroup(of: ArchivedPage.self) { group in
            for seq in 0..<16 {
                group.addTask { try store.write(Samples.randomBytes(20_000, seed: UInt64(seq)), sidecar: sidecar(), at: key(seq)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(pages.count == 16)
        for page in pages { _ = try store.read(relativePath: page.relativePath, expectedSHA256: page.sha256) }
        #expect(dir.allFiles().count == 32)
    }

    @Test("listing by dataset, WABA and date range; remove")
    func listing() throws {
        try withBothStores { store, _ in
            let keys = [key(1, date: "2025-01-01"), key(2, date: "2025-01-01"), key(1, date: "2025-01-03"),
                        key(1, waba: "2002", date: "2025-01-02"), key(1, dataset: "pricing_analytics", date: "2025-01-02"),
                        key(10, date: "2025-01-02", run: 7), key(3, date: "2025-01-02", run: 7)]
            for k in keys { _ = try store.write([1], sidecar: sidecar(), at: k) }

            let all = try store.list(ArchiveSelection(dataset: "template_analytics"))
            #expect(all.map(\.relativePath) == [
                "template_analytics/waba=1001/2025-01-01/42-000001.json.gz",
                "template_analytics/waba=1001/2025-01-01/42-000002.json.gz",
                "template_analytics/waba=1001/2025-01-02/7-000003.json.gz",
                "template_analytics/waba=1001/2025-01-02/7-000010.json.gz",
                "template_analytics/waba=1001/2025-01-03/42-000001.json.gz",
                "template_analytics/waba=2002/2025-01-02/42-000001.json.gz",
            ])
            #expect(all[2] == ArchiveFileEntry(relativePath: "template_analytics/waba=1001/2025-01-02/7-000003.json.gz",
                                               dataset: "template_analytics", wabaID: "1001", windowStart: "2025-01-02",
                                               runID: 7, seq: 3))
            let ranged = try store.list(ArchiveSelection(dataset: "template_analytics", wabaID: "1001",
                                                         fromDate: "2025-01-02", throughDate: "2025-01-02"))
            #expect(ranged.map(\.seq) == [3, 10])
            #expect(try store.list(ArchiveSelection(dataset: "nope")).isEmpty)

            try store.remove(relativePath: ranged[0].relativePath)
            try store.remove(relativePath: ranged[0].relativePath)  // idempotent
            #expect(try store.list(ArchiveSelection(dataset: "template_analytics", fromDate: "2025-01-02", throughDate: "2025-01-02")).count == 2)
            #expect(throws: ArchiveError.self) { try store.readSidecar(relativePath: ranged[0].relativePath) }
        }
    }

    @Test("keys that would escape their directory are refused")
    func invalidKeys() throws {
        try withBothStores { store, _ in
            #expect(throws: ArchiveError.self) { try store.write([1], sidecar: sidecar(), at: key(1, dataset: "..")) }
            #expect(throws: ArchiveError.self) { try store.write([1], sidecar: sidecar(), at: key(1, waba: "1/../../x")) }
        }
    }
}

/// The stored bytes of either store.
private func storedBytes(_ store: any ArchiveCatalog, _ path: String) throws -> [UInt8]? {
    if let memory = store as? InMemoryArchiveStore { return memory.storedFile(path) }
    if let file = store as? FileArchiveStore { return try readFile(file.absolute(path)) }
    return nil
}

private func sha256Hex(_ bytes: [UInt8]) -> String {
    // Via the store's own contract: write a file and ask sha256sum, to stay independent of Crypto here.
    let path = NSTemporaryDirectory() + "mmetl-sha-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    try? Data(bytes).write(to: URL(fileURLWithPath: path))
    let out = (try? run("/usr/bin/sha256sum", [path]).stdout) ?? []
    return String(String(decoding: out, as: UTF8.self).prefix(64))
}
