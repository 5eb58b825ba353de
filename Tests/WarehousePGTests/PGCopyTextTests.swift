import Testing
import WarehousePG

@Suite struct PGCopyTextTests {
    @Test func escapesTheFourSpecialBytesAndNull() {
        let row = PGCopyText.encodeRow(["a\tb", "line\nnext", "cr\rhere", #"back\slash"#, nil, "", #"\N"#])
        #expect(String(decoding: row, as: UTF8.self) == #"a\tb"# + "\t" + #"line\nnext"# + "\t" + #"cr\rhere"#
            + "\t" + #"back\\slash"# + "\t" + #"\N"# + "\t" + "" + "\t" + #"\\N"# + "\n")
    }

    @Test func passesUTF8AndOtherControlCharactersThrough() {
        let text = "Grüße 👋🏽 \u{7} 'quoted' \"double\" ✓"
        let row = PGCopyText.encodeRow([text])
        #expect(row == Array(text.utf8) + [0x0A])
    }

    @Test func roundTripsThroughTheDecoder() {
        let fields: [String?] = ["\\\\\t\n\r", nil, "", "\\N", "x\\ty", "🙂\t🙃", "trailing\\"]
        var line = PGCopyText.encodeRow(fields)
        line.removeLast()
        #expect(PGCopyText.decodeRow(line) == fields)
    }

    @Test(arguments: [Int64(0), 7, 10, -1, -10, 1234567890, Int64.max, Int64.min])
    func integersMatchSwiftsFormatting(value: Int64) {
        var buffer: [UInt8] = []
        PGCopyText.appendInteger(value, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == String(value))
    }

    @Test func doublesUseNamesPostgresAccepts() {
        var buffer: [UInt8] = []
        PGCopyText.appendDouble(.infinity, to: &buffer)
        buffer.append(0x20)
        PGCopyText.appendDouble(.nan, to: &buffer)
        buffer.append(0x20)
        PGCopyText.appendDouble(0.1, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "Infinity NaN 0.1")
    }
}
