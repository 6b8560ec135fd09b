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

        /// Adds the scanner's `source` group to signals that have none.
        func apply(to signals: inout Signals) {
            if signals.source == nil { signals.source = scan.signals }
        }
    }

    /// One result per wanted crate (nil where it is not on disk or could not be scanned), in order;
    /// the scans run on `fileReaderThreads` threads.
    static func scan(_ wanted: [Wanted], vendorDirs: [String] = [], cargoHome: String?) -> [Found?] {
        var requests: [ScanRequest] = []
        var owners: [Int] = []
        for (k, w) in wanted.enumerated() {
            let manifestDir = w.manifestPath.map { path -> String in
                guard let slash = path.lastIndex(of: "/") else { return "." }
                return String(path[..<slash])
            }
            let locator = CrateLocator(manifestDirectory: manifestDir, vendorDirectories: vendorDirs, cargoHome: cargoHome)
            guard let location = locator.locate(name: w.name, version: w.version) else { continue }
            requests.append(ScanRequest(directory: location.path, options: ScanOptions(licenseExpression: w.license)))
            owners.append(k)
        }
        var out = [Found?](repeating: nil, count: wanted.count)
        for (k, scan) in zip(owners, CrateScanner.scan(requests: requests)) where scan.error == nil {
            out[k] = Found(scan: scan, manifest: manifest(in: scan.directory))
        }
        return out
    }

    /// The manifest signals of the crate in `directory`, or nil when its Cargo.toml is missing,
    /// unreadable or a link out of the crate.
    static func manifest(in directory: String) -> ManifestSignals? {
        guard let bytes = Walk.readInside(directory, "Cargo.toml", limit: 4 << 20) else { return nil }
        return try? CargoManifest.signals(bytes, file: Files.join(directory, "Cargo.toml"))
    }
}
