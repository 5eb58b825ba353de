import Foundation
import Logging
import MMTestSupport
import Testing
import WarehousePG

@Suite(.serialized) struct PGNoticeTests {
    @Test func noticesGoToTheLoggerWithTheirSeverity() throws {
        let db = try TestDatabase.create(label: "notices")
        defer { try? db.drop() }
        let captured = CapturedLogs()
        let logger = Logger(label: "test") { _ in CapturingHandler(store: captured) }
        let conn = try PGConnection(db.url, logger: logger)
        try conn.execute("DO $$ BEGIN RAISE WARNING 'careful: password=hunter2'; RAISE NOTICE 'just so you know'; END $$")
        let entries = captured.entries
        #expect(entries.contains { $0.level == .warning && $0.message.contains("careful") })
        #expect(entries.contains { $0.level == .debug && $0.message.contains("just so you know") })
        #expect(!entries.contains { $0.message.contains("hunter2") })

        // Without a logger notices are dropped quietly.
        let quiet = try db.connect()
        try quiet.execute("DO $$ BEGIN RAISE WARNING 'nobody listens'; END $$")
    }
}

final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(level: Logger.Level, message: String)] = []
    func add(_ level: Logger.Level, _ message: String) { lock.withLock { stored.append((level, message)) } }
    var entries: [(level: Logger.Level, message: String)] { lock.withLock { stored } }
}

struct CapturingHandler: LogHandler {
    let store: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        store.add(level, message.description)
    }
}
