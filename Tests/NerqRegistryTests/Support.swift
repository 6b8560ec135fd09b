import Foundation
import NerqCore
import NerqIO
@testable import NerqRegistry
import NerqJSON
import NerqTestSupport

/// Runs tools/gen_crates_dump.py; returns the dump folder.
@discardableResult
func generateDump(in dir: TempDir, name: String = "dump", seed: Int = 11, extra: [String] = []) throws -> String {
    let out = dir.file(name)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", repositoryRoot.appendingPathComponent("tools/gen_crates_dump.py").path,
                   "--out", out, "--seed", String(seed), "--size", "small"] + extra
    let pipe = Pipe()
    p.standardOutput = pipe
    let errPipe = Pipe()
    p.standardError = errPipe
    try p.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    let errors = errPipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        throw TestFailure("generator failed: \(String(decoding: errors, as: UTF8.self))")
    }
    guard let info = try JSONSerialization.jsonObject(with: output) as? [String: Any], let folder = info["folder"] as? String else {
        throw TestFailure("generator printed no folder: \(String(decoding: output, as: UTF8.self))")
    }
    return folder
}

/// Copies a dump folder (to damage the copy).
func copyFolder(_ from: String, to: String) throws {
    try? FileManager.default.removeItem(atPath: to)
    try FileManager.default.createDirectory(atPath: Files.directory(of: to), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: from, toPath: to)
}

// MARK: an independent CSV reader (character by character, nothing shared with the library)

/// Rows of a PostgreSQL CSV file as dictionaries by column name; NULL (unquoted empty) is nil.
func readCSV(_ path: String) throws -> [[String: String?]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var records: [[String?]] = []
    var record: [String?] = []
    var field = ""
    var quoted = false
    var inQuotes = false
    var chars = Array(text.unicodeScalars)
    chars.append("\n")
    var i = 0
    var atRecordStart = true
    while i < chars.count {
        let c = chars[i]
        if inQuotes {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" {
                    field.unicodeScalars.append("\"")
                    i += 1
                } else {
                    inQuotes = false
                }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            inQuotes = true
            quoted = true
            atRecordStart = false
        } else if c == "," {
            record.append(field.isEmpty && !quoted ? nil : field)
            field = ""
            quoted = false
            atRecordStart = false
        } else if c == "\n" {
            if !(atRecordStart && i == chars.count - 1) {
                record.append(field.isEmpty && !quoted ? nil : field)
                records.append(record)
            }
            record = []
            field = ""
            quoted = false
            atRecordStart = true
        } else {
            field.unicodeScalars.append(c)
            atRecordStart = false
        }
        i += 1
    }
    guard let header = records.first else { return [] }
    return records.dropFirst().map { r in
        var d: [String: String?] = [:]
        for (k, name) in header.enumerated() { d[name ?? ""] = k < r.count ? r[k] : nil }
        return d
    }
}

/// `2017-01-17 19:13:05.112025+00` → whole seconds (UTC), by arithmetic on the digits.
func pgSeconds(_ s: String) -> Int64? {
    let parts = s.split(separator: " ")
    guard parts.count == 2 else { return nil }
    let d = parts[0].split(separator: "-").compactMap { Int64($0) }
    let timePart = parts[1].split(separator: "+")[0]
    let hms = timePart.split(separator: ":")
    guard d.count == 3, hms.count == 3, let h = Int64(hms[0]), let m = Int64(hms[1]),
          let sec = Int64(hms[2].split(separator: ".")[0]) else { return nil }
    var comps = DateComponents()
    comps.year = Int(d[0])
    comps.month = Int(d[1])
    comps.day = Int(d[2])
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
    guard let date = cal.date(from: comps) else { return nil }
    return Int64(date.timeIntervalSince1970) + h * 3600 + m * 60 + sec
}

func dayNumber(_ s: String) -> Int64? {
    guard let t = pgSeconds(s + " 00:00:00+00") else { return nil }
    return t / 86400
}

/// What the test expects for one crate, computed from the CSV files alone.
struct Expected {
    var name: String
    var downloads: Int64
    var recent: Int64?
    var downloadsPercentile: Double
    var reverse: Int64?
    var reversePercentile: Double?
    var versions: Int64
    var yanked: Int64
    var first: Int64
    var latest: Int64
    var latestVersion: String
    var owners: Int64
    var teams: Int64
    var categories: [String]
    var keywords: [String]
    var defaultYanked: Bool
    var defaultReleased: Int64
}

/// Computes every crate's expected registry signals from the dump folder's CSV, following the
/// documented rules (docs/registry.md), with code that shares nothing with the library.
func expectedSignals(folder: String) throws -> [String: Expected] {
    let data = folder + "/data/"
    let crates = try readCSV(data + "crates.csv")
    let versions = try readCSV(data + "versions.csv")
    func int(_ v: String??) -> Int64 { Int64((v ?? nil) ?? "") ?? -1 }
    var crateName: [Int64: String] = [:]
    for c in crates { crateName[int(c["id"])] = (c["name"] ?? nil) ?? "" }
    var vCrate: [Int64: Int64] = [:]
    var vNum: [Int64: String] = [:]
    var vCreated: [Int64: Int64] = [:]
    var vYanked: [Int64: Bool] = [:]
    var byCrate: [Int64: [Int64]] = [:]
    for v in versions {
        let id = int(v["id"])
        vCrate[id] = int(v["crate_id"])
        vNum[id] = (v["num"] ?? nil) ?? ""
        vCreated[id] = pgSeconds((v["created_at"] ?? nil) ?? "") ?? -1
        vYanked[id] = (v["yanked"] ?? nil) == "t"
        byCrate[int(v["crate_id"]), default: []].append(id)
    }
    var defaultOf: [Int64: Int64] = [:]
    for d in try readCSV(data + "default_versions.csv") { defaultOf[int(d["crate_id"])] = int(d["version_id"]) }
    var downloads: [Int64: Int64] = [:]
    for d in try readCSV(data + "crate_downloads.csv") { downloads[int(d["crate_id"])] = int(d["downloads"]) }

    // Recent downloads: the 90 days ending on the snapshot's date.
    let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/metadata.json"))) as? [String: Any]
    let stamp = (meta?["timestamp"] as? String) ?? ""
    let snapshotDay = dayNumber(String(stamp.prefix(10))) ?? 0
    var recent: [Int64: Int64] = [:]
    for r in try readCSV(data + "version_downloads.csv") {
        guard let day = dayNumber((r["date"] ?? nil) ?? ""), day > snapshotDay - 90, day <= snapshotDay else { continue }
        let crate = vCrate[int(r["version_id"])] ?? -1
        recent[crate, default: 0] += int(r["downloads"])
    }

    // Reverse dependencies: distinct other crates whose default version has a normal or build
    // dependency on the crate.
    var dependents: [Int64: Set<Int64>] = [:]
    let defaults = Set(defaultOf.values)
    for d in try readCSV(data + "dependencies.csv") {
        let kind = int(d["kind"])
        let version = int(d["version_id"])
        guard kind == 0 || kind == 1, defaults.contains(version), let depending = vCrate[version] else { continue }
        let target = int(d["crate_id"])
        if target != depending { dependents[target, default: []].insert(depending) }
    }

    var owners: [Int64: Set<Int64>] = [:]
    var teams: [Int64: Set<Int64>] = [:]
    for o in try readCSV(data + "crate_owners.csv") {
        if int(o["owner_kind"]) == 1 { teams[int(o["crate_id"]), default: []].insert(int(o["owner_id"])) } else { owners[int(o["crate_id"]), default: []].insert(int(o["owner_id"])) }
    }
    var slug: [Int64: String] = [:]
    for c in try readCSV(data + "categories.csv") { slug[int(c["id"])] = (c["slug"] ?? nil) ?? "" }
    var cats: [Int64: Set<String>] = [:]
    for c in try readCSV(data + "crates_categories.csv") { cats[int(c["crate_id"]), default: []].insert(slug[int(c["category_id"])] ?? "?") }
    var word: [Int64: String] = [:]
    for k in try readCSV(data + "keywords.csv") { word[int(k["id"])] = (k["keyword"] ?? nil) ?? "" }
    var kws: [Int64: Set<String>] = [:]
    for k in try readCSV(data + "crates_keywords.csv") { kws[int(k["crate_id"]), default: []].insert(word[int(k["keyword_id"])] ?? "?") }

    let ids = crateName.keys.sorted()
    let allDownloads = ids.map { downloads[$0] ?? 0 }
    let allReverse = ids.map { Int64(dependents[$0]?.count ?? 0) }
    func pct(_ v: Int64, _ all: [Int64]) -> Double {
        let below = all.filter { $0 < v }.count
        return (Double(below) * 10000 / Double(all.count)).rounded() / 100
    }
    var out: [String: Expected] = [:]
    for id in ids {
        let vs = byCrate[id] ?? []
        let created = vs.compactMap { vCreated[$0] }
        let def = defaultOf[id] ?? -1
        out[crateName[id] ?? ""] = Expected(
            name: crateName[id] ?? "", downloads: downloads[id] ?? 0, recent: recent[id] ?? 0,
            downloadsPercentile: pct(downloads[id] ?? 0, allDownloads),
            reverse: Int64(dependents[id]?.count ?? 0), reversePercentile: pct(Int64(dependents[id]?.count ?? 0), allReverse),
            versions: Int64(vs.count), yanked: Int64(vs.filter { vYanked[$0] == true }.count),
            first: created.min() ?? -1, latest: created.max() ?? -1, latestVersion: vNum[def] ?? "?",
            owners: Int64(owners[id]?.count ?? 0), teams: Int64(teams[id]?.count ?? 0),
            categories: (cats[id] ?? []).sorted(), keywords: (kws[id] ?? []).sorted(),
            defaultYanked: vYanked[def] ?? false, defaultReleased: vCreated[def] ?? -1)
    }
    return out
}

/// Every crate's signals (default version) from a store, by name.
func allSignals(_ store: RegistryStore, names: [String]) throws -> [String: RegistryRecord] {
    var out: [String: RegistryRecord] = [:]
    for n in names {
        if let r = try store.record(name: n, version: nil) { out[n] = r }
    }
    return out
}

func crateNames(folder: String) throws -> [String] {
    try readCSV(folder + "/data/crates.csv").compactMap { $0["name"] ?? nil }.sorted()
}

/// Runs a build that must fail, returning its error.
func ingestError(dump: String, store: String) -> NerqError? {
    do {
        try RegistryIngest.build(dump: dump, store: store)
        return nil
    } catch {
        return error
    }
}

/// Replaces the first line of `file` that satisfies `match` with `transform(line)`.
func editLine(_ file: String, where match: (String) -> Bool, _ transform: (String) -> String) throws -> Int {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    for (i, l) in lines.enumerated() where i > 0 && match(l) {
        lines[i] = transform(l)
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return i + 1
    }
    throw TestFailure("no line matched in \(file)")
}
