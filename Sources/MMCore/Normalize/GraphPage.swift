import Foundation

/// The envelope of an analytics/catalog page: `{"data":[…],"paging":…}` at the top level, or wrapped
/// by field expansion as `{"<field>":{"data":[…]},"id":…}`. Unknown keys are ignored (they stay in the archive).
struct GraphPage<Item: Decodable>: Decodable {
    var data: [Item]

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        if let d = try c.decodeIfPresent([Item].self, forKey: AnyKey("data")) { data = d; return }
        for key in c.allKeys where key.stringValue != "id" && key.stringValue != "paging" {
            if let inner = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: key),
               let d = try inner.decodeIfPresent([Item].self, forKey: AnyKey("data")) {
                data = d; return
            }
        }
        throw DecodingError.keyNotFound(AnyKey("data"), .init(codingPath: [], debugDescription: "the page has no \"data\" array"))
    }

    /// Decodes `bytes`, turning any decoding failure into a `NormalizeError` naming `source`.
    static func decode(_ bytes: [UInt8], source: String) throws -> GraphPage<Item> {
        do {
            return try JSONDecoder().decode(GraphPage<Item>.self, from: Data(bytes))
        } catch let e as DecodingError {
            throw NormalizeError(source: source, reason: describe(e))
        } catch {
            throw NormalizeError(source: source, reason: "not JSON: \(error)")
        }
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ ctx: DecodingError.Context) -> String {
            let p = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : " at \(p.hasPrefix(".") ? String(p.dropFirst()) : p)"
        }
        switch e {
        case .dataCorrupted(let ctx): return "invalid JSON or value\(path(ctx)): \(ctx.debugDescription)"
        case .keyNotFound(let k, let ctx): return "missing key \"\(k.stringValue)\"\(path(ctx))"
        case .typeMismatch(_, let ctx): return "wrong type\(path(ctx)): \(ctx.debugDescription)"
        case .valueNotFound(_, let ctx): return "null value\(path(ctx))"
        @unknown default: return "\(e)"
        }
    }
}

extension GraphPage {
    /// A page's items, read by `scan` (the byte-level `JSONScanner`); a page it does not read
    /// (invalid JSON, or a rare shape such as a number with an exponent) goes through the
    /// `Decodable` types — the scanner's oracle — which read it alike or name the problem
    /// (`NormalizeError`, naming `source`).
    static func items(_ bytes: [UInt8], source: String, scan: ([UInt8]) throws -> [Item]) throws -> [Item] {
        if let scanned = try? scan(bytes) { return scanned }
        return try decode(bytes, source: source).data
    }
}
