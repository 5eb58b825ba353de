import NIOCore
import NIOHTTP1

/// One per connection: collects a request, asks the core, writes the answer (after the
/// configured latency, scheduled on the event loop), or plays the transport-level faults.
final class GraphHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let core: SimulatorCore
    private var head: HTTPRequestHead?
    private var held: Scheduled<Void>?

    init(core: SimulatorCore) { self.core = core }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body:
            break
        case .end:
            guard let h = head else { return }
            head = nil
            let req = GraphRequest(
                method: h.method.rawValue, uri: h.uri, authorization: h.headers.first(name: "authorization"),
                acceptsGzip: h.headers[canonicalForm: "accept-encoding"].contains { $0.lowercased().hasPrefix("gzip") })
            let response = core.handle(req)
            let keepAlive = h.isKeepAlive
            if response.mode == .hold {
                held = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(Int64(core.config.timeoutHoldSeconds))) {
                    context.close(promise: nil)
                }
                return
            }
            let latency = core.config.latencyMs
            if latency > 0 {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(latency))) {
                    self.send(response, keepAlive: keepAlive, context: context)
                }
            } else {
                send(response, keepAlive: keepAlive, context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        held?.cancel()
        held = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func send(_ r: SimResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.reserveCapacity(r.headers.count + 2)
        for (k, v) in r.headers { headers.add(name: k, value: v) }
        headers.add(name: "Content-Length", value: String(r.body.count))
        let truncate = r.mode == .truncate
        if !keepAlive || truncate { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: r.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        let bytes = truncate ? Array(r.body.prefix(r.body.count / 2)) : r.body
        if !bytes.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        if truncate {
            // Flush what we have, then drop the connection mid-body.
            context.flush()
            context.close(promise: nil)
            return
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }
}
