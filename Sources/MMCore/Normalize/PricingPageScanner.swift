/// `pricing_analytics` pages read by `JSONScanner` into the same `Series`/`Point` values the
/// `Decodable` types give (the property test `AnalyticsScannerOracleTests` holds them to it).
/// Throws on anything it would not read exactly alike (see `JSONScanner.graphPageItems`).
extension PricingNormalizer {
    static func scan(_ bytes: [UInt8]) throws -> [Series] {
        try JSONScanner.graphPageItems(bytes) { s in try scanSeries(&s) }
    }

    private static func scanSeries(_ s: inout JSONScanner) throws -> Series {
        guard s.nextIsObject else { throw s.fail("a series is an object") }
        var points: [Point]?
        var seen = KeysSeen()
        try s.object { key, s in
            switch key {
            case "data_points": try seen.once(0, s); points = try s.optionalItems { s in try scanPoint(&s) }
            default: try s.skipValue()
            }
        }
        return Series(data_points: points)
    }

    private static func scanPoint(_ s: inout JSONScanner) throws -> Point {
        guard s.nextIsObject else { throw s.fail("a data point is an object") }
        var start: LenientInstant?, end: LenientInstant?
        var country: String?, phone: String?, category: String?, type: String?, tier: String?
        var volume: LenientDecimal?, cost: LenientDecimal?
        var seen = KeysSeen()
        try s.object { key, s in
            switch key {
            case "start": try seen.once(0, s); start = try s.lenientInstant()
            case "end": try seen.once(1, s); end = try s.lenientInstant()
            case "country": try seen.once(2, s); country = try s.optionalString()
            case "phone_number": try seen.once(3, s); phone = try s.optionalString()
            case "pricing_category": try seen.once(4, s); category = try s.optionalString()
            case "pricing_type": try seen.once(5, s); type = try s.optionalString()
            case "tier": try seen.once(6, s); tier = try s.optionalString()
            case "volume": try seen.once(7, s); volume = try s.lenientDecimal()
            case "cost": try seen.once(8, s); cost = try s.lenientDecimal()
            default: try s.skipValue()
            }
        }
        guard let start, let end else { throw s.fail("a data point without start or end") }
        return Point(start: start, end: end, country: country, phone_number: phone, pricing_category: category,
                     pricing_type: type, tier: tier, volume: volume, cost: cost)
    }
}

/// Which known keys an object has had: a repeated one throws (`JSONDecoder` keeps one of them by
/// its own rule, so the scanner leaves such a page to it).
struct KeysSeen {
    private var bits: UInt32 = 0

    mutating func once(_ bit: Int, _ s: JSONScanner) throws {
        let mask = UInt32(1) << UInt32(bit)
        guard bits & mask == 0 else { throw s.fail("a repeated key") }
        bits |= mask
    }
}
