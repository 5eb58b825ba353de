/// Removes credentials from a response body before it is archived (and so before anything reads it).
///
/// Meta's cursors (`paging.next`) can carry `access_token=` and `appsecret_proof=`; an echo could
/// carry the token anywhere. Contract: the result holds no occurrence of any given secret (of 8 or
/// more bytes) and no value of an `access_token`/`appsecret_proof` parameter — each becomes
/// `REDACTED`, which keeps the JSON valid and every data value unchanged, so normalizing the
/// scrubbed bytes gives the same rows. A body without any of them is returned as is.
public enum BodyScrubber {
    public static let replacement = Array("REDACTED".utf8)
    static let parameters = ["access_token=", "appsecret_proof="].map { Array($0.utf8) }

    public static func scrub(_ body: [UInt8], secrets: [String]) -> [UInt8] {
        var out = body
        for secret in secrets where secret.utf8.count >= 8 {
            out = replacingAll(Array(secret.utf8), in: out)
        }
        for p in parameters { out = redactingValues(after: p, in: out) }
        return out
    }

    static func replacingAll(_ needle: [UInt8], in hay: [UInt8]) -> [UInt8] {
        guard let first = find(needle, in: hay, from: 0) else { return hay }
        var out = [UInt8](hay[..<first])
        out.reserveCapacity(hay.count)
        var i = first
        while let hit = find(needle, in: hay, from: i) {
            out.append(contentsOf: hay[i..<hit]); out.append(contentsOf: replacement); i = hit + needle.count
        }
        out.append(contentsOf: hay[i...])
        return out
    }

    /// Replaces the value after each `name=` up to `&`, a quote, a backslash (`\u0026`), `#` or whitespace.
    static func redactingValues(after name: [UInt8], in hay: [UInt8]) -> [UInt8] {
        guard let first = find(name, in: hay, from: 0) else { return hay }
        var out = [UInt8](hay[..<first])
        out.reserveCapacity(hay.count)
        var i = first
        while let hit = find(name, in: hay, from: i) {
            var end = hit + name.count
            while end < hay.count, !isValueEnd(hay[end]) { end += 1 }
            out.append(contentsOf: hay[i..<(hit + name.count)])
            if end > hit + name.count { out.append(contentsOf: replacement) }
            i = end
        }
        out.append(contentsOf: hay[i...])
        return out
    }

    static func isValueEnd(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "&") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c == UInt8(ascii: "#") || c <= 0x20
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard let f = needle.first, hay.count >= needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == f, hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
