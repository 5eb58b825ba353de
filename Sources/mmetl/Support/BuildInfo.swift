/// What this binary is: its release version and the source revision it was built from.
///
/// `version` is the one place the release number lives (`make dist` names the archive after
/// `mmetl --version`). `buildRevision` is generated before each build by the BuildRevision plugin
/// (`scripts/build-revision.sh`): `git describe` of the checkout, or "unknown" without `.git`.
enum BuildInfo {
    static let version = "0.1.0"
    static let revision = buildRevision
    /// `0.1.0 (fb784b3)`: what `mmetl --version` prints and `etl.runs.mmetl_version` records.
    static let versionLine = "\(version) (\(revision))"
}
