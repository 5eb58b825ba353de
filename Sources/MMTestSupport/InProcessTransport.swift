import MMCore
import MMSimulator

/// The `HTTPTransport` port answered by the in-process simulator: no socket, no libcurl. A
/// `timeout` fault becomes `TransportError.timeout`, a `truncated` one `.truncated`, exactly the
/// errors the libcurl transport reports for them; a body over the request's limit is refused.
public struct InProcessTransport: HTTPTransport {
    public let graph: InProcessGraph
    public init(graph: InProcessGraph) { self.graph = graph }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let authorization = request.headers.fields.first { $0.name.lowercased() == "authorization" }?.value
        switch graph.get(request.url, authorization: authorization) {
        case .noAnswer: throw TransportError.timeout("no answer (in-process simulator)")
        case .truncated: throw TransportError.truncated("body cut short (in-process simulator)")
        case .response(let status, let headers, let body):
            if body.count > request.maxBodyBytes { throw TransportError.tooLarge("\(body.count) bytes") }
            return HTTPResponse(status: status, headers: HTTPHeaders(headers.map { HTTPHeader($0.0, $0.1) }), body: body)
        }
    }
}
