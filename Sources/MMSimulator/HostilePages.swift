/// Pages a hostile or broken Graph API could answer, for the fault matrix.
enum HostilePages {
    static func body(_ fault: FaultKind, request req: GraphRequest, n: Int, baseURL: String, config: SimulatorConfig) -> [UInt8] {
        let version = req.version ?? "v25.0"
        let path = req.segments.joined(separator: "/")
        switch fault {
        case .foreignNext:
            return Array(#"{"data":[],"paging":{"cursors":{"after":"F\#(n)"},"next":"\#(config.foreignBaseURL)/\#(version)/\#(path)?after=F\#(n)"}}"#.utf8)
        case .endless:
            return Array(#"{"data":[],"paging":{"cursors":{"after":"E\#(n)"},"next":"\#(baseURL)/\#(version)/\#(path)?after=E\#(n)&limit=1"}}"#.utf8)
        case .oversize:
            let head = Array(#"{"data":[],"padding":""#.utf8), tail = Array(#""}"#.utf8)
            return head + [UInt8](repeating: UInt8(ascii: "x"), count: max(0, config.oversizeBytes - head.count - tail.count)) + tail
        default:
            return Array(#"{"data":[]}"#.utf8)
        }
    }
}

/// A gzip member whose deflate stream (fixed Huffman codes: one literal, then length-258
/// distance-1 copies, 13 bits each) inflates to `decodedBytes` spaces: about 160:1. The trailer's
/// CRC is not computed (a client stops at its size cap long before it would check it).
enum DeflateBomb {
    static func gzip(decodedBytes: Int) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, count: 1)          // BFINAL
        bits.write(1, count: 2)          // BTYPE = 01, fixed Huffman
        bits.writeCode(0x30 + 0x20, length: 8)   // literal ' ' (0x20): codes 0x30… for 0–143
        var left = max(0, decodedBytes - 1)
        while left >= 258 {
            bits.writeCode(0b1100_0101, length: 8)  // symbol 285: length 258
            bits.writeCode(0, length: 5)             // distance code 0: distance 1
            left -= 258
        }
        for _ in 0..<left { bits.writeCode(0x30 + 0x20, length: 8) }
        bits.writeCode(0, length: 7)                 // end of block (256)
        let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        let size = UInt32(truncatingIfNeeded: decodedBytes)
        let trailer: [UInt8] = [0, 0, 0, 0] + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
        return header + bits.bytes + trailer
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var used = 0

        /// Data bits, least significant first.
        mutating func write(_ value: UInt32, count: Int) {
            for i in 0..<count { push((value >> i) & 1) }
        }

        /// A Huffman code, most significant bit first.
        mutating func writeCode(_ code: UInt32, length: Int) {
            for i in stride(from: length - 1, through: 0, by: -1) { push((code >> i) & 1) }
        }

        private mutating func push(_ bit: UInt32) {
            if used == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8(bit << used)
            used = (used + 1) & 7
        }
    }
}
