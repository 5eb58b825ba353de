#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard error with `write(2)`, ignoring failures. `FileHandle.write` traps when the
/// write fails (a full disk or a file-size limit under a redirected log), which would turn a
/// logging problem into a crash mid-slice; a log line that cannot be written is dropped instead.
enum StandardError {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
