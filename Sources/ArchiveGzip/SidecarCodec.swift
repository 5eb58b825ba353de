import Foundation
import MMCore

/// The sidecar's JSON form: sorted keys, pretty-printed, secrets removed again on the way out.
enum SidecarCodec {
    /// JSON bytes for `sidecar`. Its URL is re-redacted and credential headers dropped even if the
    /// value was mutated after `ArchiveSidecar.init` (which already redacts).
    static func encode(_ sidecar: ArchiveSidecar) throws -> [UInt8] {
        var clean = sidecar
        clean.url = URLRedaction.redact(clean.url)
        clean.responseHeaders = HTTPHeaders(clean.responseHeaders).redacted.fields
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var bytes = [UInt8](try encoder.encode(clean))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> ArchiveSidecar {
        try JSONDecoder().decode(ArchiveSidecar.self, from: Data(bytes))
    }
}
