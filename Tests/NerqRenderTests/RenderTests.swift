import NerqJSON
import Testing
@testable import NerqRender

/// Reading documents (errors name their paths), every format of every kind, values nerq does not
/// know yet, widths, determinism, and random documents that must never trap.
@Suite struct RenderTests {
    static let report: JSONValue = [
        "kind": "nerq.report", "version": 1,
        "package": ["ecosystem": "crates.io", "name": "nix", "version": "0.22.1"],
        "trust_score": 59.0, "grade": "C",
        "verdict": ["level": "caution", "label": "CAUTION", "summary": "nix@0.22.1 scores 59.0 (C), CAUTION."],
        "recommendation": "CAUTION", "verified": false,
        "dimensions": [
            ["name": "security", "score": 70.0, "weight": 0.25, "base": 100.0,
             "signals": [["signal": "advisory", "value": "RUSTSEC-2021-0119", "points": -30.0, "reason": "a vulnerability affects this version"]]],
            ["name": "popularity", "score": nil, "weight": 0.1, "base": nil, "signals": []],
        ],
        "coverage": 0.5, "confidence": "medium", "uncapped_score": 85.0,
        "caps": [["max": 59.0, "reason": "RUSTSEC-2021-0119 is a vulnerability", "id": "RUSTSEC-2021-0119"]],
        "findings": [["severity": "medium", "kind": "vulnerability", "id": "RUSTSEC-2021-0119",
                      "message": "RUSTSEC-2021-0119: Out-of-bounds write; upgrade to 0.22.2 or later",
                      "title": "Out-of-bounds write", "aliases": ["CVE-2021-45707"], "patched": [">= 0.23.0"],
                      "upgrade_to": "0.22.2", "url": "https://github.com/nix-rust/nix/issues/1541"]],
        "methodology": ["version": "1", "weights": ["security": 0.25, "popularity": 0.1]],
        "signals": ["now": "2026-11-21T00:00:00Z", "advisories": []],
    ]

    static func assessment(packages: [JSONValue]) -> JSONValue {
        ["kind": "nerq.assessment", "version": 1, "now": "2026-11-21T00:00:00Z",
         "project": ["lockfile": "/w/Cargo.lock", "workspace_root": "/w", "workspace_members": ["demo 0.1.0"]],
         "database": ["path": "/db", "advisories": 10, "newest": "2026-08-20", "error_count": 0, "errors": []],
         "summary": ["packages": .int(Int64(packages.count)), "by_verdict": ["caution": 1], "by_grade": ["C": 1],
                     "by_finding_kind": ["vulnerability": 1], "advisories": 1, "affected_packages": 1, "worst": []],
         "findings": [["id": "RUSTSEC-2021-0119", "kind": "vulnerability", "severity": "medium", "package": "nix",
                       "version": "0.22.1", "message": "m", "upgrade_to": "0.22.2",
                       "paths": [["demo 0.1.0", "mid 1.0.0", "nix 0.22.1"]]]],
         "packages": .array(packages)]
    }

    static let preflight: JSONValue = [
        "kind": "nerq.preflight", "version": 1, "target": "nix@0.22.1", "trust_score": 59.0, "trust_grade": "C",
        "recommendation": "CAUTION", "verdict": "caution", "risk_flags": ["vulnerability"], "known_cves": ["CVE-2021-45707"],
        "license": nil, "checked_at": "2026-11-21T00:00:00Z", "ttl": 86400,
    ]

    func render(_ doc: JSONValue, _ options: JSONValue? = nil) throws(NerqError) -> String {
        String(decoding: try Renderer.render(doc, options: options, version: "0.1.0"), as: UTF8.self)
    }

    func error(_ doc: JSONValue, _ options: JSONValue? = nil) -> NerqError? {
        do { _ = try Renderer.render(doc, options: options, version: "0.1.0") } catch { return error }
        return nil
    }

    @Test(arguments: RenderOptions.Format.allCases)
    func everyKindInEveryFormatTwiceTheSame(format: RenderOptions.Format) throws {
        for doc in [Self.report, Self.assessment(packages: [Self.report]), Self.preflight] {
            let options: JSONValue = ["format": .string(format.rawValue)]
            let a = try render(doc, options), b = try render(doc, options)
            #expect(a == b && a.hasSuffix("\n") && a.count > 40)
        }
    }

    @Test func humanReportPortsCargoNerq() throws {
        let out = try render(Self.report)
        #expect(out.hasPrefix("Is nix safe?\n\nnix 0.22.1: 59.0/100 (C)  CAUTION  recommendation CAUTION\n"))
        #expect(out.contains("  security       70.0  (weight 0.25, base 100)\n       -30.0  a vulnerability affects this version\n"))
        #expect(out.contains("  popularity        -  (weight 0.1)\n              no data\n"))
        #expect(out.contains("Caps  (uncapped score 85.0)\n  at most 59: RUSTSEC-2021-0119 is a vulnerability\n"))
        // An advisory in full: id, kind and severity, title, the fix, the link.
        #expect(out.contains("Findings\n  RUSTSEC-2021-0119  vulnerability, medium\n    Out-of-bounds write\n"
                             + "    fix: upgrade to 0.22.2 or later\n    https://rustsec.org/advisories/RUSTSEC-2021-0119.html\n\n"))
        #expect(out.contains("  RUSTSEC-2021-0119: https://rustsec.org/advisories/RUSTSEC-2021-0119.html (source: https://github.com/nix-rust/nix/issues/1541)\n"))
        let colour = try render(Self.report, ["color": true])
        #expect(colour.contains("\u{1b}[33mCAUTION\u{1b}[0m") && colour.contains("\u{1b}[1mIs nix safe?\u{1b}[0m"))
    }

    @Test func widthIsRespected() throws {
        var doc = Self.report.objectValue!
        doc.set("verdict", ["level": "caution", "summary": .string(String(repeating: "word ", count: 80))])
        for width in [20, 60, 80, 120] {
            let out = try render(.object(doc), ["width": .int(Int64(width)), "evidence": true])
            for line in out.split(separator: "\n") { #expect(TextWidth.of(String(line)) <= width, "\(width): \(line)") }
        }
    }

    @Test func errorsNameTheirPath() {
        #expect(error(.array([]))?.path == "$.document")
        #expect(error(["package": ["name": "x"]])?.code == .missingField)
        #expect(error(["kind": "nerq.signals"])?.code == .unsupportedVersion)
        #expect(error(["kind": "nerq.report", "package": ["name": "x"], "findings": [["evidence": [["line": "7"]]]]])?.path
                == "$.document.findings[0].evidence[0].line")
        #expect(error(["kind": "nerq.report", "package": ["name": "x"], "verdict": "safe"])?.path == "$.document.verdict")
        #expect(error(["kind": "nerq.report", "package": ["version": "1"]])?.path == "$.document.package")
        #expect(error(Self.report, ["format": "pdf"])?.path == "$.options.format")
        #expect(error(Self.report, ["width": 10])?.path == "$.options.width")
        #expect(error(Self.report, ["width": 2.5])?.code == .invalidType)
        #expect(error(Self.report, ["evidence": "yes"])?.path == "$.options.evidence")
        #expect(error(Self.report, ["all": true, "alll": true])?.path == "$.options.alll")
        #expect(error(Self.report, ["base": "rel"])?.path == "$.options.base")
        #expect(error(Self.report, ["width": 0]) == nil)  // 0: no limit
        #expect(error(Self.assessment(packages: []).objectValue.map { o -> JSONValue in
            var o = o
            o.set("summary", ["packages": .int(.max)])
            return .object(o)
        } ?? nil)?.path == "$.document.summary.packages")
    }

    /// Methodology v2's additions and anything newer: shown as they are, never an error.
    @Test func newLevelsKindsAndFlagsRenderGenerically() throws {
        var doc = Self.report.objectValue!
        doc.set("verdict", ["level": "unknown", "label": "UNKNOWN", "summary": "not enough evidence"])
        doc.set("recommendation", "UNKNOWN")
        doc.set("trust_score", nil)
        doc.set("advisories_checked", false)
        doc.set("findings", [["severity": "medium", "kind": "not_found", "message": "no such crate on crates.io"],
                             ["severity": "low", "kind": "advisories_not_checked", "message": "no advisory database"],
                             ["severity": "info", "kind": "brand_new_kind", "message": "something new", "extra": [1, 2]]])
        doc.set("a_key_from_the_future", ["nested": [true]])
        let human = try render(.object(doc))
        #expect(human.contains("UNKNOWN") && human.contains("advisories were not checked") && human.contains("no such crate on crates.io"))
        let sarif = try render(.object(doc), ["format": "sarif"])
        #expect(sarif.contains("\"nerq/not_found\"") && sarif.contains("\"nerq/advisories_not_checked\""))
        let html = try render(.object(doc), ["format": "html"])
        #expect(html.contains("Advisories were not checked") && html.contains("not found"))
        let md = try render(.object(doc), ["format": "markdown"])
        #expect(md.contains("Advisories were not checked"))
        var assessment = Self.assessment(packages: [.object(doc)]).objectValue!
        assessment.set("advisories_checked", false)
        #expect(try render(.object(assessment), ["format": "human", "all": true]).contains("advisories were not checked"))
    }

    @Test func flaggedAssessmentsCountWhatTheyLeftOut() throws {
        var doc = Self.assessment(packages: [Self.report]).objectValue!
        doc.set("summary", ["packages": 40, "by_verdict": ["caution": 1, "safe": 39], "advisories": 1, "affected_packages": 1])
        let out = try render(.object(doc))
        #expect(out.contains("... and 39 more packages (39 safe) with no finding above info"))
        #expect(try render(.object(doc), ["format": "html"]).contains("39 packages without a full report"))
    }

    @Test func projectMarkdownNamesTheIndirectPath() throws {
        let md = try render(Self.assessment(packages: [Self.report]), ["format": "markdown"])
        #expect(md.contains("via `demo 0.1.0 > mid 1.0.0 > nix 0.22.1`"))
    }

    /// A finding no member reaches (cargo metadata's resolve leaves out the packages of features
    /// not selected, which Cargo.lock still lists) says so in every view, never a bare blank.
    @Test func aFindingWithoutAPathSaysSo() throws {
        guard case .object(var doc) = Self.assessment(packages: [Self.report]) else { return }
        doc.set("findings", [["id": "RUSTSEC-2023-0052", "kind": "vulnerability", "severity": "high", "package": "webpki",
                              "version": "0.22.0", "message": "m", "paths": [], "paths_total": 0]])
        let said = "no workspace member reaches it in the dependency graph read"
        #expect(try render(.object(doc), ["format": "human", "width": 0]).contains("pulled in by: " + said))
        #expect(try render(.object(doc), ["format": "markdown"]).contains("Pulled in by: " + said))
        #expect(try render(.object(doc), ["format": "html"]).contains("<span class=\"na\">" + said + "</span>"))
        // A finding whose paths are only unknown (no paths_total) stays as it was.
        doc.set("findings", [["id": "RUSTSEC-2023-0052", "kind": "vulnerability", "package": "webpki", "version": "0.22.0", "message": "m"]])
        #expect(!(try render(.object(doc), ["format": "human"]).contains(said)))
    }

    /// An assessment with targets and references: three findings (not compiled, with the edge
    /// that keeps it out; referenced at a file and line; unknown, with the first possible site),
    /// and a gate that set one apart.
    static func reachAssessment() -> JSONValue {
        guard case .object(var doc) = assessment(packages: [report]) else { return .null }
        let notCompiled: JSONValue = [
            "id": "RUSTSEC-2024-0336", "kind": "vulnerability", "severity": "high", "package": "rustls", "version": "0.20.8",
            "message": "m", "paths": [["demo 0.1.0", "reqwest 0.11.13", "rustls 0.20.8"]],
            "compiled": ["status": "no", "summary": "not compiled for x86_64-unknown-linux-gnu",
                         "targets": [["target": "x86_64-unknown-linux-gnu", "status": "no", "reasons": ["feature"],
                                      "edges": ["reqwest 0.11.13 -> rustls 0.20.8 (optional, feature \"rustls\" not enabled)"]]]],
            "referenced": ["status": "unknown", "functions": ["rustls::ConnectionCommon::complete_io"], "evidence": [], "reasons": [],
                           "possible": [["crate": "tokio-rustls 0.23.4", "file": "/usr/share/cargo/registry/tokio-rustls-0.23.4/src/common/mod.rs",
                                         "line": 94, "code": "self.session.read_tls(&mut reader)", "reaches": "x",
                                         "why": "the receiver's type is not decided here"]],
                           "searched": ["tokio-rustls 0.23.4"]],
            "gates": false, "gates_note": "not compiled for the requested targets (gate scope \"compiled\")",
        ]
        let referenced: JSONValue = [
            "id": "RUSTSEC-2023-0018", "kind": "vulnerability", "severity": "medium", "package": "remove_dir_all", "version": "0.7.0",
            "message": "m", "paths": [["demo 0.1.0", "tempfile 3.3.0", "remove_dir_all 0.7.0"]],
            "compiled": ["status": "yes", "summary": "compiled for x86_64-unknown-linux-gnu",
                         "targets": [["target": "x86_64-unknown-linux-gnu", "status": "yes", "build": "normal", "for": ["target"]]]],
            "referenced": ["status": "referenced", "functions": ["remove_dir_all::remove_dir_all"], "searched": ["tempfile 3.3.0"],
                           "evidence": [["crate": "tempfile 3.3.0", "file": "/usr/share/cargo/registry/tempfile-3.3.0/src/dir.rs", "line": 11,
                                         "code": "use remove_dir_all::remove_dir_all;", "reaches": "remove_dir_all::remove_dir_all"]]],
            "gates": true,
        ]
        let notReferenced: JSONValue = [
            "id": "RUSTSEC-2023-0023", "kind": "vulnerability", "severity": "medium", "package": "openssl", "version": "0.10.45",
            "message": "m", "paths": [["demo 0.1.0", "native-tls 0.2.11", "openssl 0.10.45"]],
            "compiled": ["status": "yes", "summary": "compiled for x86_64-unknown-linux-gnu",
                         "targets": [["target": "x86_64-unknown-linux-gnu", "status": "yes", "build": "test", "for": ["target"]]]],
            "referenced": ["status": "not referenced", "functions": ["openssl::x509::extension::SubjectAlternativeName::new"],
                           "evidence": [], "searched": ["native-tls 0.2.11"]],
            "gates": true,
        ]
        doc.set("findings", [notCompiled, referenced, notReferenced])
        doc.set("gate", ["passed": false, "exit_code": 1, "deny": [["kind": "vulnerability", "source": "default"]],
                         "scope": ["scope": "compiled", "source": "default"], "failures": [], "message": "2 vulnerability findings",
                         "set_apart": [["id": "RUSTSEC-2024-0336", "kind": "vulnerability", "package": "rustls", "version": "0.20.8"]]])
        return .object(doc)
    }

    /// Compiled (yes/no/unknown with the reason) and referenced (file:line / not / unknown) are in
    /// every format, worded the same.
    @Test func compiledAndReferencedInEveryFormat() throws {
        let doc = Self.reachAssessment()
        let human = try render(doc, ["format": "human", "width": 0])
        for line in ["compiled: no — not compiled for x86_64-unknown-linux-gnu: reqwest 0.11.13 -> rustls 0.20.8 (optional, feature \"rustls\" not enabled)",
                     "referenced: unknown — possible site tokio-rustls-0.23.4/src/common/mod.rs:94 (the receiver's type is not decided here)",
                     "not counted by the deny gate: not compiled for the requested targets (gate scope \"compiled\")",
                     "compiled: yes — compiled for x86_64-unknown-linux-gnu",
                     "referenced: yes — tempfile-3.3.0/src/dir.rs:11",
                     "compiled: yes — compiled for x86_64-unknown-linux-gnu: in test builds only (dev-dependencies)",
                     "referenced: no — searched native-tls 0.2.11",
                     "1 finding of a denied kind not counted (gate scope \"compiled\": not compiled for the requested targets)"] {
            #expect(human.contains(line), "human: \(line)")
        }
        let md = try render(doc, ["format": "markdown"])
        #expect(md.contains("- referenced: yes — tempfile-3.3.0/src/dir.rs:11"))
        #expect(md.contains("- referenced: no — searched native-tls 0.2.11"))
        #expect(md.contains("- compiled: no — not compiled for x86\\_64-unknown-linux-gnu"))
        let html = try render(doc, ["format": "html"])
        #expect(html.contains("<th>Compiled, referenced</th>"))
        #expect(html.contains("referenced: yes — tempfile-3.3.0/src/dir.rs:11"))
        #expect(html.contains("compiled: no — not compiled for x86_64-unknown-linux-gnu: reqwest 0.11.13 -&gt; rustls 0.20.8"))
        let sarif = try JSONParser.parse(try render(doc, ["format": "sarif"]))
        guard case .array(let runs)? = sarif.objectValue?["runs"], case .object(let run)? = runs.first,
              case .array(let results)? = run["results"] else {
            Issue.record("no SARIF results")
            return
        }
        let props = results.compactMap { r -> JSONObject? in
            guard case .object(let o) = r, case .object(let p)? = o["properties"] else { return nil }
            return p
        }
        #expect(props.map { $0["compiled"] } == [.string("no"), .string("yes"), .string("yes")])
        #expect(props.map { $0["referenced"] } == [.string("unknown"), .string("referenced"), .string("not referenced")])
        #expect(props[1]["referenced_at"] == .string("tempfile-3.3.0/src/dir.rs:11"))
        #expect(props[0]["gates"] == .bool(false))
        if case .object(let first) = results[0], case .object(let message)? = first["message"], case .string(let text)? = message["text"] {
            #expect(text.contains("compiled: no"))
        } else {
            Issue.record("no SARIF message")
        }
        #expect(try JSONParser.parse(try render(doc, ["format": "json"])) == doc)
    }

    @Test func sarifLocatesCargoLock() throws {
        var report = Self.report.objectValue!
        report.set("lockfile_line", 12)
        let sarif = try JSONParser.parse(try render(Self.assessment(packages: [.object(report)]), ["format": "sarif"]))
        let text = JSONText.string(sarif)
        #expect(text.contains("\"uri\":\"Cargo.lock\",\"uriBaseId\":\"SRCROOT\"") && text.contains("\"startLine\":12"))
        #expect(text.contains("\"uri\":\"file:///w/\""))
        let elsewhere = try render(Self.assessment(packages: [.object(report)]), ["format": "sarif", "base": "/other"])
        #expect(elsewhere.contains("\"uri\": \"file:///w/Cargo.lock\""))
    }

    @Test func jsonIsTheSameDocument() throws {
        for doc in [Self.report, Self.assessment(packages: [Self.report]), Self.preflight] {
            #expect(try JSONParser.parse(try render(doc, ["format": "json"])) == doc)
        }
        var odd = Self.report.objectValue!
        odd.set("grade", "\u{202e}\u{200b}\u{1f}##[x]")
        let out = try render(.object(odd), ["format": "json"])
        #expect(out.contains("\\u202e\\u200b\\u001f##\\u005bx]"))
        #expect(try JSONParser.parse(out) == .object(odd))
    }

    /// Inputs shaped to make a quadratic step show (every such step was made linear): a 1 MB word
    /// wrapped at 40 columns, 2 MB of "::" in one value, 20,000 distinct finding kinds,
    /// capabilities and evidence kinds, 4,000 verdict levels. No time is asserted: a quadratic
    /// renderer would take hours here, a linear one seconds.
    @Test func adversarialSizesStayLinear() throws {
        var doc = Self.report.objectValue!
        doc.set("verdict", ["level": "caution", "summary": .string(String(repeating: "w", count: 1 << 20))])
        doc.set("grade", .string(String(repeating: ":", count: 2 << 20)))
        let kinds = (0..<20_000).map { "kind\($0)" }
        doc.set("findings", .array(kinds.map { ["kind": .string($0), "severity": "medium", "id": .string("ID-\($0)"), "message": "m"] }))
        var evidence = JSONObject()
        for k in kinds { evidence.append(k, [["file": "a.rs", "line": 1]]) }
        doc.set("signals", ["source": ["capabilities": .strings(kinds), "evidence": .object(evidence)]])
        for format in RenderOptions.Format.allCases {
            let out = try render(.object(doc), ["format": .string(format.rawValue), "width": 40, "evidence": true])
            #expect(out.count > 1 << 20)
        }
        var packages: [JSONValue] = []
        var byVerdict = JSONObject()
        for i in 0..<4_000 {
            var r = Self.report.objectValue!
            r.set("package", ["name": .string("p\(i)"), "version": "1.0.0"])
            r.set("verdict", ["level": .string("level\(i)")])
            packages.append(.object(r))
            byVerdict.append("level\(i)", 1)
        }
        var assessment = Self.assessment(packages: packages).objectValue!
        assessment.set("summary", ["packages": 8_000, "by_verdict": .object(byVerdict)])
        for format in RenderOptions.Format.allCases {
            #expect(try render(.object(assessment), ["format": .string(format.rawValue)]).count > 1000)
        }
    }

    /// Random values at every key of real documents: each render either works or throws
    /// NerqError — a trap would end this test process.
    @Test func randomDocumentsNeverTrap() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 33
        }
        func randomValue(_ depth: Int) -> JSONValue {
            switch next() % (depth > 2 ? 6 : 8) {
            case 0: return .null
            case 1: return .bool(next() % 2 == 0)
            case 2: return .int(Int64(bitPattern: next() &* 0x1_0000_0001) >> Int64(next() % 60))
            case 3: return .double(Double(Int64(next() % 20000) - 10000) / 7)
            case 4: return .string(["", "x", "safe", "\u{1b}[2J", "::set-output", "##[", "漢字", String(repeating: "w", count: 300)][Int(next() % 8)])
            case 5: return [.double(1e300), .double(-1e300), .double(-0.0), .int(.max), .int(.min), .int(-1)][Int(next() % 6)]
            case 6: return .array((0..<Int(next() % 3)).map { _ in randomValue(depth + 1) })
            default:
                var o = JSONObject()
                for k in ["name", "level", "score", "signals", "evidence", "file", "line", "packages"].prefix(Int(next() % 4)) {
                    o.set(k, randomValue(depth + 1))
                }
                return .object(o)
            }
        }
        func mutate(_ v: JSONValue, _ depth: Int) -> JSONValue {
            if next() % 9 == 0 { return randomValue(depth) }
            switch v {
            case .object(let o):
                var out = JSONObject()
                for e in o.entries { out.append(e.key, mutate(e.value, depth + 1)) }
                return .object(out)
            case .array(let items): return .array(items.map { mutate($0, depth + 1) })
            default: return v
            }
        }
        var rendered = 0, refused = 0
        for i in 0..<300 {
            let base = [Self.report, Self.assessment(packages: [Self.report, Self.report]), Self.preflight][i % 3]
            var doc = mutate(base, 0)
            if case .object(var o) = doc { o.set("kind", base.objectValue?["kind"] ?? .null); doc = .object(o) }
            for format in RenderOptions.Format.allCases {
                do {
                    _ = try Renderer.render(doc, options: ["format": .string(format.rawValue), "width": 40, "evidence": true], version: "0")
                    rendered += 1
                } catch {
                    #expect(error.code != .internalError && error.path?.hasPrefix("$.document") == true, "\(error)")
                    refused += 1
                }
            }
        }
        #expect(rendered > 0 && refused > 0)
    }
}
