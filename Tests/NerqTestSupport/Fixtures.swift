import Foundation

/// Reads a file from the `Fixtures` folder beside the calling test file (located via the caller's
/// #filePath, so it works from any working directory).
public func readFixture(_ name: String, filePath: String = #filePath) throws -> String {
    let url = URL(fileURLWithPath: filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
        .appendingPathComponent(name)
    return try String(contentsOf: url, encoding: .utf8)
}

/// Non-empty lines of a fixture, split on tabs (empty fields kept).
public func fixtureRows(_ name: String, filePath: String = #filePath) throws -> [[String]] {
    try readFixture(name, filePath: filePath)
        .split(separator: "\n", omittingEmptySubsequences: true)
        .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
}
