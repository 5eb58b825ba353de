import Foundation
import Testing
@testable import MMCore

/// Business-scoped user ids (`user_id`, 2026): statuses and sends that carry only a user id load,
/// hashed like phone numbers, with the country of the id's prefix; the id never appears in clear.
@Suite struct BusinessScopedUserIDTests {
    static let userOnlyWebhook = """
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.U1","status":"delivered","timestamp":"1790000000","user_id":"BR.1502576394655843","pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"marketing_lite"}}]}}]}]}
    """

    static func parse(_ line: String, format: SendLogFileFormat = .ndjson) -> SendLogLineResult {
        var p = SendLogParser(format: format, hasher: FNVHasher())
        return p.parse(line: line, number: 1)
    }

    @Test func aWebhookStatusWithOnlyAUserIdLoadsHashedWithItsCountry() throws {
        guard case .records(let items) = Self.parse(Self.userOnlyWebhook), case .status(let s)? = items.first else {
            Issue.record("not loaded: \(Self.parse(Self.userOnlyWebhook))")
            return
        }
        #expect(s.recipientHash == FNVHasher().hash(digits: "bsuid:BR.1502576394655843"))
        #expect(s.recipientCountry == "BR")
        #expect(s.route == .mmAPI)
    }

    @Test func aSendWithOnlyAUserIdLoadsAndAPhoneWinsWhenBothAreThere() throws {
        let only = #"{"kind":"send","wamid":"wamid.S1","sent_at":"2026-11-01T10:00:00Z","user_id":"IN.77001122334455"}"#
        guard case .records(let a) = Self.parse(only), case .send(let s)? = a.first else { Issue.record("rejected"); return }
        #expect(s.recipientCountry == "IN" && s.recipientHash == FNVHasher().hash(digits: "bsuid:IN.77001122334455"))
        let both = #"{"kind":"send","wamid":"wamid.S2","sent_at":"2026-11-01T10:00:00Z","recipient":"+4915112345678","user_id":"DE.1"}"#
        guard case .records(let b) = Self.parse(both), case .send(let t)? = b.first else { Issue.record("rejected"); return }
        #expect(t.recipientHash == FNVHasher().hash(digits: "4915112345678") && t.recipientCountry == "DE")
        #expect(BusinessScopedUserID.country(of: "nodot") == nil && BusinessScopedUserID.country(of: "B1.2") == nil)
    }

    @Test func aRejectedLineNeverKeepsTheUserIdInClear() throws {
        let bad = #"{"kind":"status","wamid":"wamid.X","status":"sent","timestamp":"not a time","user_id":"BR.1502576394655843"}"#
        guard case .reject(let r) = Self.parse(bad) else { Issue.record("not rejected"); return }
        #expect(!r.raw.contains("1502576394655843") && !r.detail.contains("1502576394655843"))
        let csvHeader = "kind,wamid,status,timestamp,user_id"
        var p = SendLogParser(format: .csv, hasher: FNVHasher())
        _ = p.parse(line: csvHeader, number: 1)
        let csvStatus = p.parse(line: "status,wamid.C,read,2026-11-01T10:00:00Z,MX.998877665544", number: 2)
        guard case .records(let items) = csvStatus, case .status(let s)? = items.first else { Issue.record("csv rejected"); return }
        #expect(s.recipientCountry == "MX")
        guard case .reject(let cr) = p.parse(line: "status,wamid.C,read,yesterday,MX.998877665544", number: 3) else { Issue.record("not rejected"); return }
        #expect(!cr.raw.contains("998877665544"))
    }
}
