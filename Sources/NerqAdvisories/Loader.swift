// Loading: walk, read and parse in parallel, then merge, score CVSS vectors and sort.

import Dispatch
import NerqCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqIO
import NerqJSON
import NerqThreads

extension AdvisoryDatabase {
    /// Loads a RustSec advisory-db directory (`crates/<crate>/*.md`, `rust/<pkg>/*.md`), a
    /// directory of OSV `*.json` records (searched up to 4 levels deep), or a single OSV JSON file
    /// (a `.md` file is read as one RustSec advisory). Both layouts may be mixed (RustSec's OSV
    /// export also uses `crates/`). Malformed advisories do not fail the load: they are listed in
    /// `errors`. Hidden files and directories are skipped.
    ///
    /// Throws `not_found` when `path` does not exist or holds no advisory files, `io_error` when the
    /// top-level directories cannot be read.
    public static func load(path: String) throws(NerqError) -> AdvisoryDatabase {
        try load(path: path, filter: nil)
    }

    /// Loads only what can apply to the named crates: the `crates/<name>/` directories of a RustSec
    /// database (nothing else is listed or read, which makes this much cheaper than a full load
    /// when checking one lockfile), and from OSV files only the records for those crates (OSV files
    /// are all read, their names say nothing about the package). The `rust/` collection is skipped.
    /// `advisories`, `errors` and `fileCount` then describe the files read.
    public static func load(path: String, packages: [String]) throws(NerqError) -> AdvisoryDatabase {
        try load(path: path, filter: Set(packages))
    }

    static func load(path: String, filter: Set<String>?) throws(NerqError) -> AdvisoryDatabase {
        try find(path: path, filter: filter).read()
    }

    /// Finds the database: checks `path` and lists its top-level directories (the errors `load`
    /// throws are thrown here), leaving the advisory files to `Found.read()`. An engine finds its
    /// database when it is created and reads it when a request first needs it.
    public static func find(path: String) throws(NerqError) -> Found {
        try find(path: path, filter: nil)
    }

    static func find(path: String, filter: Set<String>?) throws(NerqError) -> Found {
        let listing = try Listing(path: path, filter: filter)
        if !listing.hasFiles && filter == nil {
            throw NerqError(.notFound,
                            "no advisories under \(path) (expected crates/<crate>/*.md, rust/<package>/*.md or *.json files)",
                            path: path)
        }
        return Found(path: path, filter: filter)
    }

    /// The advisory files of a database and the directories they are read through, open for as
    /// long as this lives (a found database holds no descriptor until it is read).
    final class Listing {
        let items: [WorkItem]
        private let dirFDs: [Int32]

        init(path: String, filter: Set<String>?) throws(NerqError) {
            try Files.checkPath(path)
            guard let kind = Files.kind(path) else {
                throw NerqError(.notFound, "advisory database not found: \(path)", path: path)
            }
            var items: [WorkItem] = []
            var dirFDs: [Int32] = []
            switch kind {
            case .file:
                let name = Files.lastComponent(path)
                items.append(.file(dir: AT_FDCWD, name: path, rel: name, type: name.hasSuffix(".md") ? .rustsec(.crates) : .osv))
            case .directory:
                do throws(NerqError) {
                    try AdvisoryDatabase.collect(root: path, filter: filter, into: &items, dirFDs: &dirFDs)
                } catch {
                    for fd in dirFDs { close(fd) }
                    throw error
                }
            case .other, .symlink:
                throw NerqError(.notFound, "not a file or directory: \(path)", path: path)
            }
            self.items = items
            self.dirFDs = dirFDs
        }

        deinit { for fd in dirFDs { close(fd) } }

        /// Whether anything was found to read: the directories listed on the way (kept for the
        /// index cache's stamp) are not advisories.
        var hasFiles: Bool {
            items.contains { item in
                if case .listed = item { return false }
                return true
            }
        }
    }

    /// A database found but not read yet: where it is (its files are listed again when it is
    /// read, so an engine that was never used holds no file open).
    public final class Found: Sendable {
        let path: String
        let filter: Set<String>?

        init(path: String, filter: Set<String>?) {
            self.path = path
            self.filter = filter
        }

        /// Checks that at least one advisory loads, reading as few files as that takes (one, in a
        /// healthy database): a directory where nothing loads (a wrong path that happens to hold
        /// some `.json` files, a folder of broken advisories) must never pass for an empty
        /// database. Throws `parse_error` naming the path and the first errors.
        public func probe() throws(NerqError) {
            let listing = try Listing(path: path, filter: filter)
            var buffer: [UInt8] = []
            var errors: [AdvisoryLoadError] = []
            for item in listing.items {
                for outcome in AdvisoryDatabase.process(item, buffer: &buffer) {
                    switch outcome {
                    case .record: return
                    case .error(let e): if errors.count < 3 { errors.append(e) }
                    case .file, .skipped: break
                    }
                }
            }
            let shown = errors.map { e in "\(e.file)\(e.line.map { ":\($0)" } ?? ""): \(e.message)" }
            throw NerqError(.parseError, "no advisory loads from \(path)" + (shown.isEmpty ? " (no advisory files)" : ": " + shown.joined(separator: "; ")),
                            path: path)
        }

        /// Lists, reads and parses every advisory file in parallel (`run`). Call once. A database
        /// that can no longer be listed reads as empty, with the reason as its one error.
        ///
        /// With a `cache`, the database's index is read instead when one is kept there and it is
        /// verifiably this database's (AdvisoryIndexCache); otherwise the files are read and a new
        /// index is written. Both give the same database.
        /// `readingIndex: false`: the caller found the index out of date already; the files are
        /// read and a new index written.
        public func read(cache: AdvisoryIndexCache? = nil, readingIndex: Bool = true) -> AdvisoryDatabase {
            let cache = filter == nil ? cache : nil
            if readingIndex, let indexed = cache?.load(path: path) { return indexed }
            let listing: Listing
            do {
                listing = try Listing(path: path, filter: filter)
            } catch {
                return AdvisoryDatabase(path: path, advisories: [], errors: [AdvisoryLoadError(file: path, line: nil, message: error.message)])
            }
            // Taken before the files are read: a file that changes while it is read then differs
            // from the index's stamp on the next run.
            let stamp = cache?.stamp(path: path, items: listing.items)
            let db = AdvisoryDatabase.assemble(path: path, outcomes: AdvisoryDatabase.run(listing.items), filter: filter)
            if let cache, let stamp { cache.store(db, stamp) }
            return db
        }
    }

    /// Parses one RustSec advisory file's text (for tools and tests; `load` reads directories).
    public static func parseRustSec(_ text: String, file: String = "advisory.md",
                                    collection: AdvisoryRecord.Collection = .crates) -> Result<AdvisoryRecord, AdvisoryLoadError> {
        var bytes = Array(text.utf8)
        let outcomes = bytes.withUnsafeMutableBytes { raw in
            parseFile(UnsafeRawBufferPointer(raw), rel: file, type: .rustsec(collection))
        }
        let db = assemble(path: file, outcomes: [outcomes], filter: nil)
        if let e = db.errors.first { return .failure(e) }
        if let r = db.advisories.first { return .success(r) }
        return .failure(AdvisoryLoadError(file: file, line: nil, message: "no advisory"))
    }

    /// Parses the text of one OSV JSON file (a record, an array of records or `{"vulns": [...]}`).
    public static func parseOSV(_ text: String, file: String = "record.json") -> (records: [AdvisoryRecord], errors: [AdvisoryLoadError]) {
        var bytes = Array(text.utf8)
        let outcomes = bytes.withUnsafeMutableBytes { raw in
            parseFile(UnsafeRawBufferPointer(raw), rel: file, type: .osv)
        }
        let db = assemble(path: file, outcomes: [outcomes], filter: nil)
        return (db.advisories, db.errors)
    }

    // MARK: - Work items

    enum FileType: Sendable {
        case rustsec(AdvisoryRecord.Collection)
        case osv
    }

    enum WorkItem: Sendable {
        /// A `crates/<crate>` or `rust/<pkg>` directory (`name` relative to the open directory
        /// `parent`): its `*.md` (RustSec) and `*.json` (OSV) files.
        case advisoryDir(parent: Int32, name: String, rel: String, collection: AdvisoryRecord.Collection)
        /// One file, `name` relative to the open directory `dir` (or a path with AT_FDCWD).
        case file(dir: Int32, name: String, rel: String, type: FileType)
        /// A symbolic link inside the database: reported, not followed.
        case symlink(rel: String)
        /// A directory that was listed to find the other items (`""`: the database's own); nothing
        /// to read, but a file added to it or removed from it changes what a load reads.
        case listed(rel: String)
    }

    enum Outcome: Sendable {
        case file
        case record(AdvisoryRecord)
        case error(AdvisoryLoadError)
        case skipped
    }

    /// Deepest directory level searched for OSV files outside `crates/` and `rust/`.
    static let maxOSVDepth = 4

    /// Lists the tree below `root` into work items, in name order. Directories whose files are
    /// opened by the workers stay open (in `dirFDs`, closed by the caller). Symbolic links inside
    /// the database are never followed (a link could lead out of it, or back into it forever):
    /// each is reported as an error of the load.
    static func collect(root: String, filter: Set<String>?, into items: inout [WorkItem],
                        dirFDs: inout [Int32]) throws(NerqError) {
        let (rootFD, entries) = try openListing(AT_FDCWD, root, root: root, dirFDs: &dirFDs)
        items.append(.listed(rel: ""))
        for e in entries where !e.name.hasPrefix(".") {
            switch e.kind {
            case .symlink:
                items.append(.symlink(rel: e.name))
            case .directory where e.name == "crates" || e.name == "rust":
                let collection: AdvisoryRecord.Collection = e.name == "crates" ? .crates : .rust
                if filter != nil && collection == .rust { continue }
                let (fd, sub) = try openListing(rootFD, e.name, root: root, dirFDs: &dirFDs)
                items.append(.listed(rel: e.name))
                for s in sub where !s.name.hasPrefix(".") {
                    switch s.kind {
                    case .symlink:
                        if let filter, !filter.contains(s.name) { continue }
                        items.append(.symlink(rel: e.name + "/" + s.name))
                    case .directory:
                        if let filter, !filter.contains(s.name) { continue }
                        items.append(.advisoryDir(parent: fd, name: s.name, rel: e.name + "/" + s.name, collection: collection))
                    case .file where s.name.hasSuffix(".json"):
                        items.append(.file(dir: fd, name: s.name, rel: e.name + "/" + s.name, type: .osv))
                    default:
                        break
                    }
                }
            case .directory:
                collectOSV(dir: Files.join(root, e.name), rel: e.name, depth: 1, into: &items)
            case .file where e.name.hasSuffix(".json"):
                items.append(.file(dir: rootFD, name: e.name, rel: e.name, type: .osv))
            default:
                break
            }
        }
    }

    /// Opens the directory `name` (relative to `parent`), keeps it open in `dirFDs` and lists it.
    static func openListing(_ parent: Int32, _ name: String, root: String,
                            dirFDs: inout [Int32]) throws(NerqError) -> (fd: Int32, entries: [Directory.Entry]) {
        let shown = parent == AT_FDCWD ? name : "\(root)/\(name)"
        // The database's own path may be a symlink (it was named); nothing below it is followed.
        let fd = parent == AT_FDCWD ? openat(AT_FDCWD, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : (Directory.open(parent, name) ?? -1)
        guard fd >= 0 else {
            throw NerqError(.ioError, "cannot open directory \(shown): \(Files.errnoText())", path: root)
        }
        dirFDs.append(fd)
        guard let entries = Directory.entries(fd) else {
            throw NerqError(.ioError, "cannot read directory \(shown): \(Files.errnoText())", path: root)
        }
        return (fd, entries)
    }

    static func collectOSV(dir: String, rel: String, depth: Int, into items: inout [WorkItem]) {
        guard depth <= maxOSVDepth, let fd = Directory.open(AT_FDCWD, dir) else { return }
        defer { close(fd) }
        guard let entries = Directory.entries(fd) else { return }
        items.append(.listed(rel: rel))
        for e in entries where !e.name.hasPrefix(".") {
            switch e.kind {
            case .symlink:
                items.append(.symlink(rel: rel + "/" + e.name))
            case .directory:
                collectOSV(dir: Files.join(dir, e.name), rel: rel + "/" + e.name, depth: depth + 1, into: &items)
            case .file where e.name.hasSuffix(".json"):
                items.append(.file(dir: AT_FDCWD, name: Files.join(dir, e.name), rel: rel + "/" + e.name, type: .osv))
            default:
                break
            }
        }
    }

    // MARK: - Parallel processing

    /// Processes the items on `fileReaderThreads` workers, each with its own read buffer; result
    /// `i` belongs to item `i`.
    static func run(_ items: [WorkItem]) -> [[Outcome]] {
        parallelMap(items, threads: fileReaderThreads, workerState: { [UInt8]() }) { buffer, item in
            process(item, buffer: &buffer)
        }
    }

    static func process(_ item: WorkItem, buffer: inout [UInt8]) -> [Outcome] {
        switch item {
        case .file(let dir, let name, let rel, let type):
            return processFile(dir: dir, name: name, rel: rel, type: type, buffer: &buffer)
        case .symlink(let rel):
            return [.error(symlinkError(rel))]
        case .listed:
            return []
        case .advisoryDir(let parent, let name, let rel, let collection):
            let result = Directory.with(parent, name) { fd, entries -> [Outcome] in
                var out: [Outcome] = []
                for e in entries where !e.name.hasPrefix(".") {
                    if e.kind == .symlink && (e.name.hasSuffix(".md") || e.name.hasSuffix(".json")) {
                        out.append(.error(symlinkError(rel + "/" + e.name)))
                    } else if e.kind != .file {
                        continue
                    } else if e.name.hasSuffix(".md") {
                        out += processFile(dir: fd, name: e.name, rel: rel + "/" + e.name, type: .rustsec(collection), buffer: &buffer)
                    } else if e.name.hasSuffix(".json") {
                        out += processFile(dir: fd, name: e.name, rel: rel + "/" + e.name, type: .osv, buffer: &buffer)
                    }
                }
                return out
            }
            return result ?? [.error(AdvisoryLoadError(file: rel, line: nil, message: "cannot read directory: \(Files.errnoText())"))]
        }
    }

    static func symlinkError(_ rel: String) -> AdvisoryLoadError {
        AdvisoryLoadError(file: rel, line: nil, message: "a symbolic link: not followed (advisories are read only from regular files inside the database)")
    }

    /// The largest advisory file read: a RustSec advisory is a few KiB (the largest in the real
    /// database is 30 KiB), an OSV file one record or an export of many.
    static let maxRustSecFile = 1 << 20
    static let maxOSVFile = 64 << 20

    static func processFile(dir: Int32, name: String, rel: String, type: FileType, buffer: inout [UInt8]) -> [Outcome] {
        let count: Int
        let limit: Int
        switch type {
        case .rustsec: limit = maxRustSecFile
        case .osv: limit = maxOSVFile
        }
        switch Directory.read(dir, name, into: &buffer, limit: limit) {
        case .success(let n): count = n
        case .failure(let f):
            let message: String
            switch f {
            case .notFound: message = "cannot open: no such file"
            case .notRegular: message = "not a regular file"
            case .tooLarge(let limit): message = "larger than \(limit) bytes: not read"
            case .failed(let text): message = "cannot read: \(text)"
            }
            return [.file, .error(AdvisoryLoadError(file: rel, line: nil, message: message))]
        }
        return buffer.withUnsafeBytes { raw -> [Outcome] in
            guard count <= raw.count else { return [.file, .error(AdvisoryLoadError(file: rel, line: nil, message: "read failed"))] }
            return parseFile(UnsafeRawBufferPointer(rebasing: raw[0..<count]), rel: rel, type: type)
        }
    }

    static func parseFile(_ raw: UnsafeRawBufferPointer, rel: String, type: FileType) -> [Outcome] {
        switch type {
        case .rustsec(let collection):
            switch RustSecParser.parse(raw, file: rel, collection: collection) {
            case .success(let r): return [.file, .record(r)]
            case .failure(let e): return [.file, .error(e)]
            }
        case .osv:
            var out: [Outcome] = [.file]
            for o in OSVParser.parse(raw, file: rel) {
                switch o {
                case .records(let rs): out += rs.map { .record($0) }
                case .skipped: out.append(.skipped)
                case .failed(let e): out.append(.error(e))
                }
            }
            return out
        }
    }

    // MARK: - Merge

    /// Merges the outcomes (in item order) and builds the sorted database.
    static func assemble(path: String, outcomes: [[Outcome]], filter: Set<String>?) -> AdvisoryDatabase {
        var records: [AdvisoryRecord] = []
        var errors: [AdvisoryLoadError] = []
        var skipped = 0
        var files = 0
        for list in outcomes {
            for o in list {
                switch o {
                case .file: files += 1
                case .record(let r):
                    if let filter, !filter.contains(r.package) || r.collection != .crates { continue }
                    records.append(r)
                case .error(let e): errors.append(e)
                case .skipped: skipped += 1
                }
            }
        }
        let unknown = records.reduce(0) { $0 + $1.unknownKeys.count }
        return AdvisoryDatabase(path: path, advisories: records, errors: errors, unknownKeyCount: unknown,
                                skippedRecords: skipped, fileCount: files)
    }

}
