import Foundation
import Testing

/// The real data the tests run on (`../shared/data` beside the project): the advisory snapshot,
/// lockfiles with cargo-audit's results, the TOML suite; and Debian's crate sources.
///
/// One rule for data a test needs (`required`): missing on a developer's machine, the test says so
/// and skips; missing under CI=true, the test fails.
public enum SharedData {
    /// `$NERQ_SHARED_DATA`, else the first `shared/data` found walking up from this file.
    public static let directory: String? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["NERQ_SHARED_DATA"], !env.isEmpty {
            return fm.fileExists(atPath: env) ? env : nil
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            let candidate = dir.appendingPathComponent("shared/data")
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue { return candidate.path }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The shared data path for `relative` when it is there; else nil, after the rule above.
    public static func path(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let found = directory.map { $0 + "/" + relative }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        return required(found, "shared data \(relative) (../shared/data, or NERQ_SHARED_DATA)", sourceLocation: sourceLocation)
    }

    public static func bytes(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8]? {
        guard let p = path(relative, sourceLocation: sourceLocation) else { return nil }
        return required(FileManager.default.contents(atPath: p).map { [UInt8]($0) }, "readable \(p)", sourceLocation: sourceLocation)
    }

    public static let lockfiles = ["deno", "nushell", "tauri-2024-10", "zellij", "starship", "rust-analyzer",
                                   "mdbook-0.4.0", "nushell-0.4.0"]
}

/// Debian's crate sources (`librust-*-dev`, installed by scripts/deps.sh).
public enum DebianCrates {
    public static let registry = "/usr/share/cargo/registry"

    public static func installed(_ dirs: [String]) -> Bool {
        dirs.allSatisfy { FileManager.default.fileExists(atPath: registry + "/" + $0 + "/Cargo.toml") }
    }

    /// Whether the crates (`nix-0.26.1`, ...) are there, after the rule of `required`.
    public static func require(_ dirs: String..., sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        required(installed(dirs) ? true : nil, "Debian crate sources \(dirs.joined(separator: ", ")) (apt-get install librust-*-dev)",
                 sourceLocation: sourceLocation) != nil
    }
}

/// `value`, or nil after saying what is missing: a printed skip on a developer's machine, a
/// recorded failure under CI=true (where every input must be present).
public func required<T>(_ value: T?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> T? {
    if value == nil {
        if SharedData.isCI {
            Issue.record("\(what) is missing; required when CI=true", sourceLocation: sourceLocation)
        } else {
            print("skipping: \(what) is missing")
        }
    }
    return value
}
