import Crypto
import Foundation

/// The Graph API access token. Its description is redacted so it cannot reach a log by accident.
public struct AccessToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let value: String
    public init(_ value: String) { self.value = value.trimmingCharacters(in: .whitespacesAndNewlines) }
    public var isEmpty: Bool { value.isEmpty }
    public var description: String { "[redacted token]" }
    public var debugDescription: String { description }
    /// The `Authorization` header value.
    var bearer: String { "Bearer \(value)" }

    /// `appsecret_proof`: HMAC-SHA256 of the token keyed by the app secret, lower-case hex.
    public func appSecretProof(appSecret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: SymmetricKey(data: Data(appSecret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
