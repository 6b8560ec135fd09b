import Foundation

/// The real data the tests run on (`../shared/data` beside the project): the advisory snapshot,
/// lockfiles with cargo-audit's results, the TOML suite.
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

    /// The shared data path for `relative`, or nil (after saying so) when the data is absent.
    /// Under CI the data must be there: its absence is recorded as a failure by the caller.
    public static func path(_ relative: String) -> String? {
        guard let dir = directory else {
            print("shared data not found (../shared/data): skipping \(relative)")
            return nil
        }
        return dir + "/" + relative
    }

    public static func bytes(_ relative: String) -> [UInt8]? {
        guard let p = path(relative), let d = FileManager.default.contents(atPath: p) else { return nil }
        return [UInt8](d)
    }

    public static let lockfiles = ["deno", "nushell", "tauri-2024-10", "zellij", "starship", "rust-analyzer",
                                   "mdbook-0.4.0", "nushell-0.4.0"]
}
