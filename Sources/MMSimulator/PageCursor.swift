import Foundation

/// Opaque `after`/`before` cursors: base64 (no padding) of "sim:<offset>".
enum PageCursor {
    static func encode(offset: Int) -> String {
        Data("sim:\(offset)".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// nil for a cursor this simulator did not make.
    static func decode(_ cursor: String) -> Int? {
        var s = cursor
        while s.count % 4 != 0 { s += "=" }
        guard let data = Data(base64Encoded: s), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("sim:"), let n = Int(text.dropFirst(4)), n >= 0 else { return nil }
        return n
    }
}

/// One page of a list: which slice to serve and the paging object to write after it.
struct PageWindow {
    let offset: Int
    let limit: Int

    /// Reads `limit` and `after` (edge query or field-expansion modifiers).
    static func from(_ params: [String: String], config: SimulatorConfig) throws(GraphError) -> PageWindow {
        var limit = config.defaultPageSize
        if let l = params["limit"], !l.isEmpty {
            guard let n = Int(l), n > 0 else { throw GraphError.invalidParameter("(#100) Param limit must be a positive integer") }
            limit = min(n, config.maxPageSize)
        }
        var offset = 0
        if let a = params["after"], !a.isEmpty {
            guard let o = PageCursor.decode(a) else {
                throw GraphError.invalidParameter("(#100) Invalid after cursor: \(a)", subcode: 1_349_184)
            }
            offset = o
        }
        return PageWindow(offset: offset, limit: limit)
    }

    func range(total: Int) -> Range<Int> {
        let lo = min(offset, total)
        return lo..<min(total, lo + limit)
    }

    /// `"paging":{"cursors":{"before","after"},"next"?,"previous"?}`. `nextURL(after)` builds the
    /// absolute edge URL for the following page; `next` is absent on the last page.
    func writePaging(into j: inout JSONWriter, served: Range<Int>, total: Int, forceNext: Bool = false,
                     url: (_ after: String?, _ before: String?) -> String) {
        let before = PageCursor.encode(offset: served.lowerBound)
        let after = PageCursor.encode(offset: served.upperBound)
        j.key("paging")
        j.beginObject()
        j.key("cursors")
        j.beginObject()
        j.keyString("before", before)
        j.keyString("after", after)
        j.endObject()
        if forceNext || served.upperBound < total {
            j.keyString("next", url(after, nil))
        }
        if served.lowerBound > 0 {
            j.keyString("previous", url(nil, before))
        }
        j.endObject()
    }
}
