import Foundation

/// Business-scoped user ids (BSUIDs): since 2026 status webhooks carry `user_id`, e.g.
/// `BR.1502576394655843` — an ISO country prefix, a dot, an id — and may omit the phone number of
/// users who have a username. Like a phone number, the id never reaches the database, logs or
/// errors: it becomes a keyed hash and the country of its prefix.
public enum BusinessScopedUserID {
    /// Prefix of the hashed text, so a user id can never hash like a phone number's digits.
    static let hashNamespace = "bsuid:"

    /// The ISO 3166 alpha-2 country of a user id's prefix (`BR.150…` → `BR`); nil without one.
    public static func country(of userID: String) -> String? {
        guard let dot = userID.firstIndex(of: ".") else { return nil }
        let prefix = userID[..<dot].uppercased()
        guard prefix.count == 2, prefix.unicodeScalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 }) else { return nil }
        return prefix
    }

    /// Hash and country of a raw `user_id`; nil for an absent or blank one. The hash is the recipient
    /// hasher's keyed digest of `bsuid:<id>` (the id trimmed, case kept: Meta's ids are opaque).
    public static func protect(_ raw: String?, with hasher: some RecipientHasher) -> PrivateRecipient? {
        guard let id = raw?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { return nil }
        return PrivateRecipient(hash: hasher.hash(digits: hashNamespace + id), country: country(of: id), digits: id)
    }
}
