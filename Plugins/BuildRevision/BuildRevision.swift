import Foundation
import PackagePlugin

/// Stamps the source revision into the `mmetl` executable at build time.
///
/// A prebuild command runs `scripts/build-revision.sh`, which writes `BuildRevision.swift`
/// (`let buildRevision = "<git describe>"`, or `"unknown"` outside a git checkout, or the value of
/// `MMETL_BUILD_REVISION` when set: for builds from a copy without `.git`, such as a container).
/// The script rewrites the file only when its content changes, so an unchanged revision costs no
/// recompilation.
@main
struct BuildRevision: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = context.package.directoryURL.appending(path: "scripts/build-revision.sh")
        var environment: [String: String] = [:]
        if let pinned = ProcessInfo.processInfo.environment["MMETL_BUILD_REVISION"] {
            environment["MMETL_BUILD_REVISION"] = pinned
        }
        return [.prebuildCommand(
            displayName: "Stamping the source revision into \(target.name)",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: [script.path, context.package.directoryURL.path, output.appending(path: "BuildRevision.swift").path],
            environment: environment,
            outputFilesDirectory: output)]
    }
}
