import Testing
@testable import NerqCore
@testable import NerqJSON

/// How registry signals feed maintenance, community and transparency (methodology v1, §1).
@Suite struct RegistryMethodologyTests {
    /// A crate last released in 2019, on edition 2015, with 4 of 10 versions yanked.
    func quiet(latest: String = "1.4.0", dependents: Int64? = 120, owners: Int64 = 1, teams: Int64 = 0,
               _ build: (inout Signals) -> Void = { _ in }) -> Report {
        score(signals("lazy", version: "1.4.0") {
            $0.advisories = []
            $0.registry = RegistrySignals()
            $0.registry?.latestRelease = Timestamp.parse("2019-06-01")
            $0.registry?.latestVersion = latest
            $0.registry?.reverseDependencies = dependents
            $0.registry?.versions = 10
            $0.registry?.yankedVersions = 4
            $0.registry?.owners = owners
            $0.registry?.teamOwners = teams
            $0.manifest = ManifestSignals()
            $0.manifest?.edition = "2015"
            build(&$0)
        })
    }

    func maintenance(_ r: Report) -> DimensionScore { r.dimensions[1] }

    @Test func finishedCrateIsNotMarkedDownForBeingQuiet() {
        let r = quiet()
        let m = maintenance(r)
        // Only edition 2015's own −10: the quiet years do not count.
        #expect(m.score == 90)
        let activity = m.contributions.first { $0.signal == "last_activity" }
        #expect(activity?.points == 0)
        #expect(activity?.reason.contains("finished (stable 1.x, 120 dependent crates, no open advisory)") == true, "\(activity?.reason ?? "")")
        #expect(!r.findings.contains { $0.kind.rawValue == "stale" })
    }

    @Test func notFinishedWhenPreReleaseUnusedAdvisedOrOwnerless() {
        // 0.x: the same history is neglect.
        let pre = quiet(latest: "0.9.3")
        #expect((maintenance(pre).score ?? 100) < 90)
        #expect(pre.findings.contains { $0.kind.rawValue == "stale" })
        // A pre-release latest version is not stable either.
        #expect((maintenance(quiet(latest: "2.0.0-rc.1")).score ?? 100) < 90)
        // Nobody depends on it any more.
        #expect((maintenance(quiet(dependents: 0)).score ?? 100) < 90)
        #expect((maintenance(quiet(dependents: nil)).score ?? 100) < 90)
        // The percentile alone says it is depended upon.
        let byPercentile = quiet(dependents: nil) { $0.registry?.reverseDependenciesPercentile = 61.2 }
        #expect(maintenance(byPercentile).score == 90)
        #expect(maintenance(byPercentile).contributions.contains { $0.reason.contains("stable 1.x, depended upon") })
        // An open advisory.
        let advised = quiet { $0.advisories = [Advisory(id: "RUSTSEC-2099-0001", kind: .unsound)] }
        #expect(maintenance(advised).contributions.contains { $0.signal == "last_activity" && $0.points < 0 })
        // No owner left on the registry: a sign of neglect, and said so in community.
        let ownerless = quiet(owners: 0)
        let activity = maintenance(ownerless).contributions.first { $0.signal == "last_activity" }
        #expect((activity?.points ?? 0) < 0)
        #expect(activity?.reason.contains("no owner on the registry") == true)
        #expect(ownerless.dimensions[4].contributions.first?.reason == "no owner on the registry: nobody can publish a release")
        // A team owner counts as an owner.
        #expect(maintenance(quiet(owners: 0, teams: 1)).score == 90)
    }

    @Test func withoutRegistryLatestVersionTheScoredVersionDecides() {
        let r = quiet { $0.registry?.latestVersion = nil }
        #expect(maintenance(r).score == 90)  // scored version 1.4.0
    }

    @Test func activeCratesAreUnchanged() {
        let r = quiet(latest: "0.1.0") { $0.registry?.latestRelease = Timestamp.parse("2026-06-01") }
        #expect(maintenance(r).contributions.first { $0.signal == "last_activity" }?.reason == "active within the last year")
        #expect(maintenance(r).score == 90)
    }

    @Test func registryLinksCompleteTransparency() {
        let manifestOnly = score(signals {
            $0.manifest = ManifestSignals()
            $0.manifest?.license = "MIT"
        })
        let t0 = manifestOnly.dimensions[5]
        #expect(t0.score == 20)
        let withRegistry = score(signals {
            $0.manifest = ManifestSignals()
            $0.manifest?.license = "MIT"
            $0.registry = RegistrySignals()
            $0.registry?.repository = true
            $0.registry?.homepage = true
        })
        #expect(withRegistry.dimensions[5].score == 55)  // + repository 25 + documentation 10
        // Registry links alone do not make transparency scored (no data is not zero).
        let registryOnly = score(signals {
            $0.registry = RegistrySignals()
            $0.registry?.repository = true
        })
        #expect(registryOnly.dimensions[5].score == nil)
    }

    @Test func registryKeysReadBack() throws {
        let doc: JSONValue = ["package": ["name": "x", "version": "1.0.0"],
                              "registry": ["repository": true, "documentation": false, "homepage": true, "source": "crates.io database dump 2026-11-20-020004"]]
        let s = try SignalsReader.read(doc)
        #expect(s.ignoredKeys.isEmpty)
        #expect(s.registry?.repository == true && s.registry?.documentation == false && s.registry?.homepage == true)
        #expect(throws: NerqError.self) { try SignalsReader.read(["package": ["name": "x"], "registry": ["repository": "yes"]]) }
    }
}
