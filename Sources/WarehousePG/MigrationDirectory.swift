import Foundation

/// Finds the `sql` folder (holding `migrations/`, `transforms/`, `queries/`) for an installed or
/// freshly built `mmetl`. Inputs are passed in: the executable decides what the environment is.
public enum MigrationDirectory {
    /// Candidates in order, first existing `<candidate>/migrations` wins:
    /// 1. `$MMETL_SQL_DIR` (the `sql` folder itself);
    /// 2. `sql` next to the executable, then `../share/mmetl/sql` (an install prefix);
    /// 3. `sql` beside the nearest `Package.swift` above the executable (`.build/debug/mmetl`).
    /// Never the current directory: SQL found wherever the command happens to run could be anyone's.
    /// - Throws: `MigrationDirectoryError.notFound` listing where it looked (config class).
    public static func locateSQLRoot(environment: [String: String], executablePath: String?,
                                     currentDirectory: String) throws -> URL {
        var candidates: [URL] = []
        if let override = environment["MMETL_SQL_DIR"], !override.isEmpty {
            // An explicit setting is authoritative: do not fall back silently.
            let url = URL(fileURLWithPath: override, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
                .standardizedFileURL
            guard hasMigrations(url) else { throw MigrationDirectoryError.notFound(searched: [url.path + " (MMETL_SQL_DIR)"]) }
            return url
        }
        if let executablePath {
            let binDir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
            candidates.append(binDir.appendingPathComponent("sql"))
            candidates.append(binDir.deletingLastPathComponent().appendingPathComponent("share/mmetl/sql"))
            if let root = packageRoot(above: binDir) { candidates.append(root.appendingPathComponent("sql")) }
        }
        if let found = candidates.first(where: hasMigrations) { return found.standardizedFileURL }
        throw MigrationDirectoryError.notFound(searched: candidates.map(\.path))
    }

    /// `locateSQLRoot(...)/migrations`.
    public static func locate(environment: [String: String], executablePath: String?,
                              currentDirectory: String) throws -> URL {
        try locateSQLRoot(environment: environment, executablePath: executablePath,
                          currentDirectory: currentDirectory).appendingPathComponent("migrations")
    }

    /// The nearest folder at or above `start` that contains `Package.swift`.
    public static func packageRoot(above start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    static func hasMigrations(_ sqlRoot: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: sqlRoot.appendingPathComponent("migrations").path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}
