// Reading a crates.io database dump — `db-dump.tar.gz` or its extracted folder — into the store.
// The store is built in a temporary file beside the destination and renamed over it only when
// everything was read: an error leaves the destination as it was, and no half-written store.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqArchive
import NerqCore
import NerqIO
import NerqJSON

public enum RegistryIngest {
    /// Builds the registry store at `store` from the dump at `dump` (a `.tar.gz`/`.tar` file, a
    /// `YYYY-MM-DD-HHMMSS` folder, or a folder holding such folders: the newest is read).
    ///
    /// The store is written to a temporary file of this call's own and renamed over `store` only
    /// when complete, under an exclusive lock (`<store>.lock`), so concurrent builders never share
    /// a temporary and no reader sees a half-built store; temporaries left by a killed builder are
    /// removed first. A store that exists once the lock is held (another
    /// builder finished it meanwhile) is kept (`buildIfMissing`).
    @discardableResult
    public static func build(dump: String, store: String) throws(NerqError) -> IngestSummary {
        let lock = try FileLock(store)
        defer { lock.unlock() }
        return try buildLocked(dump: dump, store: store)
    }

    /// As `build`, unless the store exists once the lock is held (another builder, in this process
    /// or another, finished it meanwhile): then that store is kept and nil returned.
    public static func buildIfMissing(dump: String, store: String) throws(NerqError) -> IngestSummary? {
        let lock = try FileLock(store)
        defer { lock.unlock() }
        if Files.exists(store) { return nil }
        return try buildLocked(dump: dump, store: store)
    }

    static func buildLocked(dump: String, store: String) throws(NerqError) -> IngestSummary {
        try Files.checkPath(store)
        guard let kind = Files.kind(dump) else { throw NerqError(.notFound, "no such dump: \(dump)", path: dump) }
        Files.removeStaleTemporaries(of: store)
        let temporary = Files.temporaryName(for: store)
        var db: SQLiteDB?
        do throws(NerqError) {
            let opened = try SQLiteDB(path: temporary, readOnly: false)
            db = opened
            let builder = try DumpBuilder(dumpLabel: dump, db: opened)
            switch kind {
            case .directory: try readFolder(dump, into: builder)
            case .file: try readTarball(dump, into: builder)
            case .other, .symlink: throw NerqError(.invalidValue, "\(dump) is neither a dump folder nor a tarball", path: dump)
            }
            let summary: IngestSummary
            do throws(NerqError) {
                summary = try builder.finish()
            } catch {
                throw located(error, in: dump)
            }
            try opened.exec("COMMIT")
            opened.close()
            db = nil
            try Files.fsyncFile(temporary)
            try Files.rename(temporary, store)
            return summary
        } catch {
            db?.close()
            Files.remove(temporary)
            Files.remove(temporary + "-journal")
            throw error
        }
    }

    // MARK: metadata.json

    static func readMetadata(_ bytes: [UInt8], file: String, into builder: DumpBuilder) throws(NerqError) {
        let value: JSONValue
        do throws(NerqError) {
            value = try JSONParser.parse(bytes)
        } catch {
            throw NerqError(.parseError, "\(file): \(error.message)", path: file)
        }
        guard case .object(let o) = value else {
            throw NerqError(.parseError, "\(file): expected a JSON object", path: file)
        }
        if case .string(let t)? = o["timestamp"] {
            guard let ts = Timestamp.parse(t) else {
                throw NerqError(.parseError, "\(file): \"timestamp\" is not an RFC 3339 time: \"\(t)\"", path: file)
            }
            builder.timestamp = ts.seconds
        }
        if case .string(let c)? = o["crates_io_commit"] { builder.cratesIoCommit = c }
    }

    // MARK: folders

    /// `YYYY-MM-DD-HHMMSS`.
    static func isSnapshotName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard b.count == 17 else { return false }
        for (i, c) in b.enumerated() {
            if i == 4 || i == 7 || i == 10 {
                if c != 0x2D { return false }
            } else if c < 0x30 || c > 0x39 {
                return false
            }
        }
        return true
    }

    static func readFolder(_ path: String, into builder: DumpBuilder) throws(NerqError) {
        var root = path
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        if Files.kind(root + "/data") != .directory {
            // A folder holding dump folders: the newest.
            let snapshots = try Files.list(root).filter { isSnapshotName($0) && Files.kind(root + "/" + $0 + "/data") == .directory }
            guard let newest = snapshots.last else {
                throw NerqError(.notFound, "\(path) is not a crates.io dump: no data/ folder and no YYYY-MM-DD-HHMMSS/data/ inside", path: path)
            }
            root = root + "/" + newest
        }
        let name = Files.lastComponent(root)
        builder.snapshot = isSnapshotName(name) ? name : nil
        let metadata = root + "/metadata.json"
        if Files.kind(metadata) == .file {
            try readMetadata(try Files.read(metadata, limit: 1 << 20), file: metadata, into: builder)
        }
        let files = try Files.list(root + "/data").filter { $0.hasSuffix(".csv") }
        let tables = files.map { String($0.dropLast(4)) }
        builder.expectDefaultVersions = tables.contains("default_versions")
        // Versions and default versions first, so dependencies can be filtered as they stream.
        let first = ["crates", "versions", "default_versions"]
        let ordered = first.filter { tables.contains($0) } + tables.filter { !first.contains($0) }
        for table in ordered {
            let file = root + "/data/" + table + ".csv"
            guard let reader = try builder.reader(for: table, file: "data/\(table).csv") else { continue }
            do throws(NerqError) {
                try Files.stream(file) { (chunk: UnsafeBufferPointer<UInt8>) throws(NerqError) in try reader.feed(chunk) }
                try builder.finished(reader)
            } catch {
                throw located(error, in: root)
            }
        }
    }

    /// Errors from a table carry the dump-relative file (`data/versions.csv:12`); the message
    /// also names the dump.
    static func located(_ error: NerqError, in dump: String) -> NerqError {
        var e = error
        if e.message.hasPrefix("data/") { e.message = "\(dump)/\(e.message)" }
        return e
    }

    // MARK: tarballs

    final class TarballConsumer: TarConsumer {
        let builder: DumpBuilder
        let tarball: String
        var reader: TableReader?
        var metadata: [UInt8]?
        var metadataName = ""
        var top: String?
        /// Files under another top-level folder than the first (skipped, and counted in the notes).
        var outside = 0

        init(builder: DumpBuilder, tarball: String) {
            self.builder = builder
            self.tarball = tarball
        }

        func tarEntryBegin(name: String, size: Int64, kind: TarEntryKind) throws(NerqError) {
            reader = nil
            metadata = nil
            guard kind == .file else { return }
            var parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if parts.first == "." { parts.removeFirst() }
            guard parts.count >= 2 else { return }
            if top == nil {
                top = parts[0]
                builder.snapshot = RegistryIngest.isSnapshotName(parts[0]) ? parts[0] : nil
            }
            // One dump is one folder: files under any other top-level folder are not read.
            guard parts[0] == top else {
                outside += 1
                return
            }
            if parts.count == 2 && parts[1] == "metadata.json" {
                guard size <= 1 << 20 else { throw NerqError(.parseError, "\(tarball): \(name) is too large for metadata", path: tarball) }
                metadata = []
                metadataName = name
            } else if parts.count == 3 && parts[1] == "data" && parts[2].hasSuffix(".csv") {
                let table = String(parts[2].dropLast(4))
                reader = try builder.reader(for: table, file: "data/\(table).csv")
            }
        }

        func tarEntryData(_ bytes: UnsafeBufferPointer<UInt8>) throws(NerqError) {
            if let reader {
                try reader.feed(bytes)
            } else if metadata != nil {
                metadata?.append(contentsOf: bytes)
            }
        }

        func tarEntryEnd() throws(NerqError) {
            if let reader {
                try builder.finished(reader)
                self.reader = nil
            } else if let m = metadata {
                try RegistryIngest.readMetadata(m, file: "\(tarball):\(metadataName)", into: builder)
                metadata = nil
            }
        }
    }

    static func readTarball(_ path: String, into builder: DumpBuilder) throws(NerqError) {
        let consumer = TarballConsumer(builder: builder, tarball: path)
        do throws(NerqError) {
            try Archive.readTar(path, into: consumer)
            if consumer.outside > 0 {
                builder.notes.append("\(consumer.outside) file\(consumer.outside == 1 ? "" : "s") outside the dump's folder \(consumer.top ?? "") skipped")
            }
        } catch {
            throw located(error, in: "\(path):\(consumer.top ?? "")")
        }
    }
}
