import Foundation
import Testing
@testable import MMSimulator

@Suite struct ParsingTests {
    @Test func faultSpecs() throws {
        #expect(try FaultSpec.parse("throttle:0.2") == FaultSpec(kind: .throttle, trigger: .rate(0.2)))
        #expect(try FaultSpec.parse("5xx@3") == FaultSpec(kind: .serverError, trigger: .nth(3)))
        #expect(try FaultSpec.parse("token") == FaultSpec(kind: .token, trigger: .rate(1)))
        #expect(try FaultSpec.parse("throttle:1") == FaultSpec(kind: .throttle, trigger: .rate(1)))
        #expect(try FaultSpec.parse("emptypage@2").kind == .emptyPage)
        #expect(try FaultSpec.parse("5xx@3").description == "5xx@3")
        #expect(throws: FaultSpecError.self) { try FaultSpec.parse("explode") }
        #expect(throws: FaultSpecError.self) { try FaultSpec.parse("throttle:2") }
        #expect(throws: FaultSpecError.self) { try FaultSpec.parse("5xx@0") }
    }

    @Test func civilDates() {
        for s in ["1970-01-01", "2024-02-29", "2026-11-24", "2000-03-01", "1999-12-31"] {
            #expect(CivilDate.format(CivilDate.parse(s)!) == s)
        }
        #expect(CivilDate.parse("1970-01-01") == 0)
        #expect(CivilDate.parse("2026-02-29") == nil)
        #expect(CivilDate.parse("2026-1-01") == nil)
        #expect(CivilDate.iso8601(epochSeconds: 1_750_030_073) == "2025-06-15T23:27:53Z")
    }

    @Test func localMidnights() {
        let la = TimeZone(identifier: "America/Los_Angeles")!
        // 2025-06-01 local midnight in LA is 07:00Z (Meta's documented pricing bucket start).
        #expect(TimeZoneIDs.localMidnight(day: CivilDate.parse("2025-06-01")!, in: la) == 1_748_761_200)
        #expect(TimeZoneIDs.localDay(epochSeconds: 1_748_761_200, in: la) == CivilDate.parse("2025-06-01"))
        #expect(TimeZoneIDs.ianaName(forID: "1") == "America/Los_Angeles")
    }

    @Test func arrayParametersInEveryForm() {
        #expect(QueryCoding.array("[A,B]") == ["A", "B"])
        #expect(QueryCoding.array("[\"A\", \"B\"]") == ["A", "B"])
        #expect(QueryCoding.array("A,B") == ["A", "B"])
        #expect(QueryCoding.array("[]") == [])
        #expect(QueryCoding.array(nil) == [])
        #expect(QueryCoding.decode("%5B%22A%22%2C%22B%22%5D") == "[\"A\",\"B\"]")
        #expect(QueryCoding.decode("a+b") == "a b")
    }

    @Test func fieldExpansion() {
        let f = FieldSelection("id,name,template_analytics.start(2026-11-01).end(2026-11-24).template_ids([1,2]).metric_types([\"SENT\",\"READ\"]),currency")
        #expect(f.names == ["id", "name", "template_analytics", "currency"])
        let t = f.field("template_analytics")!
        #expect(t.modifiers["start"] == "2026-11-01")
        #expect(t.modifiers["template_ids"] == "[1,2]")
        #expect(QueryCoding.array(t.modifiers["metric_types"]) == ["SENT", "READ"])
    }

    @Test func cursorsRoundTrip() {
        for n in [0, 1, 25, 499, 123_456] { #expect(PageCursor.decode(PageCursor.encode(offset: n)) == n) }
        #expect(PageCursor.decode("MjQZD") == nil)
    }

    @Test func jsonWriterEscapesLikeMeta() throws {
        var j = JSONWriter()
        j.beginObject()
        j.keyString("s", "a\"b\\c/d\te\n\u{1}é\u{1F6D2}")
        j.key("m"); j.micros(925_000)
        j.key("z"); j.micros(0)
        j.key("n"); j.int(-42)
        j.key("q"); j.count(12, quoted: true)
        j.endObject()
        let text = String(decoding: j.bytes, as: UTF8.self)
        #expect(text == #"{"s":"a\"b\\c\/d\te\n\u0001\u00e9\ud83d\uded2","m":0.925,"z":0,"n":-42,"q":"12"}"#)
        let back = try JSONSerialization.jsonObject(with: Data(j.bytes)) as! [String: Any]
        #expect(back["s"] as? String == "a\"b\\c/d\te\n\u{1}é\u{1F6D2}")
    }

    @Test func gzipStoredIsValid() throws {
        let data = Array((0..<200_000).map { UInt8($0 % 251) })
        let gz = GzipStored.wrap(data)
        #expect(try gunzip(gz) == data)
        #expect(GzipStored.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}

/// gunzip through the system tool.
func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
    p.arguments = ["-dc"]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    let writer = Thread {
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
    }
    writer.start()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Array(out)
}
