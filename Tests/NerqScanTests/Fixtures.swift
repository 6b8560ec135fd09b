import Foundation
import Testing
@testable import NerqScan

/// A throw-away crate directory under the system temp dir.
final class TempCrate {
    let root: String

    init(_ name: String = "crate") {
        let base = FileManager.default.temporaryDirectory.path
        root = base + "/nerq-scan-test-\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ rel: String) -> String { root + "/" + rel }

    @discardableResult
    func write(_ rel: String, _ text: String) -> String {
        write(rel, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ rel: String, bytes: [UInt8]) -> String {
        let p = path(rel)
        let dir = (p as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func symlink(_ rel: String, to target: String) {
        let p = path(rel)
        let dir = (p as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(atPath: p, withDestinationPath: target)
    }

    func manifest(name: String = "fixture", version: String = "0.1.0", license: String? = nil, extra: String = "") {
        var s = "[package]\nname = \"\(name)\"\nversion = \"\(version)\"\nedition = \"2021\"\n"
        if let l = license { s += "license = \"\(l)\"\n" }
        s += extra
        write("Cargo.toml", s)
    }

    func scan(_ options: ScanOptions = ScanOptions()) -> CrateScan {
        CrateScanner.scan(directory: root, options: options)
    }
}


/// Short texts carrying each license's characteristic phrases.
enum LicenseTexts {
    static let mit = """
    MIT License

    Permission is hereby granted, free of charge, to any
    person obtaining a copy of this software and associated documentation files...
    """
    static let apache = """
                                  Apache License
                            Version 2.0, January 2004
                         http://www.apache.org/licenses/
    """
    static let unlicense = "This is free and unencumbered software released into the public domain."
}
