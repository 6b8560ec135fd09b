import Foundation
import NerqCore
@testable import NerqEngine
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing

/// Every result says where its data came from and how old it is, and warns past
/// `max_staleness_days`.
@Suite struct FreshnessTests {
    func assess(_ config: JSONValue, now: String) throws -> JSONObject? {
        let engine = try Engine(config: config, environment: Environment([("HOME", "/nonexistent")]))
        return try engine.assess(["lockfile_text": "version = 4\n\n[[package]]\nname = \"time\"\nversion = \"0.1.42\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
                                  "now": .string(now)]).objectValue
    }

    /// The shared snapshot was copied in by hand (no fetch record, no git): it is as old as its
    /// newest advisory, 2026-08-20, which on 2026-11-21 is 93 days: stale.
    @Test func snapshotIsAsOldAsItsNewestAdvisory() throws {
        guard let db = SharedData.path("advisory-db") else { return }
        let doc = try #require(try assess(["advisory_db": .string(db)], now: "2026-11-21T00:00:00Z"))
        let database = try #require(doc["database"]?.objectValue)
        #expect(database["newest"] == "2026-08-20" && database["origin"] == "local" && database["fetched_at"] == .null)
        #expect(database["age_days"] == 93 && database["stale"] == true && database["max_staleness_days"] == 90)
        guard case .array(let warnings)? = doc["warnings"], case .string(let w)? = warnings.first else {
            Issue.record("no warning")
            return
        }
        #expect(warnings.count == 1)
        #expect(w.contains("advisory_db at \(db) is 93 days old") && w.contains("newest entry 2026-08-20; never fetched by nerq"), "\(w)")
        #expect(w.contains("cargo nerq fetch"))
        guard case .array(let sources)? = doc["sources"], case .object(let s)? = sources.first else {
            Issue.record("no sources")
            return
        }
        #expect(s["source"] == "advisory_db" && s["path"] == .string(db) && s["age_days"] == 93)

        // Within the limit: no warning. A limit of its own: counted against that.
        let fresh = try #require(try assess(["advisory_db": .string(db)], now: "2026-09-01T00:00:00Z"))
        #expect(fresh["warnings"] == .array([]) && fresh["database"]?.objectValue?["stale"] == false)
        let strict = try #require(try assess(["advisory_db": .string(db), "max_staleness_days": 7], now: "2026-09-01T00:00:00Z"))
        #expect(strict["database"]?.objectValue?["stale"] == true && strict["database"]?.objectValue?["max_staleness_days"] == 7)
        // A `now` before the newest entry is age 0, not negative.
        let early = try #require(try assess(["advisory_db": .string(db)], now: "2026-01-01T00:00:00Z"))
        #expect(early["database"]?.objectValue?["age_days"] == 0)
    }

    @Test func scoreAndPreflightCarryItToo() throws {
        guard let db = SharedData.path("advisory-db") else { return }
        let engine = try Engine(config: ["advisory_db": .string(db), "now": "2026-11-21T00:00:00Z"],
                                environment: Environment([("HOME", "/nonexistent")]))
        let report = try #require(try engine.score(["package": ["name": "time", "version": "0.1.42"]]).objectValue)
        guard case .array(let warnings)? = report["warnings"], case .array(let sources)? = report["sources"] else {
            Issue.record("no freshness in the report")
            return
        }
        #expect(warnings.count == 1 && sources.count == 1)
        let preflight = try #require(try engine.preflight(["target": "time@0.1.42"]).objectValue)
        #expect(preflight["warnings"] == report["warnings"] && preflight["sources"] == report["sources"])
        // An engine without data says nothing of sources.
        let bare = try Engine().score(["package": ["name": "time", "version": "0.1.42"]])
        #expect(bare.objectValue?["sources"] == nil)
    }

    @Test func configurationIsChecked() {
        for (config, path) in [(["max_staleness_days": 0] as JSONValue, "$.max_staleness_days"), (["osv": 3], "$.osv"),
                               (["osv": ["/nonexistent/osv"]], "$.osv[0]"), (["cache_dir": ""], "$.cache_dir"),
                               (["index_url": "index"], "$.index_url")] {
            do {
                _ = try Engine(config: config, environment: Environment([("HOME", "/nonexistent")]))
                Issue.record("no error for \(config)")
            } catch {
                #expect(error.path == path, "\(config): \(error)")
            }
        }
    }
}
