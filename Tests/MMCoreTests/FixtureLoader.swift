import Foundation

/// Reads a fixture file shipped with the test target.
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw FixtureError(name: name)
        }
        return Array(try Data(contentsOf: url))
    }
    static func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }
    struct FixtureError: Error { var name: String }
}
