import NerqCargo
import NerqCore
import NerqIO
import NerqScan
import NerqJSON
import NerqThreads

/// Crate sources on this machine: where they are (manifest paths, vendor directories,
/// ~/.cargo/registry/src, Debian's /usr/share/cargo/registry), what the scanner finds in them, and
/// what their own Cargo.toml declares.
enum LocalSources {
    struct Wanted: Sendable {
        var name: String
        var version: String
        var manifestPath: String?
        var license: String?
    }

    struct Found: Sendable {
        var scan: CrateScan
        var manifest: ManifestSignals?
        /// The crate's name as its own Cargo.toml spells it.
        var name: String?
        /// The whole Cargo.toml (its dependency declarations and features, for the compiled set).
        var cargo: CargoManifest?
    }

    /// Where a wanted crate's source is, and what to scan it with.
    struct Location: Sendable {
        var path: String
        var options: ScanOptions
        /// What a cached scan is kept under: the directory and what the scan is asked to check.
        var key: String { path + "\u{0}" + (options.licenseExpression ?? "") }
    }

    /// Where each wanted crate's source is on disk (nil where it is not), in order. A few stats
    /// per crate and spelling, on the cores (Dispatch's threads: starting threads of our own
    /// would cost more than the stats, which the inode cache answers).
    static func locate(_ wanted: [Wanted], vendorDirs: [String], cargoSources: [String]) -> [Location?] {
        // Many crates: list each search root once (most crates of a large project are in none).
        var prototype = CrateLocator(vendorDirectories: vendorDirs, cargoSourceDirectories: cargoSources)
        if wanted.count >= listingThreshold {
            prototype.listings = CrateLocator.list(vendorDirs + cargoSources + [prototype.debianRegistry])
        }
        let shared = prototype
        return parallelMap(wanted) { w in
            var locator = shared
            locator.manifestDirectory = w.manifestPath.map { Files.directory(of: $0) }
            guard let location = locator.locate(name: w.name, version: w.version) else { return nil }
            return Location(path: location.path, options: ScanOptions(licenseExpression: w.license))
        }
    }

    /// From this many crates on, the search roots are listed rather than stat'ed per crate.
    static let listingThreshold = 64

    /// Scans each location (on `fileReaderThreads` threads) and reads its Cargo.toml; nil where
    /// the directory could not be scanned.
    static func scan(_ locations: [Location], finished: (@Sendable () -> Void)? = nil) -> [Found?] {
        let scans = CrateScanner.scan(requests: locations.map { ScanRequest(directory: $0.path, options: $0.options) }, finished: finished)
        return scans.map { scan in
            guard scan.error == nil else { return nil }
            let manifest = cargoManifest(in: scan.directory)
            return Found(scan: scan, manifest: manifest?.signals, name: manifest?.name, cargo: manifest)
        }
    }

    /// The Cargo.toml of the crate in `directory`, or nil when it is missing, unreadable, not
    /// valid or a link out of the crate.
    static func cargoManifest(in directory: String) -> CargoManifest? {
        guard let bytes = Walk.readInside(directory, "Cargo.toml", limit: 4 << 20) else { return nil }
        return try? CargoManifest.parse(bytes, file: Files.join(directory, "Cargo.toml"))
    }
}
