// A thin, total wrapper over SQLite's C API (Debian's libsqlite3-dev through CSQLite).

import CSQLite
import NerqCore
import NerqJSON

final class SQLiteDB {
    private(set) var handle: OpaquePointer?
    let path: String

    /// `immutable`: the file never changes while open (a built store: rebuilds write a new file and
    /// rename it over the old one), so SQLite skips locking and change checks on every read.
    init(path: String, readOnly: Bool, immutable: Bool = false) throws(NerqError) {
        self.path = path
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let name = immutable ? "file:\(SQLiteDB.uriPath(path))?immutable=1" : path
        let rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX | (immutable ? SQLITE_OPEN_URI : 0), nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "error \(rc)"
            if let db { sqlite3_close_v2(db) }
            throw NerqError(rc == SQLITE_CANTOPEN ? .notFound : .ioError, "cannot open the registry store \(path): \(message)", path: path)
        }
        handle = db
    }

    deinit { close() }

    /// A path as the path of a `file:` URI (percent-escapes what a URI gives meaning to).
    static func uriPath(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x20, 0x7F...:
                let hex = Array("0123456789ABCDEF".utf8)
                out.append("%")
                out.append(Character(Unicode.Scalar(hex[Int(b >> 4)])))
                out.append(Character(Unicode.Scalar(hex[Int(b & 0xF)])))
            default:
                out.append(Character(Unicode.Scalar(b)))
            }
        }
        return out
    }

    func close() {
        if let h = handle { sqlite3_close_v2(h) }
        handle = nil
    }

    func error(_ what: String) -> NerqError {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "no database"
        return NerqError(.ioError, "registry store \(path): \(what): \(message)", path: path)
    }

    func exec(_ sql: String) throws(NerqError) {
        guard let h = handle else { throw error("closed") }
        let rc = sqlite3_exec(h, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error("\(sql.prefix(60))") }
    }

    func prepare(_ sql: String) throws(NerqError) -> SQLiteStatement {
        guard let h = handle else { throw error("closed") }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(h, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error("prepare \(sql.prefix(60))") }
        return SQLiteStatement(stmt, db: self)
    }
}

final class SQLiteStatement {
    private var stmt: OpaquePointer?
    private unowned let db: SQLiteDB

    init(_ stmt: OpaquePointer, db: SQLiteDB) {
        self.stmt = stmt
        self.db = db
    }

    deinit { sqlite3_finalize(stmt) }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    func bind(_ i: Int32, _ v: Int64?) {
        if let v { sqlite3_bind_int64(stmt, i, v) } else { sqlite3_bind_null(stmt, i) }
    }

    func bind(_ i: Int32, _ v: Double?) {
        if let v { sqlite3_bind_double(stmt, i, v) } else { sqlite3_bind_null(stmt, i) }
    }

    func bind(_ i: Int32, _ v: String?) {
        guard var s = v else {
            sqlite3_bind_null(stmt, i)
            return
        }
        s.withUTF8 { buf in bindText(i, buf) }
    }

    func bind(_ i: Int32, bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else {
            sqlite3_bind_null(stmt, i)
            return
        }
        bindText(i, bytes)
    }

    private func bindText(_ i: Int32, _ buf: UnsafeBufferPointer<UInt8>) {
        if let base = buf.baseAddress {
            base.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                _ = sqlite3_bind_text(stmt, i, p, Int32(clamping: buf.count), nerq_sqlite_transient())
            }
        } else {
            _ = sqlite3_bind_text(stmt, i, "", 0, nerq_sqlite_transient())
        }
    }

    /// Steps once: true when a row is available, false when done.
    func step() throws(NerqError) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw db.error("step")
    }

    /// Runs an insert, then resets it: false when it broke a constraint (a duplicate key).
    func insert() throws(NerqError) -> Bool {
        defer { sqlite3_reset(stmt) }
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_DONE || rc == SQLITE_ROW { return true }
        if rc & 0xFF == SQLITE_CONSTRAINT { return false }
        throw db.error("insert")
    }

    /// Runs a statement that returns no rows, then resets it.
    func run() throws(NerqError) {
        defer { sqlite3_reset(stmt) }
        _ = try step()
    }

    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(stmt, i) == SQLITE_NULL }

    func int(_ i: Int32) -> Int64? { isNull(i) ? nil : sqlite3_column_int64(stmt, i) }

    func double(_ i: Int32) -> Double? { isNull(i) ? nil : sqlite3_column_double(stmt, i) }

    func text(_ i: Int32) -> String? {
        guard !isNull(i), let p = sqlite3_column_text(stmt, i) else { return nil }
        let n = Int(sqlite3_column_bytes(stmt, i))
        return String(decoding: UnsafeBufferPointer(start: p, count: max(0, n)), as: UTF8.self)
    }
}
