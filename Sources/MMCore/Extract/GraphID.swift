/// Graph API node ids (WABA, business, phone number, template ids) as they may enter a URL path.
public enum GraphID {
    /// An id is 1–25 ASCII digits. Anything else (`../x`, `1?fields=`, `١٢`) never reaches a URL.
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 25 && id.utf8.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }

    /// `id` made safe to log: control characters escaped, cut to 40 characters.
    public static func printable(_ id: String) -> String {
        let cut = id.unicodeScalars.prefix(40).map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return id.unicodeScalars.count > 40 ? cut + "…" : cut
    }
}
