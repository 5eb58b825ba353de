import Foundation
import MMCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and crash-safe writes with POSIX calls; errors are `ArchiveError` naming the
/// file relative to the archive.
enum AtomicFile {
    /// Writes `bytes` to `.<name>.tmp-<uuid>` in the target's directory, fsyncs it (if `sync`) and
    /// renames it over `path`, so readers see the old file or the complete new one, never a partial one.
    /// The temporary file is removed on any failure.
    static func write(_ bytes: [UInt8], to path: String, displayPath: String, sync: Bool = true) throws(ArchiveError) {
        let directory = parentDirectory(of: path)
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = "\(directory)/.\(fileName).tmp-\(UUID().uuidString.lowercased())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw posixError("cannot create temporary file", displayPath) }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            try writeAll(fd, bytes, displayPath)
            guard !sync || fsync(fd) == 0 else { throw posixError("fsync failed", displayPath) }
        }
        guard rename(temporary, path) == 0 else { throw posixError("rename failed", displayPath) }
        renamed = true
    }

    /// Flushes a directory's entries (the renames) to disk. Best effort: some filesystems refuse.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The whole file; `ArchiveError.notFound` if it does not exist.
    static func read(_ path: String, displayPath: String) throws(ArchiveError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw .notFound(path: displayPath) }
            throw posixError("cannot open", displayPath)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw posixError("stat failed", displayPath) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 64 * 1024)) }  // file grew
            let n = bytes.withUnsafeMutableBytes { raw in
                posixRead(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError("read failed", displayPath)
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Creates `directory` and its parents.
    static func makeDirectories(_ directory: String, displayPath: String) throws(ArchiveError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: displayPath, reason: "cannot create directory: \(error.localizedDescription)")
        }
    }

    /// Deletes `path`; a missing file is fine.
    static func remove(_ path: String, displayPath: String) throws(ArchiveError) {
        if unlink(path) != 0 && errno != ENOENT { throw posixError("cannot delete", displayPath) }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ displayPath: String) throws(ArchiveError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in posixWrite(fd, raw.baseAddress! + written, raw.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError("write failed", displayPath)
            }
            written += n
        }
    }

    private static func posixError(_ what: String, _ displayPath: String) -> ArchiveError {
        .io(path: displayPath, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
