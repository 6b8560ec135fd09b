import NerqCore
import NerqTOML
import NerqJSON

/// The `[package]` table of a crate's Cargo.toml, as manifest signals. Used when cargo metadata is
/// not available (a bare lockfile, a single crate): the crate's own manifest on disk says the same.
public enum CargoManifest {
    public static func signals(_ bytes: [UInt8], file: String = "Cargo.toml") throws(NerqError) -> ManifestSignals {
        let root: TOMLTable
        do {
            root = try TOML.parse(bytes)
        } catch {
            throw NerqError(.parseError, "\(file):\(error.line):\(error.column): \(error.message)", path: "\(file):\(error.line):\(error.column)")
        }
        guard let package = root.table("package") else {
            throw NerqError(.parseError, "\(file): no [package] table", path: file)
        }
        var m = ManifestSignals()
        // Values inherited from a workspace (`license.workspace = true`) are tables: not known here.
        m.license = package.string("license")
        if let edition = package.string("edition"), ["2015", "2018", "2021", "2024"].contains(edition) {
            m.edition = edition
        } else if package["edition"] == nil {
            m.edition = "2015"  // cargo's default when a manifest names none
        }
        m.rustVersion = package.string("rust-version")
        m.description = package.string("description")
        m.repository = package.string("repository")
        m.documentation = package.string("documentation")
        m.homepage = package.string("homepage")
        switch package["readme"] {
        case .string?: m.readme = true
        case .bool(let b)?: m.readme = b
        default: break
        }
        m.keywords = package.strings("keywords")
        m.categories = package.strings("categories")
        return m
    }
}
