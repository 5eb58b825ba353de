/// A migration file on disk: `NNNN_name.sql`, with the checksum of its exact bytes.
public struct MigrationFile: Sendable, Hashable {
    /// The number before the first underscore (`0003_etl_runs.sql` → 3). Unique across files.
    public let version: Int
    /// The part between the underscore and `.sql` (`etl_runs`).
    public let name: String
    /// The file name as found (`0003_etl_runs.sql`); used in every message about the file.
    public let fileName: String
    /// Lower-case hex sha256 of the file's bytes (computed by the adapter; MMCore hashes nothing).
    public let checksum: String

    public init(version: Int, name: String, fileName: String, checksum: String) {
        self.version = version
        self.name = name
        self.fileName = fileName
        self.checksum = checksum
    }
}

/// A row of `etl.schema_migrations`: a migration recorded as applied.
public struct AppliedMigration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let checksum: String

    public init(version: Int, name: String, checksum: String) {
        self.version = version
        self.name = name
        self.checksum = checksum
    }
}

/// What `migrate` will do: which files are already applied and which to apply, in version order.
///
/// Pure: built from file names, their checksums and the applied rows; no I/O. Invariants of a plan
/// that was built without throwing: every applied row has a file with the same checksum, and
/// `pending` is sorted by version with no version recorded as applied.
public struct MigrationPlan: Sendable, Hashable {
    /// Files already recorded with a matching checksum, in version order.
    public let applied: [MigrationFile]
    /// Files to apply, in version order. A pending file numbered below an applied one is still
    /// applied (migrations from parallel branches may land out of order).
    public let pending: [MigrationFile]

    /// True when there is nothing to apply.
    public var isUpToDate: Bool { pending.isEmpty }

    /// Parses `NNNN_name.sql` (one or more digits, an underscore, a non-empty name of letters,
    /// digits, `_`, `-` or `.`). Returns nil for anything else.
    public static func parseFileName(_ fileName: String) -> (version: Int, name: String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let version = Int(digits), !name.isEmpty,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) })
        else { return nil }
        return (version, String(name))
    }

    /// Builds migration files from `(fileName, checksum)` pairs, reporting every bad name and
    /// duplicate version at once. Files not ending in `.sql` are ignored (READMEs and the like).
    public static func files(from entries: [(fileName: String, checksum: String)]) throws(MigrationPlanError) -> [MigrationFile] {
        var problems: [MigrationPlanError.Problem] = []
        var files: [MigrationFile] = []
        for entry in entries where entry.fileName.hasSuffix(".sql") {
            guard let parsed = parseFileName(entry.fileName) else {
                problems.append(.invalidFileName(entry.fileName))
                continue
            }
            files.append(MigrationFile(version: parsed.version, name: parsed.name,
                                       fileName: entry.fileName, checksum: entry.checksum))
        }
        let byVersion = Dictionary(grouping: files, by: \.version)
        for (version, group) in byVersion.sorted(by: { $0.key < $1.key }) where group.count > 1 {
            problems.append(.duplicateVersion(version, group.map(\.fileName).sorted()))
        }
        guard problems.isEmpty else { throw MigrationPlanError(problems: problems) }
        return files.sorted { $0.version < $1.version }
    }

    /// Compares files with applied rows. Throws (listing every problem) when an applied migration's
    /// file was edited (checksum differs) or is missing.
    public init(files: [MigrationFile], applied rows: [AppliedMigration]) throws(MigrationPlanError) {
        let fileByVersion = Dictionary(files.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        var problems: [MigrationPlanError.Problem] = []
        var applied: [MigrationFile] = []
        for row in rows.sorted(by: { $0.version < $1.version }) {
            guard let file = fileByVersion[row.version] else {
                problems.append(.missingFile(version: row.version, name: row.name))
                continue
            }
            if file.checksum != row.checksum {
                problems.append(.edited(fileName: file.fileName, appliedChecksum: row.checksum,
                                        fileChecksum: file.checksum))
            } else {
                applied.append(file)
            }
        }
        guard problems.isEmpty else { throw MigrationPlanError(problems: problems) }
        let appliedVersions = Set(rows.map(\.version))
        self.applied = applied
        self.pending = files.filter { !appliedVersions.contains($0.version) }.sorted { $0.version < $1.version }
    }
}

/// Why a migration plan cannot be made. Always a configuration problem: the files on disk and the
/// database disagree, and a person has to decide which one is right.
public struct MigrationPlanError: ClassifiedError, Hashable {
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// A `.sql` file whose name is not `NNNN_name.sql`.
        case invalidFileName(String)
        /// Two or more files share a version number.
        case duplicateVersion(Int, [String])
        /// An applied migration's file no longer has the checksum recorded when it was applied.
        case edited(fileName: String, appliedChecksum: String, fileChecksum: String)
        /// A migration recorded as applied has no file any more.
        case missingFile(version: Int, name: String)

        public var description: String {
            switch self {
            case .invalidFileName(let fileName):
                return "\(fileName): migration files must be named NNNN_name.sql"
            case .duplicateVersion(let version, let fileNames):
                return "version \(version) is used by more than one file: \(fileNames.joined(separator: ", "))"
            case .edited(let fileName, let appliedChecksum, let fileChecksum):
                return "\(fileName) was edited after it was applied (checksum \(appliedChecksum.prefix(12)) "
                    + "in etl.schema_migrations, \(fileChecksum.prefix(12)) on disk): restore the file "
                    + "and put the change in a new migration"
            case .missingFile(let version, let name):
                let number = String(repeating: "0", count: max(0, 4 - String(version).count)) + String(version)
                return "\(number)_\(name).sql is recorded as applied but its file is missing: restore it"
            }
        }
    }

    /// Every problem found, in file/version order.
    public let problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var failureClass: FailureClass { .config }

    public var description: String {
        "migrations cannot be applied: " + problems.map(\.description).joined(separator: "; ")
    }
}
