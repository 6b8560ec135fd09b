import Foundation

/// Reads a file from Tests/NerqCoreTests/Fixtures (located via #filePath,
/// so it works from any working directory).
func readFixture(_ name: String, filePath: String = #filePath) throws -> String {
    let url = URL(fileURLWithPath: filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
        .appendingPathComponent(name)
    return try String(contentsOf: url, encoding: .utf8)
}

/// Non-empty lines of a fixture, split on tabs (empty fields kept).
func fixtureRows(_ name: String) throws -> [[String]] {
    try readFixture(name)
        .split(separator: "\n", omittingEmptySubsequences: true)
        .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
}
