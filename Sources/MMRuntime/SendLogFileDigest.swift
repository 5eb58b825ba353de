import Crypto
import Foundation

/// The sha256 of a send-log file's bytes as given (compressed if gzip), read in 1 MiB chunks; and
/// standard input spooled to a temporary file (hashed on the way) so that it can be read like one.
enum SendLogFileDigest {
    static let chunk = 1 << 20

    /// Lower-case hex sha256 of the file at `path`.
    static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SendLogFileError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "file not found")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let data = try handle.read(upToCount: chunk), !data.isEmpty { hasher.update(data: data) }
        } catch {
            throw SendLogFileError(path: path, reason: "read failed: \(error.localizedDescription)")
        }
        return SendLogRecipientHasher.hex(hasher.finalize())
    }

    /// Copies standard input to a new temporary file (mode 0600) that is unlinked at once: nothing
    /// with recipients' numbers stays on disk even if the process is killed. Returns a path that
    /// reads it (`/proc/self/fd/N`, valid until `release`) and the sha256 of the bytes.
    static func spoolStandardInput(into directory: URL = FileManager.default.temporaryDirectory) throws -> (path: String, sha256: String) {
        let url = directory.appendingPathComponent("mmetl-sendlog-stdin-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let out = FileHandle(forWritingAtPath: url.path), let keep = FileHandle(forReadingAtPath: url.path) else {
            try? FileManager.default.removeItem(at: url)
            throw SendLogFileError(path: "-", reason: "cannot create a temporary file in \(directory.path) to hold standard input")
        }
        unlink(url.path)   // the open descriptors keep the data; no name on disk from here on
        defer { try? out.close() }
        SpooledInputs.keep(keep)
        var hasher = SHA256()
        do {
            while let data = try FileHandle.standardInput.read(upToCount: chunk), !data.isEmpty {
                hasher.update(data: data)
                try out.write(contentsOf: data)
            }
        } catch {
            throw SendLogFileError(path: "-", reason: "reading standard input failed: \(error.localizedDescription)")
        }
        return ("/proc/self/fd/\(keep.fileDescriptor)", SendLogRecipientHasher.hex(hasher.finalize()))
    }
}

/// Read handles of unlinked spool files, closed when their load is done.
enum SpooledInputs {
    nonisolated(unsafe) private static var handles: [String: FileHandle] = [:]
    private static let lock = NSLock()

    static func keep(_ h: FileHandle) { lock.withLock { handles["/proc/self/fd/\(h.fileDescriptor)"] = h } }

    /// Closes the handle behind a path returned by `spoolStandardInput` (no-op for other paths).
    static func release(_ path: String) {
        let h = lock.withLock { handles.removeValue(forKey: path) }
        try? h?.close()
    }
}

/// A send-log file that could not be read; names the file.
public struct SendLogFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
