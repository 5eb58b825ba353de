import MMCore
import Testing
@testable import WarehousePG

/// The sink's count of reject rows decides whether the load scans the stage for them.
@Suite("Send-log COPY sink")
struct SendLogCopySinkTests {
    @Test func rejectsAreCountedInTheSinkAndInEveryPartAppended() throws {
        let file = SendLogCopySink.encodingInMemory()
        try file.write(.send(SendRecord(wamid: "m1", sentAt: 1_000)), line: 1)
        #expect(file.rejectsWritten == 0)
        try file.write(SendLogReject(reason: .invalidJSON, detail: "not json", raw: "x", line: 2))
        #expect(file.rejectsWritten == 1)

        let part = file.makePart()
        try part.write(.status(StatusRecord(wamid: "m1", status: "sent", timestamp: 2_000)), line: 3)
        try part.write(SendLogReject(reason: .unknownKind, detail: "sms", raw: "y", line: 4))
        try part.write(SendLogReject(reason: .invalidJSON, detail: "not json", raw: "z", line: 5))
        let clean = file.makePart()
        try clean.write(.send(SendRecord(wamid: "m2", sentAt: 3_000)), line: 6)
        try file.append(part)
        try file.append(clean)
        #expect(file.rejectsWritten == 3)
    }
}
