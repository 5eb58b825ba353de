import Foundation

/// RFC 4180 fields of one CSV record, and the send-log columns a header may name.
///
/// Columns are matched by name, case-insensitively, in any order; unknown columns are ignored.
/// A status row carries its pricing and error in flat columns (`pricing_category`, `error_code`, …)
/// or, for several errors, an `errors` column holding the webhook's JSON array.
public enum SendLogCSV {
    public struct Failure: Error, Equatable { public var message: String }

    /// Splits one record into fields. Throws on a quote in the middle of an unquoted field or an
    /// unterminated quoted field (see `hasOpenQuote` to join physical lines first).
    public static func split(_ line: String) throws -> [String] {
        var fields: [String] = []
        var field = [UInt8]()
        var inQuotes = false
        var wasQuoted = false
        var atFieldStart = true
        let b = Array(line.utf8)
        var i = 0
        while i < b.count {
            let c = b[i]
            if inQuotes {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < b.count, b[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 2; continue }
                    inQuotes = false
                } else {
                    field.append(c)
                }
            } else if c == UInt8(ascii: ",") {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true); atFieldStart = true; wasQuoted = false
            } else if c == UInt8(ascii: "\"") {
                guard atFieldStart else { throw Failure(message: "quote inside an unquoted field \(fields.count + 1)") }
                inQuotes = true; wasQuoted = true; atFieldStart = false
            } else if c == UInt8(ascii: "\r"), i == b.count - 1 {
                // CRLF line ending
            } else {
                if wasQuoted { throw Failure(message: "text after the closing quote of field \(fields.count + 1)") }
                field.append(c); atFieldStart = false
            }
            i += 1
        }
        if inQuotes { throw Failure(message: "unterminated quoted field \(fields.count + 1)") }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }

    /// Whether a physical line leaves a quoted field open (an odd number of quotes), so that the
    /// record continues on the next line.
    public static func hasOpenQuote(_ line: String) -> Bool {
        var open = false
        for c in line.utf8 where c == UInt8(ascii: "\"") { open.toggle() }
        return open
    }

    /// A field as CSV text (quoted when needed).
    public static func quote(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return "\"" + s.replacing("\"", with: "\"\"") + "\""
    }

    /// The columns the parser understands. Aliases map to the same column.
    public enum Column: String, CaseIterable, Sendable {
        case kind, wamid, sentAt = "sent_at", wabaID = "waba_id", phoneNumberID = "phone_number_id"
        case templateID = "template_id", templateName = "template_name", language, recipient
        case endpoint, productPolicy = "product_policy", messageActivitySharing = "message_activity_sharing", campaign
        case status, timestamp, recipientID = "recipient_id", userID = "user_id"
        case pricingCategory = "pricing_category", pricingType = "pricing_type", pricingModel = "pricing_model", billable
        case originType = "origin_type", errorCode = "error_code", errorTitle = "error_title"
        case errorDetails = "error_details", errors

        static let aliases: [String: Column] = [
            "id": .wamid, "message_id": .wamid, "pricing.category": .pricingCategory, "pricing.type": .pricingType,
            "pricing.pricing_model": .pricingModel, "pricing.billable": .billable,
            "conversation.origin.type": .originType, "status_at": .timestamp,
        ]

        static func named(_ header: String) -> Column? {
            let h = header.trimmingCharacters(in: .whitespaces).lowercased()
            return Column(rawValue: h) ?? aliases[h]
        }

        /// Columns that identify the recipient (phone numbers, business-scoped user ids): blanked in rejected lines.
        var carriesPhoneNumber: Bool { self == .recipient || self == .recipientID || self == .userID }
    }

    /// A parsed header: which field index holds which column.
    public struct Header: Sendable, Equatable {
        public var fieldCount: Int
        var index: [Column: Int]
        /// Indexes of the columns that hold phone numbers (blanked in rejected lines).
        public var phoneColumns: Set<Int>

        public init(_ fields: [String]) {
            fieldCount = fields.count
            var index: [Column: Int] = [:]
            var phones: Set<Int> = []
            for (i, name) in fields.enumerated() {
                guard let col = Column.named(i == 0 ? String(name.drop { $0 == "\u{FEFF}" }) : name) else { continue }
                if index[col] == nil { index[col] = i }
                if col.carriesPhoneNumber { phones.insert(i) }
            }
            self.index = index; self.phoneColumns = phones
        }

        /// The non-empty value of `column` in `fields`.
        func value(_ column: Column, in fields: [String]) -> String? {
            guard let i = index[column], i < fields.count else { return nil }
            let v = fields[i]
            return v.isEmpty ? nil : v
        }

        var hasWamid: Bool { index[.wamid] != nil }
    }
}
