import Foundation
import Testing
@testable import MMCore

/// A deterministic stand-in for the HMAC (FNV-1a, hex): the core never sees crypto.
struct FNVHasher: RecipientHasher {
    func hash(digits: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in digits.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        // No digits at all: the privacy checks look for digit runs.
        return "h" + String(decoding: String(h, radix: 16).utf8.map { $0 < 58 ? $0 + 55 : $0 }, as: UTF8.self)
    }
}

private func parseAll(_ text: String, format: SendLogFileFormat = .ndjson) -> (items: [SendLogItem], rejects: [SendLogReject]) {
    var p = SendLogParser(format: format, hasher: FNVHasher())
    var items: [SendLogItem] = []
    var rejects: [SendLogReject] = []
    // Split on bytes: "\r\n" is one Character, and the parser must see the CR.
    for (i, line) in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
        switch p.parse(line: String(decoding: line, as: UTF8.self), number: i + 1) {
        case .records(let r): items += r
        case .reject(let r): rejects.append(r)
        case .skip: break
        }
    }
    if let r = p.finish() { rejects.append(r) }
    return (items, rejects)
}

let webhookLine = """
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.A1","status":"delivered","timestamp":"1750030073","recipient_id":"4915112345678","conversation":{"id":"x","origin":{"type":"marketing_lite"}},"pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"marketing_lite"}},{"id":"wamid.B2","status":"failed","timestamp":"1750030080","recipient_id":"16505551234","errors":[{"code":131049,"title":"Not delivered for +16505551234","message":"Not delivered","error_data":{"details":"recipient 16505551234 limit"},"href":"/x"}]}]}}]}]}
"""

@Suite("Send log parser")
struct SendLogParserTests {
    @Test func webhookBodyYieldsEveryStatusWithItsWABAAndPhoneNumber() throws {
        let (items, rejects) = parseAll(webhookLine)
        #expect(rejects.isEmpty)
        #expect(items.count == 2)
        guard case .status(let a) = items[0], case .status(let b) = items[1] else { Issue.record("not statuses"); return }
        #expect(a.wamid == "wamid.A1" && a.status == "delivered" && a.timestamp == 1_750_030_073_000_000)
        #expect(a.wabaID == "102290129340398" && a.phoneNumberID == "106540352242922")
        #expect(a.pricingCategory == "marketing_lite" && a.originType == "marketing_lite" && a.billable == true)
        #expect(a.route == .mmAPI)
        #expect(a.recipientCountry == "DE")
        #expect(a.recipientHash == FNVHasher().hash(digits: "4915112345678"))
        #expect(b.route == .unknown)
        #expect(b.recipientCountry == "US")
        #expect(b.errors.count == 1)
        #expect(b.errors[0].code == 131049)
        #expect(b.errors[0].title == "Not delivered for <phone>")
        #expect(b.errors[0].details == "recipient <phone> limit")
    }

    @Test func flattenedStatusEqualsTheWebhookOne() {
        let flat = """
        {"kind":"status","wamid":"wamid.A1","status":"DELIVERED","timestamp":1750030073,"waba_id":102290129340398,"phone_number_id":"106540352242922","recipient_id":"+49 151 12345678","pricing":{"category":"marketing_lite","pricing_model":"PMP","type":"regular","billable":true},"conversation":{"origin":{"type":"marketing_lite"}}}
        """
        let (fromWebhook, _) = parseAll(webhookLine)
        let (fromFlat, rejects) = parseAll(flat)
        #expect(rejects.isEmpty)
        #expect(fromFlat == [fromWebhook[0]])
    }

    @Test func sendRowKeepsOnlyHashAndCountryOfTheRecipient() {
        let line = """
        {"kind":"send","wamid":"wamid.X","sent_at":"2026-11-24T10:00:00Z","waba_id":"1","phone_number_id":"2","template_id":"3","template_name":"promo","language":"en_US","recipient":"+5511987654321","endpoint":"marketing_messages","product_policy":"CLOUD_API_FALLBACK","message_activity_sharing":true,"campaign":"bf"}
        """
        let (items, rejects) = parseAll(line)
        #expect(rejects.isEmpty)
        guard case .send(let s) = items.first else { Issue.record("no send"); return }
        #expect(s.sentAt == SendLogTime.parse("1795514400"))
        #expect(s.recipientCountry == "BR")
        #expect(s.recipientHash == FNVHasher().hash(digits: "5511987654321"))
        #expect(s.endpoint == "marketing_messages" && s.productPolicy == "CLOUD_API_FALLBACK" && s.messageActivitySharing == true)
        #expect(s.templateID == "3" && s.campaign == "bf")
    }

    @Test func kindIsInferredWhenAbsent() {
        let (items, rejects) = parseAll("""
        {"wamid":"w1","sent_at":1795514400}
        {"wamid":"w1","status":"read","timestamp":"1795514500"}
        """)
        #expect(rejects.isEmpty)
        #expect(items.count == 2)
    }

    @Test func badLinesAreRejectedWithLineNumberReasonAndNoPhoneNumber() {
        let text = """
        {"kind":"send","wamid":"ok","sent_at":1795514400}
        {"kind":"send","wamid":"w","sent_at":1795514400,"recipient":"+4915112345678"
        {"kind":"send","sent_at":1795514400,"recipient":"+4915112345678"}
        {"kind":"send","wamid":"w","sent_at":"yesterday","recipient":4915112345678}
        {"kind":"bounce","wamid":"w"}
        not json at all +49 151 1234 5678

        {"kind":"status","wamid":"w","status":"sent","timestamp":"1795514400","pricing":"cheap"}
        {"kind":"status","wamid":"w","status":"sent","timestamp":"1795514400"} trailing
        """
        let (items, rejects) = parseAll(text)
        #expect(items.count == 1)
        #expect(rejects.map(\.line) == [2, 3, 4, 5, 6, 8, 9])
        #expect(rejects.map(\.reason) == [.invalidJSON, .missingWamid, .badTimestamp, .unknownKind, .invalidJSON, .badField, .invalidJSON])
        for r in rejects {
            #expect(!r.raw.contains("15112345678"), "phone number leaked: \(r.raw)")
            #expect(!r.raw.contains("151 1234 5678"), "phone number leaked: \(r.raw)")
        }
        #expect(rejects[0].raw.contains("\"recipient\":\"<phone>\""))
    }

    @Test func webhookWithAnInvalidStatusIsRejectedWhole() {
        let line = webhookLine.replacingOccurrences(of: "\"timestamp\":\"1750030080\"", with: "\"timestamp\":\"soon\"")
        let (items, rejects) = parseAll(line)
        #expect(items.isEmpty)
        #expect(rejects.first?.reason == .badTimestamp)
        #expect(rejects.first?.detail.hasPrefix("statuses[1]: ") == true)
    }

    @Test func webhookWithoutStatusesYieldsNothingAndIsNoReject() {
        let inbound = """
        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"2"},"messages":[{"from":"4915112345678","id":"wamid.in","type":"text"}]}},{"field":"account_update","value":{"event":"x"}}]}]}
        """
        let (items, rejects) = parseAll(inbound)
        #expect(items.isEmpty && rejects.isEmpty)
    }

    @Test func escapesAndUnicodeInStrings() {
        let (items, rejects) = parseAll(#"{"kind":"send","wamid":"w\u00e9\"\ud83d\ude00","sent_at":1795514400,"campaign":"a\\b\nc"}"#)
        #expect(rejects.isEmpty)
        guard case .send(let s) = items.first else { Issue.record("no send"); return }
        #expect(s.wamid == "wé\"😀")
        #expect(s.campaign == "a\\b\nc")
    }
}

@Suite("Send log CSV")
struct SendLogCSVTests {
    @Test func csvRowsWithQuotesMultilineFieldsAndCRLF() {
        let text = "\u{FEFF}kind,wamid,sent_at,waba_id,template_id,recipient,campaign,status,timestamp,pricing_category,error_code,error_title\r\n"
            + "send,w1,2026-11-24T10:00:00+01:00,1,3,+4915112345678,\"Black, Friday\",,,,,\r\n"
            + "status,w1,,1,,4915112345678,,failed,1795514400,marketing,131049,\"line one\nline two\"\r\n"
            + "status,w1,,1,,,,read\r\n"
            + "send,w2,2026-11-24T10:00:00Z,1,3,+4915112345678,\"unterminated,,,,,\r\n"
        let (items, rejects) = parseAll(text, format: .csv)
        #expect(items.count == 2, "\(rejects)")
        guard case .send(let s) = items[0], case .status(let st) = items[1] else { Issue.record("shape"); return }
        #expect(s.campaign == "Black, Friday")
        #expect(s.sentAt == SendLogTime.parse("2026-11-24T09:00:00Z"))
        #expect(s.recipientCountry == "DE")
        #expect(st.route == .cloudAPI && st.errors == [StatusError(code: 131049, title: "line one\nline two")])
        #expect(rejects.map(\.line) == [5, 6])  // the quoted field spans lines 3–4
        #expect(rejects.map(\.reason) == [.invalidCSV, .invalidCSV])
        for r in rejects { #expect(!r.raw.contains("15112345678"), "leaked: \(r.raw)") }
    }

    /// `sendlog.statuses.error_codes` is `integer[]`: a code beyond 32 bits once failed the whole
    /// file at the database. A flattened code now rejects its line, naming the field; a webhook's
    /// error keeps its title and details with no code, as a non-numeric code always did.
    @Test func errorCodesBeyond32BitsRejectTheFlattenedLineAndAreDroppedFromAWebhook() {
        let text = "kind,wamid,status,timestamp,error_code,error_title\n"
            + "status,w1,failed,1795514400,2147483647,max\n"
            + "status,w2,failed,1795514400,2147483648,over\n"
            + "status,w3,failed,1795514400,-2147483649,under\n"
        let (items, rejects) = parseAll(text, format: .csv)
        guard case .status(let ok) = items.first, items.count == 1 else { Issue.record("items: \(items)"); return }
        #expect(ok.errors == [StatusError(code: 2_147_483_647, title: "max")])
        #expect(rejects.map(\.line) == [3, 4])
        #expect(rejects.map(\.reason) == [.badField, .badField])
        #expect(rejects.allSatisfy { $0.detail.contains("error_code") && $0.detail.contains("32-bit") }, "\(rejects.map(\.detail))")

        let webhook = webhookLine.replacingOccurrences(of: "\"code\":131049", with: "\"code\":99999999999")
        let (fromWebhook, webhookRejects) = parseAll(webhook)
        #expect(webhookRejects.isEmpty)
        guard fromWebhook.count == 2, case .status(let failed) = fromWebhook[1] else { Issue.record("shape"); return }
        #expect(failed.errors.map(\.code) == [nil])
        #expect(failed.errors.first?.title == "Not delivered for <phone>")
    }

    @Test func headerWithoutWamidIsRejected() {
        let (_, rejects) = parseAll("a,b\n1,2", format: .csv)
        #expect(rejects.first?.line == 1)
    }

    @Test func formatFromNameOrFirstLine() {
        #expect(SendLogFileFormat.of(path: "x/2026-11-24.ndjson.gz") == .ndjson)
        #expect(SendLogFileFormat.of(path: "a.JSONL") == .ndjson)
        #expect(SendLogFileFormat.of(path: "a.csv.gz") == .csv)
        #expect(SendLogFileFormat.of(path: "-") == .sniff)
        let (items, _) = parseAll("\n{\"wamid\":\"w\",\"sent_at\":1}", format: .sniff)
        #expect(items.count == 1)
    }
}

@Suite("Send log times and calling codes")
struct SendLogTimeTests {
    @Test(arguments: [
        ("1750030073", Int64(1_750_030_073_000_000)),
        ("1750030073.5", 1_750_030_073_500_000),
        ("1750030073123", 1_750_030_073_123_000),
        ("2025-06-15T23:27:53Z", 1_750_030_073_000_000),
        ("2025-06-15 23:27:53", 1_750_030_073_000_000),
        ("2025-06-16T01:27:53.000+02:00", 1_750_030_073_000_000),
        ("2025-06-15T18:27:53-0500", 1_750_030_073_000_000),
        ("2025-06-15T23:27:53.123456Z", 1_750_030_073_123_456),
    ])
    func parsesEpochAndISO(text: String, micros: Int64) {
        #expect(SendLogTime.parse(text) == micros)
    }

    @Test(arguments: ["", "yesterday", "2025-06-15", "2025-02-30T10:00:00Z", "2025-06-15T25:00:00Z", "-5", "17500.", "2025-06-15T10:00:00Q"])
    func refusesOthers(text: String) {
        #expect(SendLogTime.parse(text) == nil)
    }

    @Test func postgresTextRoundTrip() {
        #expect(SendLogTime.postgresText(micros: 1_750_030_073_000_000) == "2025-06-15 23:27:53+00")
        #expect(SendLogTime.postgresText(micros: 1_750_030_073_000_123) == "2025-06-15 23:27:53.000123+00")
        #expect(SendLogTime.postgresText(micros: -1) == "1969-12-31 23:59:59.999999+00")
    }

    @Test(arguments: [
        ("12125550100", "US"), ("12045550100", "CA"), ("18765550100", "JM"), ("17875550100", "PR"),
        ("77012345678", "KZ"), ("74951234567", "RU"), ("76012345678", "RU"), ("447400123456", "GB"), ("441534123456", "JE"),
        ("5511987654321", "BR"), ("4915112345678", "DE"), ("919812345678", "IN"), ("97150123456", "AE"),
        ("262269123456", "YT"), ("5511", "BR"), ("44", "GB"), ("262262123456", "RE"), ("35818123456", "AX"), ("358401234567", "FI"),
    ])
    func callingCodes(digits: String, country: String) {
        #expect(CallingCodes.country(forE164Digits: digits) == country)
    }

    @Test func unknownCallingCodeHasNoCountry() {
        #expect(CallingCodes.country(forE164Digits: "8881234") == nil)
        #expect(CallingCodes.country(forE164Digits: "") == nil)
    }

    @Test func normalizedDigits() {
        #expect(RecipientPrivacy.normalizedDigits("+49 (151) 123-45") == "4915112345")
        #expect(RecipientPrivacy.normalizedDigits("0049151") == "49151")
        #expect(RecipientPrivacy.normalizedDigits("n/a") == nil)
    }
}
