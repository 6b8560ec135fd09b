import NerqJSON
import NerqTOML

/// Cargo's files (Cargo.lock, Cargo.toml) as TOML: a file that is not TOML is a `parse_error`
/// naming `file`, line and column, the same for every reader.
enum CargoTOML {
    static func parse(_ bytes: [UInt8], file: String) throws(NerqError) -> TOMLTable {
        do {
            return try TOML.parse(bytes)
        } catch {
            throw NerqError(.parseError, "\(file):\(error.line):\(error.column): \(error.message)", path: "\(file):\(error.line):\(error.column)")
        }
    }
}
