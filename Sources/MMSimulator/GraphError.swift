/// A Graph API error: HTTP status plus the `{"error":{…}}` envelope.
struct GraphError: Error {
    var httpStatus: Int
    var message: String
    var type: String
    var code: Int
    var subcode: Int?
    var isTransient: Bool?
    var userTitle: String?
    var userMessage: String?

    static func invalidParameter(_ message: String, subcode: Int? = nil) -> GraphError {
        GraphError(httpStatus: 400, message: message, type: "OAuthException", code: 100, subcode: subcode)
    }

    static func unsupportedGet(_ id: String) -> GraphError {
        GraphError(httpStatus: 400,
                   message: "Unsupported get request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
                   type: "GraphMethodException", code: 100, subcode: 33)
    }

    static func nonexistingField(_ field: String, nodeType: String) -> GraphError {
        invalidParameter("(#100) Tried accessing nonexisting field (\(field)) on node type (\(nodeType))")
    }

    /// Code 10: the token's app may not read this object (e.g. a phone number's business profile).
    static let permissionDenied = GraphError(httpStatus: 403, message: "(#10) Application does not have permission for this action",
                                             type: "OAuthException", code: 10)

    static let missingToken = GraphError(httpStatus: 400, message: "An access token is required to request this resource.",
                                         type: "OAuthException", code: 104)
    static let badToken = GraphError(httpStatus: 400, message: "Invalid OAuth access token - Cannot parse access token",
                                     type: "OAuthException", code: 190)
    static let expiredToken = GraphError(httpStatus: 400,
                                         message: "Error validating access token: Session has expired on Tuesday, 01-Sep-26 10:00:00 PDT. The current time is Wednesday, 02-Sep-26 10:00:00 PDT.",
                                         type: "OAuthException", code: 190, subcode: 463)
    static let serverError = GraphError(httpStatus: 500, message: "An unexpected error has occurred. Please retry your request later.",
                                        type: "OAuthException", code: 2, isTransient: true)

    static func rateLimited(real: Bool) -> GraphError {
        GraphError(httpStatus: 429,
                   message: real ? "(#80007) There have been too many calls to this WhatsApp Business account. Wait a bit and try again."
                                 : "(#80007) Rate limit hit",
                   type: "OAuthException", code: 80007, isTransient: true)
    }

    /// Code 4: the app's own request limit (shared by every WABA the app reads), HTTP 403.
    static let appRateLimited = GraphError(httpStatus: 403, message: "(#4) Application request limit reached",
                                           type: "OAuthException", code: 4, isTransient: true)

    func body(traceID: String) -> [UInt8] {
        var j = JSONWriter(capacity: 256)
        j.beginObject()
        j.key("error")
        j.beginObject()
        j.keyString("message", message)
        j.keyString("type", type)
        j.keyInt("code", code)
        if let subcode { j.keyInt("error_subcode", subcode) }
        if let isTransient { j.key("is_transient"); j.bool(isTransient) }
        if let userTitle { j.keyString("error_user_title", userTitle) }
        if let userMessage { j.keyString("error_user_msg", userMessage) }
        j.keyString("fbtrace_id", traceID)
        j.endObject()
        j.endObject()
        return j.bytes
    }
}
