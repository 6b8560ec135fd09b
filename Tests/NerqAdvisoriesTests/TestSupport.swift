import Foundation
import NerqTestSupport
import Testing

/// `shared/data/<sub>`, or nil after the rule of NerqTestSupport's `required`.
func sharedData(_ sub: String, for test: String) -> String? { SharedData.path(sub) }

func readText(_ path: String) -> String? {
    guard let d = FileManager.default.contents(atPath: path) else { return nil }
    return String(decoding: d, as: UTF8.self)
}

func readJSON(_ path: String) -> Any? {
    guard let d = FileManager.default.contents(atPath: path) else { return nil }
    return try? JSONSerialization.jsonObject(with: d)
}

/// A fresh temporary directory (removed by the caller with `removeTree`).
func makeTempDirectory(_ label: String) throws -> String {
    let base = FileManager.default.temporaryDirectory
        .appendingPathComponent("nerq-adv-\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    return base.path
}

func removeTree(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// Writes `bytes` at `root/rel`, creating directories.
func write(_ root: String, _ rel: String, _ bytes: [UInt8]) throws {
    let url = URL(fileURLWithPath: root).appendingPathComponent(rel)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
}

func write(_ root: String, _ rel: String, _ text: String) throws {
    try write(root, rel, Array(text.utf8))
}

import NerqCore
import NerqSemver

/// A version from a literal (records an issue and returns 0.0.0 if it does not parse).
func ver(_ s: String) -> Version {
    do throws(SemverError) {
        return try Version.parse(s)
    } catch {
        Issue.record("bad version literal \(s): \(error)")
        return Version(0, 0, 0)
    }
}
