import CZlib

/// A heap-allocated `z_stream`: zlib keeps a back pointer to it, so it must never move.
///
/// A plain handle: the owning compressor/decompressor runs `deflateEnd`/`inflateEnd` and then `free()`.
struct ZStream {
    let pointer: UnsafeMutablePointer<z_stream>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: z_stream())
    }

    /// Frees the struct only; the caller has already run `deflateEnd`/`inflateEnd` (if initialised).
    func free() {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// zlib's message for the last error, or `fallback`.
    func message(or fallback: String) -> String {
        pointer.pointee.msg.map { String(cString: $0) } ?? fallback
    }

    /// Points zlib at `input` (at most `UInt32.max` bytes; returns how many were offered).
    func setInput(_ input: UnsafeRawBufferPointer) -> Int {
        let count = min(input.count, Int(UInt32.max))
        pointer.pointee.next_in = input.baseAddress.map {
            UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
        }
        pointer.pointee.avail_in = uInt(count)
        return count
    }

    func setOutput(_ output: UnsafeMutableRawBufferPointer) {
        pointer.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        pointer.pointee.avail_out = uInt(output.count)
    }

    var availableIn: Int { Int(pointer.pointee.avail_in) }
    var availableOut: Int { Int(pointer.pointee.avail_out) }
}

/// zlib return codes by name, for messages.
func zlibCodeName(_ code: Int32) -> String {
    switch code {
    case Z_OK: return "Z_OK"
    case Z_STREAM_END: return "Z_STREAM_END"
    case Z_NEED_DICT: return "Z_NEED_DICT"
    case Z_ERRNO: return "Z_ERRNO"
    case Z_STREAM_ERROR: return "Z_STREAM_ERROR"
    case Z_DATA_ERROR: return "Z_DATA_ERROR"
    case Z_MEM_ERROR: return "Z_MEM_ERROR"
    case Z_BUF_ERROR: return "Z_BUF_ERROR"
    case Z_VERSION_ERROR: return "Z_VERSION_ERROR"
    default: return "zlib code \(code)"
    }
}
