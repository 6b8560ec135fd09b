import Foundation
import NerqCore
import NerqJSON
import Testing
@testable import NerqScan

@Suite struct UnsafeCountingTests {
    static let adversarial = #"""
    //! Crate docs mention unsafe { } and unsafe fn x()
    // unsafe { line comment }
    /* unsafe { /* nested unsafe fn f() {} */ unsafe impl X for Y {} */
    /// doc: unsafe { }
    /** unsafe trait T {} */
    const S: &str = "unsafe { } unsafe fn g() {} \" unsafe {";
    const R: &str = r#"unsafe { "quoted" } unsafe impl"#;
    const RR: &str = r##"unsafe "# { "##;
    const B: &[u8] = b"unsafe {";
    const BR: &[u8] = br#"unsafe {"#;
    const CS: &core::ffi::CStr = c"unsafe {";
    const C: char = '{';
    const Q: char = '\'';
    fn r#unsafe() {}
    fn uses_raw() { r#unsafe(); }
    fn lifetimes<'unsafe_a>(x: &'unsafe_a str) -> &'unsafe_a str { x }
    type Callback = unsafe fn(i32) -> i32;
    type ExternCb = unsafe extern "C" fn(i32);
    #[unsafe(no_mangle)]
    pub extern "C" fn exported() {}

    macro_rules! make {
        (unsafe fn $name:ident) => {
            pub unsafe fn $name() {}
        };
        ($e:expr) => { unsafe { $e } };
        (unsafe { $($t:tt)* }) => {};
    }

    pub unsafe fn real_fn() {}
    unsafe extern "C" fn real_extern_fn() {}
    fn blocks() {
        unsafe { }
        let _x = unsafe { 1 };
    }
    unsafe impl Send for W {}
    unsafe trait Tr {}
    unsafe auto trait Au {}
    unsafe extern "C" { fn ext(); }
    struct W;
    """#

    @Test func adversarialUnsafeCounts() {
        let c = TempCrate("unsafe")
        c.manifest()
        c.write("src/lib.rs", Self.adversarial)
        c.write("tests/t.rs", "#[test] fn t() { unsafe { } }")          // test code: not counted
        c.write("examples/e.rs", "fn main() { unsafe { } }")            // example: not counted
        let r = c.scan()
        // transcriber `unsafe { $e }` + two real blocks
        #expect(r.unsafe_blocks == 3)
        // transcriber `pub unsafe fn $name` + real_fn + real_extern_fn (fn pointer types excluded)
        #expect(r.unsafe_fns == 3)
        #expect(r.unsafe_impls == 1)
        #expect(r.unsafe_traits == 2)
        #expect(r.unsafe_externs == 1)
        #expect(r.lex_error_count == 0)
        let blocks = r.evidence["unsafe_block"] ?? []
        #expect(blocks.map(\.line) == [26, 33, 34])
        #expect(blocks.first?.file == "src/lib.rs")
        #expect(blocks.first?.snippet == "($e:expr) => { unsafe { $e } };")
        #expect((r.evidence["unsafe_fn"] ?? []).map(\.matched) == ["unsafe fn $", "unsafe fn real_fn", "unsafe extern fn real_extern_fn"])
        #expect(r.capabilities == ["ffi"])  // the unsafe extern block is a foreign module
        #expect(r.test_fns == 1)
    }

    @Test func evidenceIsCappedButCountsAreFull() {
        let c = TempCrate("cap")
        c.manifest()
        c.write("src/lib.rs", (0..<50).map { "fn f\($0)() { unsafe { } }" }.joined(separator: "\n"))
        var o = ScanOptions()
        o.maxEvidence = 5
        let r = c.scan(o)
        #expect(r.unsafe_blocks == 50)
        #expect(r.evidence["unsafe_block"]?.count == 5)
        #expect(r.evidence["unsafe_block"]?.map(\.line) == [1, 2, 3, 4, 5])
        #expect(r.evidence_counts["unsafe_block"] == 50)
    }
}

@Suite struct CrateRootAttributeTests {
    func scanRoot(_ lib: String, extraFiles: [String: String] = [:], manifestExtra: String = "", rootName: String = "src/lib.rs") -> CrateScan {
        let c = TempCrate("attr")
        c.manifest(extra: manifestExtra)
        c.write(rootName, lib)
        for (k, v) in extraFiles { c.write(k, v) }
        return c.scan()
    }

    @Test func forbidForms() {
        #expect(scanRoot("#![forbid(unsafe_code)]\npub fn a() {}").forbids_unsafe)
        #expect(scanRoot("#![forbid(unsafe_code, missing_docs)]").forbids_unsafe)
        #expect(scanRoot("#![forbid(missing_docs, unsafe_code)]").forbids_unsafe)
        #expect(scanRoot("#![cfg_attr(not(test), forbid(unsafe_code))]").forbids_unsafe)
        // Only with feature "a": a build without it may hold unsafe code, so this does not forbid it
        // (v1 counted any cfg_attr; the validity study found x11rb's 56 unsafe items hidden that way).
        let conditional = scanRoot("#![cfg_attr(all(feature = \"a\", not(test)), deny(warnings), forbid(unsafe_code))]")
        #expect(!conditional.forbids_unsafe)
        #expect(conditional.evidence["forbid_unsafe_code"]?.first?.matched == "cfg_attr(..., forbid(unsafe_code))")
        #expect(scanRoot("//! docs\n#![no_std]\n#![ forbid ( unsafe_code ) ]").forbids_unsafe)
        let d = scanRoot("#![deny(unsafe_code)]")
        #expect(d.denies_unsafe && !d.forbids_unsafe)
        #expect(d.evidence["deny_unsafe_code"]?.first?.line == 1)
    }

    @Test func unsafeOpInUnsafeFn() {
        let d = scanRoot("#![deny(missing_docs, unsafe_op_in_unsafe_fn)]\npub fn a() {}")
        #expect(d.denies_unsafe_op_in_unsafe_fn && !d.denies_unsafe)
        #expect(d.evidence["deny_unsafe_op_in_unsafe_fn"]?.first?.line == 1)
        #expect(scanRoot("#![forbid(unsafe_op_in_unsafe_fn)]").denies_unsafe_op_in_unsafe_fn)
        #expect(scanRoot("#![cfg_attr(not(old), deny(unsafe_op_in_unsafe_fn))]").denies_unsafe_op_in_unsafe_fn)
        // A warning does not stop the build; a path (`clippy::x`) is another lint; below the root it is not the crate's.
        #expect(!scanRoot("#![warn(unsafe_op_in_unsafe_fn)]").denies_unsafe_op_in_unsafe_fn)
        #expect(!scanRoot("#![deny(clippy::unsafe_op_in_unsafe_fn)]").denies_unsafe_op_in_unsafe_fn)
        #expect(!scanRoot("mod m { #![deny(unsafe_op_in_unsafe_fn)] }").denies_unsafe_op_in_unsafe_fn)
        #expect(scanRoot("#![deny(unsafe_op_in_unsafe_fn)]").signals.deniesUnsafeOpInUnsafeFn == true)
    }

    @Test func notForbidding() {
        let r = scanRoot("""
        #![allow(unsafe_code)]
        // #![forbid(unsafe_code)]
        /* #![forbid(unsafe_code)] */
        const S: &str = "#![forbid(unsafe_code)]";
        #[forbid(unsafe_code)] fn outer_attr_only_on_fn() {}
        mod m { #![forbid(unsafe_code)] }
        #![forbid(clippy::unsafe_code)]
        """)
        #expect(!r.forbids_unsafe && !r.denies_unsafe)
        // only in a non-root file
        let r2 = scanRoot("mod other;", extraFiles: ["src/other.rs": "#![forbid(unsafe_code)]"])
        #expect(!r2.forbids_unsafe)
    }

    @Test func libPathAndMainRoot() {
        let r = scanRoot("pub fn a() {}", extraFiles: ["lib/mylib.rs": "#![forbid(unsafe_code)]"],
                         manifestExtra: "\n[lib]\npath = \"lib/mylib.rs\"\n")
        #expect(r.crate_root == "lib/mylib.rs")
        #expect(r.forbids_unsafe)
        let m = scanRoot("#![forbid(unsafe_code)]\nfn main() {}", rootName: "src/main.rs")
        #expect(m.crate_root == "src/main.rs" && m.forbids_unsafe)
    }
}

@Suite struct CapabilityTests {
    @Test func productCapabilities() {
        let c = TempCrate("caps")
        c.manifest()
        c.write("src/lib.rs", """
        use std::net::{self, TcpStream};
        use std::{fs::{self, OpenOptions}, process::Command};
        fn f() {
            let _ = fs::write("x", b"y");
            let _ = std::fs::File::create("z");
            let _ = OpenOptions::new().read(true).append(true).open("log");
            let _ = std::fs::File::open("r");
            let _ = Command::new("ls").status();
            let _ = std::env::var("HOME");
            let _ = env!("CARGO_PKG_NAME");
            let _ = option_env!("X");
        }
        extern "C" { fn abs(x: i32) -> i32; }
        #[link(name = "m")]
        extern {}
        extern crate reqwest;
        const S: &str = "std::process::Command::new TcpStream env::var";
        // fs::remove_file("commented out")
        #[cfg(test)]
        mod tests {
            use std::process::Command;
            #[test] fn t() { std::env::var("X").ok(); let _ = std::net::TcpListener::bind("127.0.0.1:0"); }
        }
        #[cfg(test)]
        mod helpers;
        """)
        c.write("src/helpers.rs", "fn h() { std::fs::remove_file(\"x\").ok(); let _ = std::net::UdpSocket::bind(\"x\"); }")
        let r = c.scan()
        #expect(r.capabilities == ["env", "ffi", "filesystem_write", "network", "process"])
        #expect((r.evidence["network"] ?? []).map(\.matched) == ["std::net::TcpStream", "reqwest"])
        #expect((r.evidence["filesystem_write"] ?? []).map(\.line) == [4, 5, 6])
        #expect((r.evidence["filesystem_write"] ?? []).map(\.matched) == ["fs::write", "std::fs::File::create", "OpenOptions::append(true)"])
        #expect((r.evidence["process"] ?? []).map(\.line) == [2, 8])
        #expect((r.evidence["env"] ?? []).map(\.matched) == ["std::env::var"])
        #expect((r.evidence["env_compile_time"] ?? []).map(\.matched) == ["env!", "option_env!"])
        #expect((r.evidence["ffi"] ?? []).map(\.line) == [13, 14, 15])
        #expect(r.test_fns == 1)
    }

    @Test func lookalikesAreNotCapabilities() {
        let c = TempCrate("lookalike")
        c.manifest()
        c.write("src/lib.rs", """
        use clap::Command;
        use std::net::Ipv4Addr;
        use std::io::Write;
        fn f(mut w: impl Write) {
            let _app = Command::new("app");     // clap's Command, not std::process
            let _ = env!("OUT_DIR");            // compile time
            w.write(b"x").ok();                 // io::Write, not fs::write
            let _ = std::fs::read("x");
            let _ = std::env::args();
            let r#unsafe = 1;
            let curl = 2; let _ = curl + r#unsafe;   // a variable named like a crate
        }
        pub extern "C" fn exported() {}          // an export, not an FFI import
        """)
        let r = c.scan()
        #expect(r.capabilities == [])
        #expect(r.evidence_counts["env_compile_time"] == 1)
    }

    @Test func buildScript() {
        let c = TempCrate("build")
        c.manifest()
        c.write("src/lib.rs", "pub fn a() {}")
        c.write("build.rs", """
        use std::env;
        use std::process::Command;
        fn main() {
            let out = env::var("OUT_DIR").unwrap();
            let _t = env::var("CARGO_CFG_TARGET_OS");
            let _h = env::var("MY_SECRET_TOKEN");
            Command::new("git").arg("rev-parse").status().unwrap();
            std::fs::write(format!("{}/gen.rs", out), "").unwrap();
        }
        """)
        let r = c.scan()
        #expect(r.build_script)
        #expect(r.capabilities == ["build_script_env", "build_script_process"])
        #expect(r.evidence_counts["build_script_env_cargo"] == 2)
        #expect((r.evidence["build_script_env"] ?? []).map(\.line) == [6])
        #expect(r.evidence_counts["build_script_filesystem_write"] == 1)
        #expect(!r.capabilities.contains("process"))  // build-script findings stay separate

        let c2 = TempCrate("build2")
        c2.manifest(extra: "build = \"tools/build/main.rs\"\n")
        c2.write("src/lib.rs", "pub fn a() {}")
        c2.write("tools/build/main.rs", "mod net; fn main() { std::fs::write(\"../../evil.txt\", \"\").unwrap(); }")
        c2.write("tools/build/net.rs", "pub fn get() { let _ = reqwest::blocking::get(\"https://example.invalid\"); }")
        let r2 = c2.scan()
        #expect(r2.build_script)
        #expect(r2.capabilities == ["build_script_network", "build_script_write_outside_out_dir"])

        let c3 = TempCrate("nobuild")
        c3.manifest(extra: "build = false\n")
        c3.write("src/lib.rs", "")
        c3.write("build.rs", "fn main() { std::process::Command::new(\"x\"); }")
        let r3 = c3.scan()
        #expect(!r3.build_script)
        #expect(r3.capabilities == ["process"])  // not a build script: plain product code
    }

    @Test func procMacroFlag() {
        let c = TempCrate("pm")
        c.manifest(extra: "\n[lib]\nproc-macro = true\n")
        c.write("src/lib.rs", "")
        #expect(c.scan().proc_macro)
        var o = ScanOptions()
        o.procMacro = false
        #expect(!c.scan(o).proc_macro)
        let d = TempCrate("notpm")
        d.manifest(extra: "\n[dependencies]\nproc-macro = true\n")
        d.write("src/lib.rs", "")
        #expect(!d.scan().proc_macro)
    }
}

@Suite struct DocAndLayoutTests {
    @Test func docCoverage() {
        let c = TempCrate("doc")
        c.manifest()
        c.write("src/lib.rs", """
        /// Documented.
        pub fn a() {}
        pub fn b() {}
        /// Doc
        #[inline]
        pub struct S;
        #[doc = "x"]
        pub enum E {}
        #[doc(hidden)]
        pub fn hidden() {}
        pub(crate) fn internal() {}
        pub use std::fmt;
        /// doc
        pub const unsafe fn c() {}
        pub const X: u8 = 1;
        pub mod m {}
        pub trait T {}
        pub type Ty = u8;
        pub static ST: u8 = 0;
        pub union U { a: u8 }
        pub struct F { pub field: u8 }
        /// doc for a
        // plain comment in between
        pub fn after_plain_comment() {}
        /// doc for private
        fn private() {}
        pub fn after_private() {}
        #[cfg_attr(docsrs, doc = "x")]
        pub fn cfg_doc() {}
        /** block doc */
        pub async fn block_doc() {}
        macro_rules! gen { () => { pub fn generated() {} } }
        """)
        let r = c.scan()
        #expect(r.pub_items == 16)
        #expect(r.documented_pub_items == 7)
        #expect(r.doc_coverage == 7.0 / 16.0)
        let empty = TempCrate("nodoc")
        empty.manifest()
        empty.write("src/lib.rs", "fn private() {}")
        #expect(empty.scan().doc_coverage == nil)
    }

    @Test func testsExamplesBenchesReadmeLicense() {
        let c = TempCrate("layout")
        c.manifest(license: "MIT OR Apache-2.0")
        c.write("src/lib.rs", """
        #[cfg(test)]
        mod t {
            #[test] fn z() {}
            #[async_std::test] async fn w() {}
        }
        """)
        c.write("tests/a.rs", "#[test] fn x() {}\n#[tokio::test(flavor = \"multi_thread\")] async fn y() {}")
        c.write("tests/common/mod.rs", "pub fn helper() {}")
        c.write("tests/multi/main.rs", "#[test]\nfn m() {}")
        c.write("examples/e.rs", "fn main() {}")
        c.write("examples/big/main.rs", "fn main() {}")
        c.write("benches/b.rs", "fn main() {}")
        c.write("README.md", "# hi")
        c.write("LICENSE-MIT", LicenseTexts.mit)
        c.write("LICENSE-APACHE", LicenseTexts.apache)
        let r = c.scan()
        #expect(r.tests == 2)
        #expect(r.examples == 2)
        #expect(r.benches == 1)
        #expect(r.test_fns == 5)
        #expect(r.has_readme)
        #expect(r.license_files == ["LICENSE-APACHE", "LICENSE-MIT"])
        #expect(r.licenses_detected == ["Apache-2.0", "MIT"])
        #expect(r.license_expression == "MIT OR Apache-2.0")
        #expect(r.license_matches == true)
        var o = ScanOptions()
        o.licenseExpression = "MIT AND BSD-3-Clause"
        let r2 = c.scan(o)
        #expect(r2.license_matches == false)
        #expect(r2.license_missing == ["BSD-3-Clause"])
        o.licenseExpression = "MIT/Apache-2.0"
        #expect(c.scan(o).license_matches == true)
        o.licenseExpression = "Apache-2.0 WITH LLVM-exception"
        #expect(c.scan(o).license_matches == true)
    }

    @Test func noLicenseFiles() {
        let c = TempCrate("nolicense")
        c.manifest()
        c.write("src/lib.rs", "")
        let r = c.scan()
        #expect(r.license_matches == nil)
        #expect(!r.has_readme)
        var o = ScanOptions()
        o.licenseExpression = "Unlicense OR MIT"
        let r2 = c.scan(o)
        #expect(r2.license_matches == false)
        #expect(r2.license_missing == ["MIT", "Unlicense"])
    }

    @Test func spdxParsing() {
        #expect(LicenseDetector.licenseIds(inExpression: "(MIT OR Apache-2.0) AND Unicode-DFS-2016") == ["Apache-2.0", "MIT", "Unicode-DFS-2016"])
        #expect(LicenseDetector.licenseIds(inExpression: "GPL-2.0-or-later WITH Classpath-exception-2.0") == ["GPL-2.0"])
        #expect(LicenseDetector.licenseIds(inExpression: "MIT/Apache-2.0") == ["Apache-2.0", "MIT"])
        #expect(LicenseDetector.licenseIds(inExpression: "") == [])
        #expect(LicenseDetector.detect(Array(LicenseTexts.unlicense.utf8)) == ["Unlicense"])
    }
}

@Suite struct RobustnessTests {
    @Test func skippedAndHostileFiles() throws {
        let c = TempCrate("hostile")
        c.manifest()
        c.write("src/lib.rs", "pub fn a() { unsafe { } }")
        c.write("src/binary.rs", bytes: Array("fn x() {}".utf8) + [0, 1, 2])
        var bad = Array("fn u() { let s = \"".utf8)
        bad += [0xFF, 0xFE, 0xC3, 0x28]
        bad += Array("\"; unsafe { } }\n".utf8)
        bad += [0xE2, 0x82]
        c.write("src/bad_utf8.rs", bytes: bad)
        c.write("src/unterminated.rs", "fn x() {}\nfn y() { let s = \"never closed\n unsafe { }")
        c.write("src/unterminated_comment.rs", "/* /* */\nunsafe { }")
        var deep = [UInt8]()
        for _ in 0..<1_000_000 { deep.append(contentsOf: [47, 42]) }
        c.write("src/deep.rs", bytes: deep)
        c.symlink("src/link_out.rs", to: "/etc/passwd")
        c.symlink("outside_dir", to: "/usr/share")
        c.symlink("src/link_in.rs", to: c.path("src/lib.rs"))
        c.symlink("src/dangling.rs", to: c.path("src/nope.rs"))
        c.symlink("src/loop", to: "..")
        c.symlink("README.md", to: "/etc/passwd")
        let r = c.scan()
        #expect(r.error == nil)
        #expect(r.skipped_files.binary == 1)
        #expect(r.skipped_files.symlink_outside == 3)
        #expect(r.skipped_files.unreadable == 1)
        #expect(r.files == 6)  // lib, link_in, bad_utf8, unterminated, unterminated_comment, deep
        #expect(r.unsafe_blocks == 3)  // lib.rs, its in-crate symlink, bad_utf8.rs
        #expect(!r.has_readme)  // the README points outside the crate
        #expect(r.lex_errors.contains(LexErrorEntry(file: "src/unterminated.rs", line: 2, kind: "unterminated_string")))
        #expect(r.lex_errors.contains(LexErrorEntry(file: "src/unterminated_comment.rs", line: 1, kind: "unterminated_block_comment")))
        #expect(r.lex_errors.contains(LexErrorEntry(file: "src/deep.rs", line: 1, kind: "unterminated_block_comment")))
        #expect(r.lex_error_count == 3)
    }

    /// A 100 MB source file: skipped as `huge` under the default 8 MB limit
    /// without being read; with the limit raised it is scanned in one pass.
    @Test func hundredMegabyteFile() throws {
        let c = TempCrate("huge")
        c.manifest()
        c.write("src/lib.rs", "pub fn a() {}")
        let p = c.path("src/huge.rs")
        _ = FileManager.default.createFile(atPath: p, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: p))
        // 1 MB chunk: comment padding plus one unsafe block per chunk
        var chunk = Array("fn f() { unsafe { } }\n".utf8)
        let pad = Array("// padding padding padding padding padding padding padding padding padding\n".utf8)
        while chunk.count + pad.count <= 1 << 20 { chunk += pad }
        for _ in 0..<100 { h.write(Data(chunk)) }
        try h.close()
        let size = (try FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0
        #expect(size > 100_000_000)

        // No timing assertions here (a shared machine makes them flaky): how the cost grows is
        // measured by bench/bench_scaling.py.
        var r = c.scan()
        #expect(r.skipped_files.huge == 1)
        #expect(r.files == 1)

        var o = ScanOptions()
        o.maxFileSize = 128 << 20
        r = c.scan(o)
        #expect(r.skipped_files.huge == 0)
        #expect(r.files == 2)
        #expect(r.unsafe_blocks == 100)
        #expect(r.lines_code == 101)
    }

    @Test func notADirectory() {
        let r = CrateScanner.scan(directory: "/nonexistent/nerq/\(UUID().uuidString)")
        #expect(r.error != nil)
        #expect(r.files == 0)
    }

    @Test func deterministicAndParallelInInputOrder() throws {
        var crates: [TempCrate] = []
        for i in 0..<7 {
            let c = TempCrate("par\(i)")
            c.manifest(name: "c\(i)")
            c.write("src/lib.rs", String(repeating: "fn f() { unsafe { } }\n", count: i + 1) + "use std::net::TcpStream;\n")
            c.write("src/z.rs", "use std::process::Command;")
            c.write("src/a.rs", "use std::fs::write;")
            crates.append(c)
        }
        let dirs = crates.map(\.root)
        let seq = dirs.map { CrateScanner.scan(directory: $0) }
        let par = CrateScanner.scan(directories: dirs, threads: 3)
        let par2 = CrateScanner.scan(directories: dirs, threads: 2)
        #expect(seq == par)
        #expect(par == par2)
        #expect(par.map(\.unsafe_blocks) == [1, 2, 3, 4, 5, 6, 7])
        #expect(par.map(\.directory) == dirs)
        // The shipped serialization (the report's `source` group) is the same too.
        let a = seq.map { JSONText.string(.object($0.signals.json)) }
        let b = par.map { JSONText.string(.object($0.signals.json)) }
        #expect(a == b)
        // evidence in sorted file order
        #expect(seq[0].evidence["filesystem_write"]?.first?.file == "src/a.rs")
        #expect(seq[0].capabilities == ["filesystem_write", "network", "process"])
        #expect(CrateScanner.scan(directories: []).isEmpty)
    }

    /// The `source` group as reports ship it: every key present, evidence items with file, line
    /// and snippet, and a round trip through the signals reader gives the same signals.
    @Test func jsonShape() throws {
        let c = TempCrate("json")
        c.manifest()
        c.write("src/lib.rs", "use std::net::TcpStream;")
        let r = c.scan()
        let group = r.signals.json
        let data = Data(JSONText.string(.object(group)).utf8)
        let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["files", "lines_code", "lines_comment", "lines_blank", "unsafe_blocks", "unsafe_fns", "unsafe_impls",
                    "unsafe_traits", "forbids_unsafe", "denies_unsafe", "build_script", "proc_macro", "capabilities",
                    "evidence", "tests", "test_fns", "examples", "benches", "has_readme", "license_files",
                    "pub_items", "documented_pub_items", "skipped_files", "lex_error_count"] {
            #expect(obj[key] != nil, "missing \(key)")
        }
        // No license expression to check license files against, and no public item to document:
        // neither has a value, and the group says nothing rather than null.
        #expect(obj["license_matches"] == nil)
        #expect(obj["doc_coverage"] == nil)
        let ev = try #require(obj["evidence"] as? [String: Any])
        let net = try #require(ev["network"] as? [[String: Any]])
        #expect(net.first?["file"] as? String == "src/lib.rs")
        #expect(net.first?["line"] as? Int == 1)
        #expect(net.first?["snippet"] as? String == "use std::net::TcpStream;")
        let skipped = try #require(obj["skipped_files"] as? [String: Any])
        #expect(Set(skipped.keys) == ["binary", "huge", "unreadable", "symlink_outside"])
        let back = try SignalsReader.readSource(ObjectReader(object: group, path: "$.source"))
        #expect(back == r.signals)
    }
}
