import Testing
import NerqCore
import NerqJSON
@testable import NerqConfig

/// The configuration files users already have, read as their tools read them: what each key means
/// (ignores with their lines, reporting scopes, the kinds each tool fails on, notes for keys
/// without effect) and errors that name the file and the line.
@Suite struct AuditTomlTests {
    func read(_ text: String, name: String = ".cargo/audit.toml") throws -> ProjectConfig {
        var c = ProjectConfig()
        try ProjectConfig.read(text: text, name: name, format: .cargoAudit, into: &c)
        return c
    }

    @Test func everyKeyOfCargoAudit() throws {
        let c = try read("""
            [advisories]
            ignore = [
                "RUSTSEC-2026-0009",
                "CVE-2024-58266",
            ]
            informational_warnings = ["unmaintained"]
            severity_threshold = "medium"

            [output]
            deny = ["unsound"]
            format = "json"
            quiet = true
            show_tree = false

            [target]
            os = ["linux", "macos"]
            arch = "x86_64"

            [yanked]
            enabled = false
            update_index = false

            [database]
            path = "/somewhere"
            stale = true
            """)
        #expect(c.ignores.map(\.id) == ["RUSTSEC-2026-0009", "CVE-2024-58266"])
        // Each element on its own line is placed on that line.
        #expect(c.ignores.map(\.source) == [".cargo/audit.toml:3", ".cargo/audit.toml:4"])
        #expect(c.ignores.allSatisfy { $0.reason == nil && $0.expires == nil })
        let r = try #require(c.reporting.first)
        #expect(r.scope(of: "unmaintained") == .all)
        // deny = ["unsound"] shows unsound although informational_warnings leaves it out (cargo-audit).
        #expect(r.scope(of: "unsound") == .all)
        #expect(r.scope(of: "notice") == .none)
        #expect(r.scope(of: "yanked") == .none)
        #expect(r.severityThreshold == .medium)
        #expect(c.deny.map(\.kind) == ["vulnerability", "unsound"])
        #expect(c.output.format == "json" && c.output.quiet == true && c.output.showTree == false)
        #expect(c.targetOS == ["linux", "macos"] && c.targetArch == ["x86_64"])
        let notes = try #require(c.files.first).notes
        #expect(notes.contains { $0.hasPrefix("[database]: no effect") })
        #expect(notes.contains { $0.hasPrefix("[yanked] update_index: no effect") })
    }

    @Test func warningsAreUnmaintainedUnsoundAndYankedNeverNotice() throws {
        let c = try read("[output]\nquiet = false\ndeny = [\"warnings\"]\n")
        #expect(c.deny.map(\.kind) == ["vulnerability", "unmaintained", "unsound", "yanked"])
        // ... and every informational kind is shown, notice included (cargo-audit's config.rs).
        #expect(c.reporting.first?.scope(of: "notice") == .all)
    }

    @Test func emptyFileMeansCargoAuditDefaults() throws {
        let c = try read("")
        #expect(c.deny.map(\.kind) == ["vulnerability"])
        let r = try #require(c.reporting.first)
        #expect(["unmaintained", "unsound", "notice", "yanked"].allSatisfy { r.scope(of: $0) == .all })
    }

    @Test func quirksOfCargoAuditAreNotedNotRefused() throws {
        let c = try read("[output]\ndeny = []\n[database]\npath = \"x\"\n")
        let notes = c.files.first?.notes ?? []
        #expect(notes.contains { $0.contains("refuses the file (\"missing field `quiet`\")") })
        #expect(notes.contains { $0.contains("missing field `stale`") })
    }

    @Test(arguments: [
        ("[advisories]\nignored = []\n", "unknown_key", ".cargo/audit.toml:2", "unknown key `advisories.ignored`"),
        ("[advisory]\n", "unknown_key", ".cargo/audit.toml:1", "unknown key `advisory`"),
        ("[advisories]\nignore = [\"RUSTSEC-20xx-0001\"]\n", "invalid_value", ".cargo/audit.toml:2", "malformed year in advisory ID: RUSTSEC-20xx-0001"),
        ("[advisories]\nignore = [\"RUSTSEC-9999-0001\"]\n", "invalid_value", ".cargo/audit.toml:2", "out-of-range year"),
        ("[advisories]\nignore = [\"CVE-2024\"]\n", "invalid_value", ".cargo/audit.toml:2", "incomplete advisory ID"),
        ("[advisories]\nignore = [7]\n", "invalid_type", ".cargo/audit.toml:2", "`advisories.ignore[0]` must be a string"),
        ("[output]\ndeny = [\"vulnerability\"]\nquiet = true\n", "invalid_value", ".cargo/audit.toml:2", "\"vulnerability\" is not one of"),
        ("[advisories]\nseverity_threshold = \"severe\"\n", "invalid_value", ".cargo/audit.toml:2", "must be one of"),
        ("[yanked]\nenabled = \"no\"\n", "invalid_type", ".cargo/audit.toml:2", "must be true or false, found string"),
        ("[advisories\n", "parse_error", ".cargo/audit.toml:1:", "cargo"),
    ])
    func errorsNameTheFileAndLine(_ text: String, _ code: String, _ at: String, _ needle: String) throws {
        do {
            _ = try read(text)
            Issue.record("accepted \(text)")
        } catch let error as NerqError {
            #expect(error.code.rawValue == code, "\(error)")
            #expect(error.path?.hasPrefix(at) == true, "\(error)")
            if needle != "cargo" { #expect(error.message.contains(needle), "\(error.message)") }
            #expect(error.message.hasPrefix(".cargo/audit.toml:"))
        }
    }

    @Test func otherIdentifiersAreTakenAsWritten() throws {
        // cargo-audit's Id: only RUSTSEC, CVE and TALOS ids are checked; GHSA and others pass.
        let c = try read("[advisories]\nignore = [\"GHSA-g98v-hv3f-hcfr\", \"foo-bar\", \"rustsec-2026-0009\"]\n")
        #expect(c.ignores.map(\.id) == ["GHSA-g98v-hv3f-hcfr", "foo-bar", "rustsec-2026-0009"])
    }
}

@Suite struct DenyTomlTests {
    func read(_ text: String) throws(NerqError) -> ProjectConfig {
        var c = ProjectConfig()
        try ProjectConfig.read(text: text, name: "deny.toml", format: .cargoDeny, into: &c)
        return c
    }

    @Test func ignoresInBothFormsAndCrateSpecsNoted() throws {
        let c = try read("""
            [bans]
            multiple-versions = "deny"

            [advisories]
            ignore = [
                "RUSTSEC-2026-0009",
                { id = "RUSTSEC-2024-0375", reason = "atty stays until the CLI rewrite" },
                "rustsec-2026-0007",
                { crate = "time@0.3.9", reason = "pinned" },
            ]
            unused-ignored-advisory = "deny"
            db-path = "~/.cargo/advisory-dbs"
            """)
        #expect(c.ignores.map(\.id) == ["RUSTSEC-2026-0009", "RUSTSEC-2024-0375"])
        #expect(c.ignores.map(\.reason) == [nil, "atty stays until the CLI rewrite"])
        #expect(c.ignores.map(\.source) == ["deny.toml:6", "deny.toml:7"])
        let notes = c.files.first?.notes ?? []
        // A lower-case id is a crate name to cargo-deny (a yanked-crate ignore), as is a crate table.
        #expect(notes.contains { $0.hasPrefix("ignore \"rustsec-2026-0007\" (deny.toml:8): a yanked-crate ignore") })
        #expect(notes.contains { $0.hasPrefix("ignore { crate = \"time@0.3.9\" } (deny.toml:9)") })
        #expect(notes.contains { $0 == "advisories.db-path: no effect in nerq" })
        #expect(c.unusedIgnores?.level == .deny)
    }

    @Test func cargoDenyDefaultsAndWhatItFailsOn() throws {
        let c = try read("[advisories]\n")
        let r = try #require(c.reporting.first)
        #expect(r.scope(of: "unmaintained") == .all)
        #expect(r.scope(of: "unsound") == .workspace)
        #expect(r.scope(of: "yanked") == .all)
        #expect(c.deny.map(\.kind) == ["vulnerability", "notice", "unmaintained", "unsound"])
        let none = try read("[advisories]\nunmaintained = \"none\"\nunsound = \"transitive\"\nyanked = \"deny\"\n")
        #expect(none.deny.map(\.kind) == ["vulnerability", "notice", "unsound", "yanked"])
        #expect(none.reporting.first?.scope(of: "unmaintained") == Reporting.Scope.none)
        #expect(none.reporting.first?.scope(of: "unsound") == .transitive)
    }

    @Test(arguments: [
        ("[advisories]\nvulnerability = \"deny\"\n", "has been removed from cargo-deny", "deny.toml:2"),
        ("[advisories]\nunmaintained = \"deny\"\n", "must be one of \"all\", \"workspace\", \"transitive\", \"none\"", "deny.toml:2"),
        ("[advisories]\nignore = [{ id = \"RUSTSEC-2026-0009\", expires = 2027-01-01 }]\n", "unknown key `advisories.ignore[0].expires`", "deny.toml:2"),
        ("[advisories]\nignore = [{ reason = \"?\" }]\n", "needs `id` (an advisory) or `crate`", "deny.toml:2"),
        ("[advisories]\nbogus = 1\n", "unknown key `advisories.bogus`", "deny.toml:2"),
    ])
    func errorsNameTheFileAndLine(_ text: String, _ needle: String, _ at: String) throws {
        expectError(needle: needle, at: at) { () throws(NerqError) in _ = try read(text) }
    }

    @Test func aFileWithoutAdvisoriesUsesTheDefaults() throws {
        let c = try read("[licenses]\nallow = [\"MIT\"]\n")
        #expect(c.files.map(\.format) == [.cargoDeny])
        #expect(c.reporting.first?.scope(of: "unsound") == .workspace)
    }
}

@Suite struct NerqTomlTests {
    func read(_ text: String, format: ConfigFormat = .nerq, name: String = "nerq.toml") throws(NerqError) -> ProjectConfig {
        var c = ProjectConfig()
        try ProjectConfig.read(text: text, name: name, format: format, into: &c)
        return c
    }

    @Test func ignoresWithReasonAndExpiryGatesAndPolicy() throws {
        let c = try read("""
            [[ignore]]
            id = "RUSTSEC-2026-0009"
            reason = "we never parse untrusted dates"
            expires = 2027-01-31

            [[ignore]]
            id = "CVE-2024-58266"
            expires = "2026-12-15T12:00:00Z"

            [gates]
            deny = ["vulnerability", "warnings"]
            allow = ["unmaintained"]
            fail_under = 45.5
            unused_ignores = "deny"
            scope = "referenced"

            [policy]
            weights = { security = 0.6, maintenance = 0.2 }
            thresholds = { safe = 75 }
            """)
        #expect(c.ignores.map(\.id) == ["RUSTSEC-2026-0009", "CVE-2024-58266"])
        #expect(c.ignores[0].reason == "we never parse untrusted dates")
        #expect(c.ignores[0].expires?.description == "2027-01-31T00:00:00Z")
        #expect(c.ignores[1].expires?.description == "2026-12-15T12:00:00Z")
        #expect(c.ignores.map(\.source) == ["nerq.toml:2", "nerq.toml:7"])
        #expect(c.baseDeny?.kinds == ["vulnerability", "unmaintained", "unsound", "yanked"])
        #expect(c.allow.map(\.kind) == ["unmaintained"])
        #expect(c.failUnder?.score == 45.5)
        #expect(c.unusedIgnores?.level == .deny)
        #expect(c.gateScope?.scope == .referenced && c.gateScope?.source == "nerq.toml:15")
        let policy = try Policy.read(JSONReader(try #require(c.policy).json))
        #expect(policy.weight(.security) == 0.6 && policy.thresholds.safe == 75)
        // nerq's own file says nothing about what is reported.
        #expect(c.reporting.isEmpty)
    }

    @Test func workspaceMetadataIsTheSameTable() throws {
        let manifest = """
            [workspace]
            members = ["a"]

            [workspace.metadata.nerq]
            ignore = [{ id = "RUSTSEC-2026-0009", reason = "tracked in #12", expires = 2027-01-01 }]

            [workspace.metadata.nerq.gates]
            fail_under = 50
            """
        let c = try read(manifest, format: .cargoManifest, name: "Cargo.toml")
        #expect(c.ignores.first?.source == "Cargo.toml:5")
        #expect(c.failUnder?.score == 50)
        #expect(c.files.map(\.format) == [.cargoManifest])
        let none = try read("[package]\nname = \"x\"\nversion = \"0.1.0\"\n", format: .cargoManifest, name: "Cargo.toml")
        #expect(none.files.isEmpty)
        let package = try read("[package]\nname = \"x\"\n[package.metadata.nerq.gates]\nfail_under = 10\n",
                               format: .cargoManifest, name: "Cargo.toml")
        #expect(package.failUnder?.score == 10)
    }

    /// Two files that narrow the deny gate differently: the broader scope (more findings count) wins,
    /// as the stricter unused_ignores level does.
    @Test func theBroaderGateScopeWins() throws {
        var c = ProjectConfig()
        try ProjectConfig.read(text: "[gates]\nscope = \"referenced\"\n", name: "nerq.toml", format: .nerq, into: &c)
        try ProjectConfig.read(text: "[workspace.metadata.nerq.gates]\nscope = \"compiled\"\n", name: "Cargo.toml", format: .cargoManifest, into: &c)
        #expect(c.gateScope?.scope == .compiled && c.gateScope?.source == "Cargo.toml:2")
        try ProjectConfig.read(text: "[gates]\nscope = \"referenced\"\n", name: "other.toml", format: .nerq, into: &c)
        #expect(c.gateScope?.scope == .compiled)
    }

    @Test(arguments: [
        ("[gates]\ndeny = [\"vulns\"]\n", "\"vulns\" is not a finding kind", "nerq.toml:2"),
        ("[gates]\nfail_under = 101\n", "must be from 0 to 100, found 101", "nerq.toml:2"),
        ("[gates]\nscope = \"called\"\n", "must be one of \"all\", \"compiled\", \"referenced\"", "nerq.toml:2"),
        ("[[ignore]]\nreason = \"x\"\n", "needs `id`", "nerq.toml:1"),
        ("[[ignore]]\nid = \"RUSTSEC-2026-0009\"\nexpires = \"soon\"\n", "must be a date (2027-01-31)", "nerq.toml:3"),
        ("[[ignore]]\nid = \"RUSTSEC-2026-0009\"\nuntil = 2027-01-01\n", "unknown key `ignore[0].until`", "nerq.toml:3"),
        ("[policy]\n\n[policy.weights]\nsecurity = -1\n", "`policy`:", "nerq.toml:4"),
        ("[policy]\nthresholds = { safe = 40, caution = 55 }\n", "safe >= caution >= warning", "nerq.toml:2"),
        ("[report]\n", "unknown key `report`", "nerq.toml:1"),
    ])
    func errorsNameTheFileAndLine(_ text: String, _ needle: String, _ at: String) throws {
        expectError(needle: needle, at: at) { () throws(NerqError) in _ = try read(text) }
    }

    @Test func bothMetadataTablesAreAnError() throws {
        let text = "[workspace.metadata.nerq]\n[package]\nname = \"x\"\n[package.metadata.nerq]\n"
        #expect(throws: NerqError.self) { try read(text, format: .cargoManifest, name: "Cargo.toml") }
    }

    @Test func filesAreReadFromDiskWithTheirPathInMessages() throws {
        let dir = "/tmp/nerq-config-\(UInt64.random(in: 0...UInt64.max))"
        #expect(mkdir(dir) == 0)
        defer { _ = rmdir(dir) }
        let path = dir + "/nerq.toml"
        try write(path, "[gates]\nfail_under = \"high\"\n")
        defer { _ = unlink(path) }
        do {
            _ = try ProjectConfig.read([(path, .nerq)])
            Issue.record("accepted")
        } catch {
            #expect(error.path == path + ":2")
            #expect(error.code == .invalidType)
        }
        do {
            _ = try ProjectConfig.read([(dir + "/missing.toml", .nerq)])
            Issue.record("accepted a missing file")
        } catch {
            #expect(error.code == .notFound && error.message.hasPrefix(dir + "/missing.toml: "))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// `body` fails with an error whose message holds `needle` and whose path is `at` (file:line).
func expectError(needle: String, at: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(NerqError) -> Void) {
    do {
        try body()
        Issue.record("accepted", sourceLocation: sourceLocation)
    } catch {
        #expect(error.message.contains(needle), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.path == at, "\(error)", sourceLocation: sourceLocation)
    }
}

func mkdir(_ path: String) -> Int32 { Glibc.mkdir(path, 0o755) }

func write(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "w") else { throw NerqError(.ioError, "cannot write \(path)") }
    fputs(text, f)
    fclose(f)
}
