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

    /// Copies standard input to a new temporary file; returns its path and the sha256 of the bytes.
    /// The caller removes the file.
    static func spoolStandardInput(into directory: URL = FileManager.default.temporaryDirectory) throws -> (path: String, sha256: String) {
        let url = directory.appendingPathComponent("mmetl-sendlog-stdin-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let out = FileHandle(forWritingAtPath: url.path) else {
            throw SendLogFileError(path: "-", reason: "cannot create a temporary file in \(directory.path) to hold standard input")
        }
        TemporaryFiles.shared.register(url.path)
        defer { try? out.close() }
        var hasher = SHA256()
        do {
            while let data = try FileHandle.standardInput.read(upToCount: chunk), !data.isEmpty {
                hasher.update(data: data)
                try out.write(contentsOf: data)
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            TemporaryFiles.shared.unregister(url.path)
            throw SendLogFileError(path: "-", reason: "reading standard input failed: \(error.localizedDescription)")
        }
        return (url.path, SendLogRecipientHasher.hex(hasher.finalize()))
    }
}

/// A send-log file that could not be read; names the file.
public struct SendLogFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
