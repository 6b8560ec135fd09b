// Turns the dump's tables (in any order) into the registry store: versions stream straight into
// SQLite; everything per crate is gathered into compact arrays keyed by the dump's ids and joined
// once every table has been read.

import NerqCore
import NerqJSON
import NerqSemver

/// The tables the collector reads, and what it needs from each. Columns are found by name.
enum DumpTables {
    static let crates = TableSpec(table: "crates", required: ["id", "name"],
                                  optional: ["created_at", "updated_at", "description", "homepage", "documentation",
                                             "repository", "downloads", "readme"])
    static let versions = TableSpec(table: "versions", required: ["id", "crate_id", "num", "created_at", "yanked"],
                                    optional: ["downloads", "license", "edition", "rust_version", "categories", "keywords"])
    static let crateDownloads = TableSpec(table: "crate_downloads", required: ["crate_id", "downloads"], optional: [])
    static let versionDownloads = TableSpec(table: "version_downloads", required: ["version_id", "downloads", "date"], optional: [])
    static let crateOwners = TableSpec(table: "crate_owners", required: ["crate_id", "owner_id", "owner_kind"], optional: [])
    static let dependencies = TableSpec(table: "dependencies", required: ["version_id", "crate_id", "kind"], optional: [])
    static let defaultVersions = TableSpec(table: "default_versions", required: ["crate_id", "version_id"], optional: [])
    static let categories = TableSpec(table: "categories", required: ["id", "slug"], optional: [])
    static let cratesCategories = TableSpec(table: "crates_categories", required: ["crate_id", "category_id"], optional: [])
    static let keywords = TableSpec(table: "keywords", required: ["id", "keyword"], optional: [])
    static let cratesKeywords = TableSpec(table: "crates_keywords", required: ["crate_id", "keyword_id"], optional: [])
    static let metadata = TableSpec(table: "metadata", required: ["total_downloads"], optional: [])

    static let all: [TableSpec] = [crates, versions, defaultVersions, crateDownloads, versionDownloads, crateOwners,
                                   dependencies, categories, cratesCategories, keywords, cratesKeywords, metadata]
    /// Published tables nothing here needs (their bytes are skipped, not parsed).
    static let unneeded = ["users", "teams", "reserved_crate_names"]
    static let required = ["crates", "versions"]

    static func spec(_ table: String) -> TableSpec? { all.first { $0.table == table } }
}

/// What one ingest did: every row read, and everything skipped or inferred, counted.
public struct IngestSummary: Sendable, Equatable {
    public var dump: String
    public var snapshot: String?
    public var timestamp: Timestamp?
    public var cratesIoCommit: String?
    /// Rows read per table, sorted by table name.
    public var tables: [TableCount]
    public var crates: Int
    public var versions: Int
    /// Tables in the dump that the collector does not read (sorted).
    public var skippedTables: [String]
    /// Columns ignored per table (sorted by table).
    public var ignoredColumns: [TableColumns]
    /// Rows that point at ids missing from their table, per kind (sorted).
    public var orphans: [TableCount]
    /// Plain-language notes: absent optional tables, fallbacks used.
    public var notes: [String]

    public struct TableCount: Sendable, Equatable {
        public var name: String
        public var rows: Int
    }

    public struct TableColumns: Sendable, Equatable {
        public var table: String
        public var columns: [String]
    }

    public var json: JSONValue {
        var o = JSONObject()
        o.append("dump", .string(dump))
        o.append("snapshot", .optional(snapshot))
        o.append("timestamp", .optional(timestamp?.description))
        o.append("crates_io_commit", .optional(cratesIoCommit))
        o.append("crates", .int(Int64(crates)))
        o.append("versions", .int(Int64(versions)))
        o.append("tables", .object(JSONObject(tables.map { ($0.name, .int(Int64($0.rows))) })))
        o.append("skipped_tables", .strings(skippedTables))
        o.append("ignored_columns", .object(JSONObject(ignoredColumns.map { ($0.table, .strings($0.columns)) })))
        o.append("orphans", .object(JSONObject(orphans.map { ($0.name, .int(Int64($0.rows))) })))
        o.append("notes", .strings(notes))
        return .object(o)
    }
}

final class DumpBuilder {
    let dumpLabel: String
    let db: SQLiteDB
    private let insertVersion: SQLiteStatement

    var snapshot: String?
    var timestamp: Int64?
    var cratesIoCommit: String?
    /// Whether a default_versions table will come: true/false when the caller knows (a folder),
    /// nil when it cannot (a tarball streams by).
    var expectDefaultVersions: Bool?

    private var rowCounts: [String: Int] = [:]
    private var done: Set<String> = []
    private var skipped: Set<String> = []
    private var ignoredColumns: [String: [String]] = [:]
    private var orphans: [String: Int] = [:]
    /// Set by the ingest too (what it skipped of the dump), before `finish`.
    var notes: [String] = []

    // crates
    private var cIds: [Int32] = []
    private var cLines: [Int32] = []
    private var cNames: [String] = []
    private var cCreated: [Int64?] = []
    private var cUpdated: [Int64?] = []
    private var cDescription: [String?] = []
    private var cHasReadme: [Bool] = []
    private var cRepository: [String?] = []
    private var cDocumentation: [String?] = []
    private var cHomepage: [String?] = []
    private var cLegacyDownloads: [Int64?] = []
    private var cratesHaveDownloads = false

    // versions
    private var vIds: [Int32] = []
    private var vLines: [Int32] = []
    private var vCrate: [Int32] = []
    private var vCreated: [Int64] = []
    private var vYanked: [Bool] = []
    private var vDownloads: [Int64] = []
    private var vNum: [String] = []
    private var versionsHaveDownloads = false
    private var versionsDone = false
    private var vMap = IdMap()
    private var vRecent: [Int64] = []
    private var recentById: [Int32: Int64] = [:]

    // default versions: crate id -> version id as given; resolved to a version index per crate id.
    private var defaultRows: [(crate: Int32, version: Int32, line: Int32)] = []
    private var defaultsReady = false
    private var isDefault: [Bool] = []
    private var defaultOfCrate: [Int32: Int32] = [:]

    // dependencies: (depended-upon crate << 32 | depending crate) of default versions, or raw rows
    // (version id, depended-upon crate) when the default versions are not known yet.
    private var depPairs: [UInt64] = []
    private var rawDepVersion: [Int32] = []
    private var rawDepCrate: [Int32] = []
    private var unknownKinds = 0

    private var crateDownloads: [Int32: Int64] = [:]
    private var owners: [UInt64] = []
    private var categorySlug: [Int32: String] = [:]
    // (crate, category id) and (crate, keyword id) rows: one shape, joined by labelsPerCrate.
    private var crateCategory: [(crate: Int32, label: Int32)] = []
    private var keywordText: [Int32: String] = [:]
    private var crateKeyword: [(crate: Int32, label: Int32)] = []
    private var totalDownloads: Int64?

    init(dumpLabel: String, db: SQLiteDB) throws(NerqError) {
        self.dumpLabel = dumpLabel
        self.db = db
        try StoreSchema.create(db)
        insertVersion = try db.prepare(StoreSchema.insertVersion)
    }

    // MARK: reading tables

    func isKnown(_ table: String) -> Bool { DumpTables.spec(table) != nil }

    func skip(_ table: String) { skipped.insert(table) }

    /// The reader for `table` (nil when the collector does not read it).
    func reader(for table: String, file: String) throws(NerqError) -> TableReader? {
        guard let spec = DumpTables.spec(table) else {
            skipped.insert(table)
            return nil
        }
        guard !done.contains(table), rowCounts[table] == nil else {
            throw NerqError(.parseError, "\(file): the table \(table) appears twice in the dump", path: file)
        }
        rowCounts[table] = 0
        let handler: (TableRow) throws(NerqError) -> Void
        switch table {
        case "crates": handler = { [unowned self] (r: TableRow) throws(NerqError) in try self.crateRow(r) }
        case "versions": handler = { [unowned self] (r: TableRow) throws(NerqError) in try self.versionRow(r) }
        case "default_versions":
            handler = { [unowned self] (r: TableRow) throws(NerqError) in
                self.defaultRows.append((try r.id(0), try r.id(1), Int32(clamping: r.line)))
            }
        case "crate_downloads":
            handler = { [unowned self] (r: TableRow) throws(NerqError) in
                let id = try r.id(0)
                guard let d = try r.count(1) else { throw r.fail(1, "expected a count", nil) }
                self.crateDownloads[id] = d
            }
        case "version_downloads": handler = { [unowned self] (r: TableRow) throws(NerqError) in try self.versionDownloadRow(r) }
        case "crate_owners":
            handler = { [unowned self] (r: TableRow) throws(NerqError) in
                let crate = try r.id(0)
                let owner = try r.id(1)
                let kind = try r.int(2)
                guard kind == 0 || kind == 1 else { throw r.fail(2, "expected 0 (user) or 1 (team)", r.raw(2)) }
                self.owners.append(UInt64(UInt32(bitPattern: crate)) << 32 | UInt64(kind) << 31 | UInt64(UInt32(bitPattern: owner)))
            }
        case "dependencies": handler = { [unowned self] (r: TableRow) throws(NerqError) in try self.dependencyRow(r) }
        case "categories":
            handler = { [unowned self] (r: TableRow) throws(NerqError) in
                self.categorySlug[try r.id(0)] = try r.requiredString(1)
            }
        case "crates_categories":
            handler = { [unowned self] (r: TableRow) throws(NerqError) in
                self.crateCategory.append((try r.id(0), try r.id(1)))
            }
        case "keywords":
            handler = { [unowned self] (r: TableRow) throws(NerqError) in
                self.keywordText[try r.id(0)] = try r.requiredString(1)
            }
        case "crates_keywords":
            handler = { [unowned self] (r: TableRow) throws(NerqError) in
                self.crateKeyword.append((try r.id(0), try r.id(1)))
            }
        case "metadata":
            handler = { [unowned self] (r: TableRow) throws(NerqError) in self.totalDownloads = try r.count(0) }
        default:
            return nil
        }
        return TableReader(spec: spec, file: file, onRow: handler)
    }

    /// Called when a table's file has been read completely.
    func finished(_ reader: TableReader) throws(NerqError) {
        try reader.finish()
        let table = reader.spec.table
        rowCounts[table] = reader.rows
        done.insert(table)
        if !reader.ignoredColumns.isEmpty { ignoredColumns[table] = reader.ignoredColumns }
        switch table {
        case "crates":
            cratesHaveDownloads = reader.has(8)
        case "versions":
            versionsDone = true
            versionsHaveDownloads = reader.has(5)
            vMap = IdMap(vIds)
            if let d = vMap.duplicate {
                let line = Int(d.second) < vLines.count ? vLines[Int(d.second)] : 0
                throw NerqError(.parseError, "\(reader.file) line \(line): duplicate version id \(d.id)", path: "\(reader.file):\(line)")
            }
            vRecent = [Int64](repeating: 0, count: vIds.count)
            for (id, d) in recentById.sorted(by: { $0.key < $1.key }) {
                if let vi = vMap.index(id) { vRecent[vi] = vRecent[vi].addingClamped(d) } else { orphan("version_downloads.version_id") }
            }
            recentById = [:]
            if expectDefaultVersions == false || done.contains("default_versions") { try computeDefaults() }
        case "default_versions":
            if done.contains("versions") { try computeDefaults() }
        default:
            break
        }
    }

    private func orphan(_ what: String, _ n: Int = 1) { orphans[what, default: 0] += n }

    private func crateRow(_ r: TableRow) throws(NerqError) {
        cIds.append(try r.id(0))
        cLines.append(Int32(clamping: r.line))
        cNames.append(try r.requiredString(1))
        cCreated.append(try r.timestamp(2))
        cUpdated.append(try r.timestamp(3))
        cDescription.append(r.present(4) ? r.string(4) : nil)
        cHasReadme.append(r.present(9))
        cHomepage.append(r.present(5) ? r.string(5) : nil)
        cDocumentation.append(r.present(6) ? r.string(6) : nil)
        cRepository.append(r.present(7) ? r.string(7) : nil)
        cLegacyDownloads.append(try r.count(8))
    }

    private func versionRow(_ r: TableRow) throws(NerqError) {
        let id = try r.id(0)
        let crate = try r.id(1)
        guard let num = r.raw(2), num.count > 0 else { throw r.fail(2, "expected a version number", r.raw(2)) }
        guard let created = try r.timestamp(3) else { throw r.fail(3, "expected a timestamp", nil) }
        guard let yanked = try r.bool(4) else { throw r.fail(4, "expected a boolean t or f", nil) }
        let downloads = try r.count(5)
        let categories = try r.array(9)
        let keywords = try r.array(10)
        let numText = String(decoding: num, as: UTF8.self)
        vIds.append(id)
        vLines.append(Int32(clamping: r.line))
        vCrate.append(crate)
        vCreated.append(created)
        vYanked.append(yanked)
        vDownloads.append(downloads ?? 0)
        vNum.append(numText)
        let s = insertVersion
        s.bind(1, Int64(id))
        s.bind(2, Int64(crate))
        s.bind(3, numText)
        s.bind(4, created)
        s.bind(5, Int64(yanked ? 1 : 0))
        s.bind(6, downloads)
        s.bind(7, bytes: r.raw(6))
        s.bind(8, bytes: r.raw(7))
        s.bind(9, bytes: r.raw(8))
        s.bind(10, categories.map { JSONText.string(.strings($0)) })
        s.bind(11, keywords.map { JSONText.string(.strings($0)) })
        guard try s.insert() else {
            throw NerqError(.parseError, "\(r.reader.file) line \(r.line): duplicate version id \(id)", path: "\(r.reader.file):\(r.line)")
        }
    }

    private func versionDownloadRow(_ r: TableRow) throws(NerqError) {
        let version = try r.id(0)
        guard let downloads = try r.count(1) else { throw r.fail(1, "expected a count", nil) }
        guard let day = try r.date(2) else { throw r.fail(2, "expected a date", nil) }
        // The dump keeps the last 90 days; count the 90 days that end on the snapshot's date.
        if let t = timestamp {
            let snapshotDay = t >= 0 ? t / 86400 : (t - 86399) / 86400
            if day <= snapshotDay - 90 || day > snapshotDay { return }
        }
        if versionsDone {
            if let vi = vMap.index(version) { vRecent[vi] = vRecent[vi].addingClamped(downloads) } else { orphan("version_downloads.version_id") }
        } else {
            recentById[version, default: 0] = recentById[version, default: 0].addingClamped(downloads)
        }
    }

    private func dependencyRow(_ r: TableRow) throws(NerqError) {
        let version = try r.id(0)
        let crate = try r.id(1)
        let kind = try r.int(2)
        guard kind >= 0 else { throw r.fail(2, "expected a dependency kind (0 normal, 1 build, 2 dev)", r.raw(2)) }
        if kind > 2 { unknownKinds += 1 }
        guard kind <= 1 else { return }
        if defaultsReady {
            guard let vi = vMap.index(version) else {
                orphan("dependencies.version_id")
                return
            }
            if isDefault[vi] { depPairs.append(UInt64(UInt32(bitPattern: crate)) << 32 | UInt64(UInt32(bitPattern: vCrate[vi]))) }
        } else {
            rawDepVersion.append(version)
            rawDepCrate.append(crate)
        }
    }

    // MARK: default versions

    /// Orders versions for "the default version": not yanked, then not a pre-release, then semver
    /// precedence (unparseable numbers below every parseable one), then id.
    private struct VersionRank: Comparable {
        var notYanked: Bool
        var stable: Bool
        var version: Version?
        var id: Int32

        static func < (a: VersionRank, b: VersionRank) -> Bool {
            if a.notYanked != b.notYanked { return !a.notYanked }
            if a.stable != b.stable { return !a.stable }
            switch (a.version, b.version) {
            case (nil, .some): return true
            case (.some, nil): return false
            case let (.some(x), .some(y)):
                let c = Version.compareIncludingBuild(x, y)
                if c != 0 { return c < 0 }
            case (nil, nil): break
            }
            return a.id < b.id
        }
    }

    private func rank(_ vi: Int) -> VersionRank {
        let v = try? Version.parse(vNum[vi])
        return VersionRank(notYanked: !vYanked[vi], stable: v.map { $0.pre.isEmpty } ?? false, version: v, id: vIds[vi])
    }

    /// Each crate's default version: the default_versions row when there is one (it is what
    /// crates.io shows), else the best version by `VersionRank` (crates.io's own rule).
    private func computeDefaults() throws(NerqError) {
        guard !defaultsReady else { return }
        isDefault = [Bool](repeating: false, count: vIds.count)
        defaultOfCrate = [:]
        defaultOfCrate.reserveCapacity(max(16, vIds.count / 8))
        applyDefaultRows()
        let computed = computeMissingDefaults()
        if !defaultRows.isEmpty || done.contains("default_versions") {
            if computed > 0 { notes.append("default_versions: no row for \(computed) crates (their default version was computed: highest non-yanked stable version)") }
        } else if computed > 0 {
            notes.append("default_versions.csv absent: each crate's default version was computed (highest non-yanked stable version)")
        }
        defaultRows = []
        defaultsReady = true
        keepPendingDependencies()
    }

    /// The default_versions rows that name a known version of their own crate (the first row per
    /// crate wins).
    private func applyDefaultRows() {
        var mismatched = 0
        for row in defaultRows {
            guard let vi = vMap.index(row.version) else {
                orphan("default_versions.version_id")
                continue
            }
            guard vCrate[vi] == row.crate else {
                mismatched += 1
                continue
            }
            if defaultOfCrate[row.crate] == nil {
                defaultOfCrate[row.crate] = Int32(vi)
                isDefault[vi] = true
            }
        }
        if mismatched > 0 {
            notes.append("default_versions: \(mismatched) rows name a version of another crate (ignored; the default was computed)")
        }
    }

    /// Crates without a (valid) row: groups versions by crate (one sort of packed crate|index keys)
    /// and picks the best. Returns how many crates it decided.
    private func computeMissingDefaults() -> Int {
        var order = (0..<vIds.count).map { UInt64(UInt32(bitPattern: vCrate[$0])) << 32 | UInt64($0) }
        order.sort()
        var computed = 0
        var i = 0
        while i < order.count {
            let crate = Int32(truncatingIfNeeded: order[i] >> 32)
            var j = i
            while j < order.count, Int32(truncatingIfNeeded: order[j] >> 32) == crate { j += 1 }
            if defaultOfCrate[crate] == nil {
                var best = Int(order[i] & 0xFFFF_FFFF)
                var bestRank = rank(best)
                for k in (i + 1)..<max(i + 1, j) {
                    let vi = Int(order[k] & 0xFFFF_FFFF)
                    let r = rank(vi)
                    if bestRank < r {
                        best = vi
                        bestRank = r
                    }
                }
                defaultOfCrate[crate] = Int32(best)
                isDefault[best] = true
                computed += 1
            }
            i = j
        }
        return computed
    }

    /// Dependencies read before the defaults were known: keeps those of default versions, as
    /// `dependencyRow` does once the defaults are ready.
    private func keepPendingDependencies() {
        guard !rawDepVersion.isEmpty else { return }
        depPairs.reserveCapacity(depPairs.count + rawDepVersion.count / 4)
        for k in 0..<rawDepVersion.count {
            guard let vi = vMap.index(rawDepVersion[k]) else {
                orphan("dependencies.version_id")
                continue
            }
            if isDefault[vi] {
                depPairs.append(UInt64(UInt32(bitPattern: rawDepCrate[k])) << 32 | UInt64(UInt32(bitPattern: vCrate[vi])))
            }
        }
        rawDepVersion = []
        rawDepCrate = []
    }

    // MARK: finishing

    private func releaseVersionArrays() {
        vIds = []
        vLines = []
        vCrate = []
        vCreated = []
        vYanked = []
        vDownloads = []
        vNum = []
        vRecent = []
        vMap = IdMap()
        isDefault = []
        defaultOfCrate = [:]
        crateDownloads = [:]
        categorySlug = [:]
        keywordText = [:]
    }

    /// Joins everything, writes the crates and indexes, and returns the summary.
    func finish() throws(NerqError) -> IngestSummary {
        for t in DumpTables.required where !done.contains(t) {
            throw NerqError(.notFound, "\(dumpLabel): the dump has no \(t).csv (required: crates and versions)", path: dumpLabel)
        }
        let cMap = try crateIndex()
        if !defaultsReady { try computeDefaults() }
        let crateTotal = cIds.count
        let versionTotal = vIds.count
        let columns = joinedColumns(cMap)
        let snapshotTime = columns.snapshotTime
        // The joined columns (consumed) and the per-version arrays are done with: free them before
        // SQLite sorts for the indexes.
        try writeCrates(consume columns)
        releaseVersionArrays()
        try db.exec(StoreSchema.indexes)
        let summary = makeSummary(crates: crateTotal, versions: versionTotal)
        try writeMeta(summary, snapshotTime: snapshotTime)
        return summary
    }

    /// The crates table's id -> index map; a crate id given twice is an error.
    private func crateIndex() throws(NerqError) -> IdMap {
        let cMap = IdMap(cIds)
        if let d = cMap.duplicate {
            let line = Int(d.second) < cLines.count ? cLines[Int(d.second)] : 0
            throw NerqError(.parseError, "data/crates.csv line \(line): duplicate crate id \(d.id)", path: "data/crates.csv:\(line)")
        }
        return cMap
    }

    // MARK: joining per crate

    /// What each crate's versions add up to, indexed like `cIds`.
    private struct VersionTotals {
        var count: [Int64]
        var yanked: [Int64]
        var first: [Int64?]
        var last: [Int64?]
        /// versions.downloads summed: the fallback when no table gives the crate's downloads.
        var downloadSum: [Int64]
        var recent: [Int64]
        /// The newest publication of all: the snapshot time when the dump does not say it.
        var latestCreated: Int64?
    }

    /// Every per-crate column of the store, indexed like `cIds` (nil: the dump cannot tell).
    private struct CrateColumns {
        var versions: VersionTotals
        var downloads: [Int64]?
        /// Whether `versions.recent` counts anything (version_downloads was read).
        var recentKnown: Bool
        var reverseDependencies: [Int64]?
        var owners: (users: [Int64], teams: [Int64])?
        var categories: [[String]]?
        var keywords: [[String]]?
        var downloadsPercentile: [Double]?
        var reversePercentile: [Double]?
        var snapshotTime: Int64
    }

    /// Joins every table on the crate, noting (in this order) what the dump lacked.
    private func joinedColumns(_ cMap: IdMap) -> CrateColumns {
        let totals = versionTotals(cMap)
        let downloads = downloadsPerCrate(cMap, versionDownloadSum: totals.downloadSum)
        let recentKnown = recentDownloadsKnown()
        let reverse = reverseDependencies(cMap)
        let owners = ownerCounts(cMap)
        let categories = labelsPerCrate(crateCategory, names: categorySlug, cMap: cMap,
                                        known: done.contains("crates_categories") && done.contains("categories"),
                                        orphanCrate: "crates_categories.crate_id", orphanLabel: "crates_categories.category_id",
                                        absent: "crates_categories.csv or categories.csv absent: categories from each version's own list, when the dump has it")
        let keywords = labelsPerCrate(crateKeyword, names: keywordText, cMap: cMap,
                                      known: done.contains("crates_keywords") && done.contains("keywords"),
                                      orphanCrate: "crates_keywords.crate_id", orphanLabel: "crates_keywords.keyword_id",
                                      absent: "crates_keywords.csv or keywords.csv absent: keywords from each version's own list, when the dump has it")
        crateCategory = []
        crateKeyword = []
        let snapshotTime = timestamp ?? totals.latestCreated ?? 0
        if timestamp == nil { notes.append("metadata.json absent: the snapshot time is the newest version's publication") }
        // Ecosystem percentiles: the share of crates with strictly fewer.
        return CrateColumns(versions: totals, downloads: downloads, recentKnown: recentKnown, reverseDependencies: reverse,
                            owners: owners, categories: categories, keywords: keywords,
                            downloadsPercentile: downloads.map { Percentiles.strictlyBelow($0) },
                            reversePercentile: reverse.map { Percentiles.strictlyBelow($0) }, snapshotTime: snapshotTime)
    }

    /// Version counts, first and last publication, and download sums per crate; a version of a
    /// crate the crates table lacks is an orphan.
    private func versionTotals(_ cMap: IdMap) -> VersionTotals {
        let n = cIds.count
        var count = [Int64](repeating: 0, count: n)
        var yanked = [Int64](repeating: 0, count: n)
        var first = [Int64?](repeating: nil, count: n)
        var last = [Int64?](repeating: nil, count: n)
        var downloadSum = [Int64](repeating: 0, count: n)
        var recent = [Int64](repeating: 0, count: n)
        var latestCreated: Int64?
        for vi in 0..<vIds.count {
            guard let ci = cMap.index(vCrate[vi]) else {
                orphan("versions.crate_id")
                continue
            }
            count[ci] += 1
            if vYanked[vi] { yanked[ci] += 1 }
            let t = vCreated[vi]
            if first[ci].map({ t < $0 }) ?? true { first[ci] = t }
            if last[ci].map({ t > $0 }) ?? true { last[ci] = t }
            if latestCreated.map({ t > $0 }) ?? true { latestCreated = t }
            downloadSum[ci] = downloadSum[ci].addingClamped(vDownloads[vi])
            if vi < vRecent.count { recent[ci] = recent[ci].addingClamped(vRecent[vi]) }
        }
        return VersionTotals(count: count, yanked: yanked, first: first, last: last, downloadSum: downloadSum,
                             recent: recent, latestCreated: latestCreated)
    }

    /// All-time downloads: crate_downloads, else the crates table's own column (older dumps), else
    /// the sum over versions; nil (with a note) when the dump has none of them.
    private func downloadsPerCrate(_ cMap: IdMap, versionDownloadSum: [Int64]) -> [Int64]? {
        if done.contains("crate_downloads") {
            var d = [Int64](repeating: 0, count: cIds.count)
            for (id, value) in crateDownloads.sorted(by: { $0.key < $1.key }) {
                if let ci = cMap.index(id) { d[ci] = value } else { orphan("crate_downloads.crate_id") }
            }
            return d
        } else if cratesHaveDownloads {
            notes.append("crate_downloads.csv absent: total downloads from crates.downloads")
            return cLegacyDownloads.map { $0 ?? 0 }
        } else if versionsHaveDownloads {
            notes.append("crate_downloads.csv absent: total downloads summed over versions.downloads")
            return versionDownloadSum
        }
        notes.append("crate_downloads.csv absent and no downloads column: downloads unknown")
        return nil
    }

    /// Whether recent downloads are known (version_downloads was read), noting how they were counted.
    private func recentDownloadsKnown() -> Bool {
        let known = done.contains("version_downloads")
        if !known { notes.append("version_downloads.csv absent: recent downloads unknown") }
        if known && timestamp == nil {
            notes.append("metadata.json absent or without a timestamp: recent downloads count every row of version_downloads")
        }
        return known
    }

    /// Reverse dependencies: distinct crates whose default version depends on the crate (normal
    /// and build dependencies; dev-dependencies do not make a dependent). Frees the pairs.
    private func reverseDependencies(_ cMap: IdMap) -> [Int64]? {
        guard done.contains("dependencies") else {
            notes.append("dependencies.csv absent: reverse dependencies unknown")
            return nil
        }
        var r = [Int64](repeating: 0, count: cIds.count)
        // A crate depending on itself is not its own dependent.
        forEachDistinct(&depPairs, cMap: cMap, orphan: "dependencies.crate_id",
                        skip: { Int32(truncatingIfNeeded: $0 >> 32) == Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }) { ci, _ in
            r[ci] += 1
        }
        if unknownKinds > 0 { notes.append("dependencies: \(unknownKinds) rows of an unknown kind (not counted)") }
        return r
    }

    /// Distinct user and team owners per crate. Frees the owner rows.
    private func ownerCounts(_ cMap: IdMap) -> (users: [Int64], teams: [Int64])? {
        guard done.contains("crate_owners") else {
            notes.append("crate_owners.csv absent: owners unknown")
            return nil
        }
        var users = [Int64](repeating: 0, count: cIds.count)
        var teams = [Int64](repeating: 0, count: cIds.count)
        forEachDistinct(&owners, cMap: cMap, orphan: "crate_owners.crate_id", skip: { _ in false }) { ci, o in
            if (o >> 31) & 1 == 1 { teams[ci] += 1 } else { users[ci] += 1 }
        }
        return (users, teams)
    }

    /// Sorts packed rows (crate id in the high 32 bits) and visits each distinct one, not `skip`ped,
    /// with its crate's index; a row of a crate the crates table lacks is an orphan. Frees the rows.
    private func forEachDistinct(_ rows: inout [UInt64], cMap: IdMap, orphan kind: String, skip: (UInt64) -> Bool,
                                 _ visit: (_ crateIndex: Int, _ row: UInt64) -> Void) {
        rows.sort()
        var previous: UInt64?
        for row in rows {
            if row == previous { continue }
            previous = row
            if skip(row) { continue }
            guard let ci = cMap.index(Int32(truncatingIfNeeded: row >> 32)) else {
                orphan(kind)
                continue
            }
            visit(ci, row)
        }
        rows = []
    }

    /// Each crate's categories or keywords (one join table and its names; the writer sorts them
    /// and drops repeats); nil, with the `absent` note, when either table is missing.
    private func labelsPerCrate(_ pairs: [(crate: Int32, label: Int32)], names: [Int32: String], cMap: IdMap, known: Bool,
                                orphanCrate: String, orphanLabel: String, absent: String) -> [[String]]? {
        guard known else {
            notes.append(absent)
            return nil
        }
        var labels = [[String]](repeating: [], count: cIds.count)
        for (crate, label) in pairs {
            guard let ci = cMap.index(crate) else { orphan(orphanCrate); continue }
            guard let name = names[label] else { orphan(orphanLabel); continue }
            labels[ci].append(name)
        }
        return labels
    }

    // MARK: writing the store

    /// Writes every crate with its category and keyword rows, in name order: the table is keyed by
    /// name, so rows append instead of splitting pages.
    private func writeCrates(_ c: CrateColumns) throws(NerqError) {
        let insert = try db.prepare(StoreSchema.insertCrate)
        let defaultFields = try defaultVersionFields()
        let insertCategory = try db.prepare("INSERT OR IGNORE INTO crate_categories(slug, crate_id, proxy, ok) VALUES (?1, ?2, ?3, ?4)")
        let insertKeyword = try db.prepare("INSERT OR IGNORE INTO crate_keywords(keyword, crate_id, proxy, ok) VALUES (?1, ?2, ?3, ?4)")
        let byName = (0..<cIds.count).sorted { cNames[$0].utf8.lexicographicallyPrecedes(cNames[$1].utf8) }
        for ci in byName {
            let row = rowValues(ci, c)
            bind(insert, row, c, defaultFields: defaultFields[ci])
            guard try insert.insert() else {
                let line = cLines[ci]
                throw NerqError(.parseError, "data/crates.csv line \(line): duplicate crate name \"\(cNames[ci])\"", path: "data/crates.csv:\(line)")
            }
            try insertLabels(insertCategory, row.categories ?? [], row)
            try insertLabels(insertKeyword, row.keywords ?? [], row)
        }
    }

    /// The default versions' own fields (license, edition, rust_version, categories, keywords) per
    /// crate, read back in version-id order (sequential pages).
    private func defaultVersionFields() throws(NerqError) -> [[String?]] {
        let n = cIds.count
        let query = try db.prepare("SELECT license, edition, rust_version, categories, keywords FROM versions WHERE id = ?1")
        var fields = [[String?]](repeating: [], count: n)
        let withDefault = (0..<n).compactMap { ci -> (Int32, Int)? in defaultOfCrate[cIds[ci]].map { (vIds[Int($0)], ci) } }.sorted { $0 < $1 }
        for (versionId, ci) in withDefault {
            query.bind(1, Int64(versionId))
            if try query.step() { fields[ci] = (Int32(0)..<5).map { query.text($0) } }
            query.reset()
        }
        return fields
    }

    /// What one crate's row shares with its category and keyword rows.
    private struct RowValues {
        var index: Int
        var defaultVersion: Int?
        /// Sorted and distinct; nil when the dump cannot tell.
        var categories: [String]?
        var keywords: [String]?
        /// The alternatives' ranking score (downloads and reverse-dependency percentiles, recency).
        var proxy: Double
        /// Whether the crate may be offered as an alternative: its default version is not yanked.
        var alternativeOK: Bool
    }

    /// Inlined into the per-crate loop: as a call, its reads of the builder's arrays each paid an
    /// exclusivity check per crate.
    @inline(__always) private func rowValues(_ ci: Int, _ c: CrateColumns) -> RowValues {
        let defaultVi = defaultOfCrate[cIds[ci]].map { Int($0) }
        let recency = Alternatives.recency(latest: c.versions.last[ci], snapshot: c.snapshotTime)
        let proxy = Alternatives.proxy(downloadsPercentile: c.downloadsPercentile?[ci],
                                       reverseDependenciesPercentile: c.reversePercentile?[ci], recency: recency)
        return RowValues(index: ci, defaultVersion: defaultVi,
                         categories: c.categories.map { Array(Set($0[ci])).sorted() },
                         keywords: c.keywords.map { Array(Set($0[ci])).sorted() },
                         proxy: proxy, alternativeOK: defaultVi.map { !vYanked[$0] } ?? false)
    }

    /// Binds the crates table's columns (StoreSchema.insertCrate) for one crate.
    private func bind(_ insert: SQLiteStatement, _ row: RowValues, _ c: CrateColumns, defaultFields: [String?]) {
        let ci = row.index
        let defaultVi = row.defaultVersion
        insert.bind(1, Int64(cIds[ci]))
        insert.bind(2, cNames[ci])
        insert.bind(3, RegistryStore.canonical(cNames[ci]))
        insert.bind(4, cCreated[ci])
        insert.bind(5, cUpdated[ci])
        insert.bind(6, cDescription[ci])
        insert.bind(7, cRepository[ci])
        insert.bind(8, cDocumentation[ci])
        insert.bind(9, cHomepage[ci])
        insert.bind(10, c.downloads?[ci])
        insert.bind(11, c.recentKnown ? c.versions.recent[ci] : nil)
        insert.bind(12, c.downloadsPercentile?[ci])
        insert.bind(13, c.reverseDependencies?[ci])
        insert.bind(14, c.reversePercentile?[ci])
        insert.bind(15, c.versions.count[ci])
        insert.bind(16, c.versions.yanked[ci])
        insert.bind(17, c.versions.first[ci])
        insert.bind(18, c.versions.last[ci])
        insert.bind(19, defaultVi.map { Int64(vIds[$0]) })
        insert.bind(20, defaultVi.map { vNum[$0] })
        insert.bind(21, c.owners?.users[ci])
        insert.bind(22, c.owners?.teams[ci])
        insert.bind(23, row.categories.map { JSONText.string(.strings($0)) })
        insert.bind(24, row.keywords.map { JSONText.string(.strings($0)) })
        insert.bind(25, row.proxy)
        insert.bind(26, Int64(row.alternativeOK ? 1 : 0))
        insert.bind(27, Int64(cHasReadme[ci] ? 1 : 0))
        insert.bind(28, defaultVi.map { vCreated[$0] })
        insert.bind(29, defaultVi.map { Int64(vYanked[$0] ? 1 : 0) })
        for (k, field) in defaultFields.enumerated() { insert.bind(30 + Int32(k), field) }
    }

    /// One crate's rows in crate_categories or crate_keywords (the same four columns).
    private func insertLabels(_ statement: SQLiteStatement, _ labels: [String], _ row: RowValues) throws(NerqError) {
        for label in labels {
            statement.bind(1, label)
            statement.bind(2, Int64(cIds[row.index]))
            statement.bind(3, row.proxy)
            statement.bind(4, Int64(row.alternativeOK ? 1 : 0))
            try statement.run()
        }
    }

    private func makeSummary(crates: Int, versions: Int) -> IngestSummary {
        IngestSummary(
            dump: dumpLabel, snapshot: snapshot, timestamp: timestamp.map { Timestamp(seconds: $0) }, cratesIoCommit: cratesIoCommit,
            tables: rowCounts.keys.sorted().map { IngestSummary.TableCount(name: $0, rows: rowCounts[$0] ?? 0) },
            crates: crates, versions: versions,
            skippedTables: skipped.sorted(),
            ignoredColumns: ignoredColumns.keys.sorted().map { IngestSummary.TableColumns(table: $0, columns: ignoredColumns[$0] ?? []) },
            orphans: orphans.keys.sorted().map { IngestSummary.TableCount(name: $0, rows: orphans[$0] ?? 0) },
            notes: notes)
    }

    /// The store's meta table: its format, where it came from, and the ingest summary.
    private func writeMeta(_ summary: IngestSummary, snapshotTime: Int64) throws(NerqError) {
        let meta = try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)")
        let entries: [(String, String?)] = [
            ("format", StoreSchema.format),
            ("dump", dumpLabel),
            ("snapshot", snapshot),
            ("timestamp", timestamp.map { Timestamp(seconds: $0).description }),
            ("snapshot_time", String(snapshotTime)),
            ("crates_io_commit", cratesIoCommit),
            ("total_downloads", totalDownloads.map { String($0) }),
            ("tables", JSONText.string(.strings(done.sorted()))),
            ("summary", JSONText.string(summary.json)),
        ]
        for (k, v) in entries {
            meta.bind(1, k)
            meta.bind(2, v)
            try meta.run()
        }
    }
}

enum Percentiles {
    /// For each value, 100 × (number of values strictly below it) / count, rounded to 2 decimals.
    static func strictlyBelow(_ values: [Int64]) -> [Double] {
        let n = values.count
        guard n > 0 else { return [] }
        let sorted = values.sorted()
        return values.map { v in
            // lower bound of v in sorted
            var lo = 0
            var hi = n
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                if sorted[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            return (Double(lo) * 10000 / Double(n)).rounded() / 100
        }
    }
}

extension Int64 {
    /// Addition that stops at the largest value instead of trapping (counts from input data).
    @inline(__always) func addingClamped(_ other: Int64) -> Int64 {
        let (r, o) = addingReportingOverflow(other)
        return o ? (other > 0 ? Int64.max : Int64.min) : r
    }
}
