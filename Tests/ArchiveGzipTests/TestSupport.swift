import Foundation

/// A deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Samples {
    static func randomBytes(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            var word = rng.next()
            for _ in 0..<8 where i < count {
                out[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        return out
    }

    /// A template_analytics-shaped Graph API page of about `approximateBytes`.
    static func analyticsJSON(approximateBytes: Int, seed: UInt64 = 7) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var text = #"{"data":[{"granularity":"DAILY","product_type":"cloud_api","data_points":["#
        var first = true
        var day = 1_735_689_600
        while text.utf8.count < approximateBytes {
            if !first { text += "," }
            first = false
            let template = 1_000_000_000_000 + Int(rng.next() % 500)
            let sent = Int(rng.next() % 5000)
            let delivered = sent - Int(rng.next() % UInt64(max(1, sent / 10 + 1)))
            let read = delivered - Int(rng.next() % UInt64(max(1, delivered / 3 + 1)))
            let spend = Double(rng.next() % 100_000) / 1000
            text += #"{"template_id":"\#(template)","start":\#(day),"end":\#(day + 86400),"sent":\#(sent),"#
            text += #""delivered":\#(delivered),"read":\#(read),"clicked":[{"type":"quick_reply_button","#
            text += #""button_content":"Shop now","count":\#(rng.next() % 200)}],"cost":[{"type":"amount_spent","value":\#(spend)},"#
            text += #"{"type":"cost_per_delivered","value":\#(spend / Double(max(delivered, 1)))}]}"#
            day += 86400
        }
        text += #"]}],"paging":{"cursors":{"before":"MAZDZD","after":"MjQZD"},"next":"https://graph.facebook.com/v21.0/123/template_analytics?after=MjQZD"}}"#
        return Array(text.utf8)
    }
}

/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "mmetl-archive-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let p = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// Every file below the directory, relative, sorted (including dot files).
    func allFiles() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: path) else { return [] }
        var out: [String] = []
        while let next = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(path)/\(next)", isDirectory: &isDir), !isDir.boolValue { out.append(next) }
        }
        return out.sorted()
    }
}

/// Runs a system tool, returning its exit status and stdout.
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: [UInt8]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, [UInt8](data))
}

func readFile(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
