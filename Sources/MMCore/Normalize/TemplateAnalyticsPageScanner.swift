import Foundation

/// `template_analytics` pages read by `JSONScanner` into the same `Series`/`Point` values the
/// `Decodable` types give (the property test `AnalyticsScannerOracleTests` holds them to it).
/// Extra keys of a data point are read in document order. Throws on anything it would not read
/// exactly alike (see `JSONScanner.graphPageItems`).
extension TemplateAnalyticsNormalizer {
    static func scan(_ bytes: [UInt8]) throws -> [Series] {
        try JSONScanner.graphPageItems(bytes) { s in try scanSeries(&s) }
    }

    private static func scanSeries(_ s: inout JSONScanner) throws -> Series {
        guard s.nextIsObject else { throw s.fail("a series is an object") }
        var series = Series()
        var seen = KeysSeen()
        try s.object { key, s in
            switch key {
            case "product_type": try seen.once(0, s); series.product_type = try s.optionalString()
            case "waba_timezone": try seen.once(1, s); series.waba_timezone = try s.optionalString()
            case "data_points": try seen.once(2, s); series.data_points = try s.optionalItems { s in try scanPoint(&s) }
            default: try s.skipValue()
            }
        }
        return series
    }

    private static func scanPoint(_ s: inout JSONScanner) throws -> Point {
        guard s.nextIsObject else { throw s.fail("a data point is an object") }
        var id: String?, start: LenientInstant?, end: LenientInstant?
        var sent: LenientDecimal?, delivered: LenientDecimal?, read: LenientDecimal?, replied: LenientDecimal?
        var clicked: [Click] = [], cost: [TypedValue] = []
        var listed: [(String, Decimal)] = [], extra: [(String, Decimal)] = []
        var unknown: [String] = []
        var seen = KeysSeen()
        try s.object { key, s in
            switch key {
            case "template_id": try seen.once(0, s); id = try s.idText()
            case "start": try seen.once(1, s); start = try s.lenientInstant()
            case "end": try seen.once(2, s); end = try s.lenientInstant()
            case "sent": try seen.once(3, s); sent = try s.lenientDecimal()
            case "delivered": try seen.once(4, s); delivered = try s.lenientDecimal()
            case "read": try seen.once(5, s); read = try s.lenientDecimal()
            case "replied": try seen.once(6, s); replied = try s.lenientDecimal()
            case "clicked": try seen.once(7, s); clicked = try s.optionalItems { s in try scanClick(&s) } ?? []
            case "cost": try seen.once(8, s); cost = try s.optionalItems { s in try scanTypedValue(&s) } ?? []
            case "conversions":
                try seen.once(9, s)
                for entry in try s.optionalItems({ s in try scanTypedValue(&s) }) ?? [] {
                    if let v = entry.value { listed.append((entry.type.lowercasedIfNeeded, v.value)) }
                }
            default:
                let name = s.internedText(of: key)
                if let value = try s.extraNumber() { extra.append((name.lowercasedIfNeeded, value.value)) } else { unknown.append(name) }
            }
        }
        guard let id, let start, let end else { throw s.fail("a data point without template_id, start or end") }
        return Point(templateID: id, start: start, end: end, sent: sent, delivered: delivered, read: read, replied: replied,
                     clicked: clicked, cost: cost, conversions: listed + extra, unknownKeys: unknown)
    }

    private static func scanClick(_ s: inout JSONScanner) throws -> Click {
        guard s.nextIsObject else { throw s.fail("a click is an object") }
        var type: String?, content: String?, count: LenientDecimal?
        var seen = KeysSeen()
        try s.object { key, s in
            switch key {
            case "type": try seen.once(0, s); type = try s.optionalString()
            case "button_content": try seen.once(1, s); content = try s.optionalString()
            case "count": try seen.once(2, s); count = try s.lenientDecimal()
            default: try s.skipValue()
            }
        }
        guard let type else { throw s.fail("a click without type") }
        return Click(type: type, button_content: content, count: count)
    }

    private static func scanTypedValue(_ s: inout JSONScanner) throws -> TypedValue {
        guard s.nextIsObject else { throw s.fail("a typed value is an object") }
        var type: String?, value: LenientDecimal?
        var seen = KeysSeen()
        try s.object { key, s in
            switch key {
            case "type": try seen.once(0, s); type = try s.optionalString()
            case "value": try seen.once(1, s); value = try s.lenientDecimal()
            default: try s.skipValue()
            }
        }
        guard let type else { throw s.fail("a typed value without type") }
        return TypedValue(type: type, value: value)
    }
}

extension JSONScanner {
    /// An extra key's value as `try? LenientDecimal` reads it: a number or numeric string is a
    /// value; any other value (null, booleans, text, objects, arrays) is consumed and nil.
    mutating func extraNumber() throws -> LenientDecimal? {
        switch peek() {
        case UInt8(ascii: "\""):
            if let value = try quotedPlainNumber() { return value }
            return LenientDecimal(text: try string())
        case let c? where c == UInt8(ascii: "-") || isDigit(c):
            return try lenientDecimal()
        default:
            try skipValue()
            return nil
        }
    }
}
