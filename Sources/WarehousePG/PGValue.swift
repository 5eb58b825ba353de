import Foundation

/// A value sent as a query parameter, in PostgreSQL's text format. Values always travel as
/// parameters (`$1`, `$2`, …), never spliced into SQL; `nil` in a parameter list is SQL NULL.
///
/// Conform your own types (dates, ids) by returning the text PostgreSQL parses for the column's
/// type, and cast in SQL when the type is not obvious (`$1::date`, `$2::jsonb`).
public protocol PGValue: Sendable {
    /// The text-format representation PostgreSQL parses.
    var pgText: String { get }
}

extension String: PGValue { public var pgText: String { self } }
extension Substring: PGValue { public var pgText: String { String(self) } }
extension Int: PGValue { public var pgText: String { String(self) } }
extension Int64: PGValue { public var pgText: String { String(self) } }
extension Int32: PGValue { public var pgText: String { String(self) } }
extension Int16: PGValue { public var pgText: String { String(self) } }
extension UInt32: PGValue { public var pgText: String { String(self) } }
extension Bool: PGValue { public var pgText: String { self ? "true" : "false" } }
extension Double: PGValue {
    /// Shortest round-tripping form; `inf`, `-inf` and `nan` are accepted by float8 and numeric.
    public var pgText: String { String(self) }
}
extension Decimal: PGValue { public var pgText: String { description } }

/// A `text[]` parameter: `WHERE waba_id = ANY($1::text[])`. Elements are quoted and escaped;
/// `nil` elements are NULL.
public struct PGTextArray: PGValue, Hashable {
    public var elements: [String?]

    public init(_ elements: [String?]) { self.elements = elements }
    public init(_ elements: [String]) { self.elements = elements.map { $0 } }

    public var pgText: String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            guard let element else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}
