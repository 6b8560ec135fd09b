import Testing
@testable import NerqScan

/// Test code is not capability evidence (methodology v2): code under `#[cfg(test)]`, `#[test]`,
/// `tests/`, `benches/`, `examples/` and the test targets Cargo.toml declares by path is counted
/// apart (`unsafe_in_tests`, `lines_code_tests`) and never as the crate's own unsafe code or
/// capabilities.
@Suite struct TestCodeTests {
    @Test func cfgTestItemsAndTestFunctionsAreTestCode() {
        let c = TempCrate("testcode")
        c.manifest()
        c.write("src/lib.rs", """
        pub fn f() -> u8 { unsafe { core::ptr::read(&1u8) } }

        #[cfg(test)]
        mod tests {
            use std::fs::write;
            #[test]
            fn t() { unsafe { let _ = 1; } write("/tmp/x", b"y").unwrap(); }
        }

        #[test]
        fn loose() { unsafe { let _ = 2; } std::process::Command::new("ls"); }

        #[cfg(all(test, feature = "std"))]
        mod more { fn g() { unsafe { let _ = 3; } } }
        """)
        let r = c.scan()
        #expect(r.unsafe_blocks == 1)
        #expect(r.unsafe_in_tests == 3)
        #expect(r.capabilities.isEmpty, "\(r.capabilities)")
        // Code lines 1, 3-8, 10-11, 13-14; the test items (with their attributes) are 3-8, 10-11, 13-14.
        #expect(r.lines_code == 11)
        #expect(r.lines_code_tests == 10, "\(r.lines_code_tests)")
    }

    @Test func testTargetsAndDeclaredTestDirectoriesAreTestCode() {
        let c = TempCrate("testdirs")
        c.manifest(extra: "\n[[test]]\nname = \"check\"\npath = \"check/main.rs\"\n")
        c.write("src/lib.rs", "pub fn f() {}\n")
        c.write("check/main.rs", "mod net;\nfn main() { unsafe { let _ = 1; } }\n")
        c.write("check/net.rs", "use std::net::TcpStream;\nfn g() { unsafe { let _ = 2; } }\n")
        c.write("tests/it.rs", "use std::fs::write;\n#[test] fn t() { unsafe { let _ = 3; } }\n")
        c.write("benches/b.rs", "fn b() { unsafe { let _ = 4; } }\n")
        c.write("examples/e.rs", "use std::process::Command;\nfn main() { unsafe { let _ = 5; } }\n")
        let r = c.scan()
        #expect(r.unsafe_blocks == 0)
        #expect(r.unsafe_in_tests == 5)
        #expect(r.capabilities.isEmpty, "\(r.capabilities)")
        #expect(r.lines_code_tests == r.lines_code - 1)  // all but src/lib.rs
    }

    /// A forbid that holds only under some condition does not forbid unsafe code in every build;
    /// `cfg_attr(not(test), forbid(unsafe_code))` does (tests are not what ships).
    @Test func conditionalForbidIsNotForbid() {
        let conditional = TempCrate("condforbid")
        conditional.manifest()
        conditional.write("src/lib.rs", "#![cfg_attr(not(feature = \"unsafe\"), forbid(unsafe_code))]\npub fn f() { unsafe { } }\n")
        let c = conditional.scan()
        #expect(!c.forbids_unsafe)
        #expect(c.unsafe_blocks == 1)
        #expect(c.evidence["forbid_unsafe_code"]?.first?.matched == "cfg_attr(..., forbid(unsafe_code))")

        let notTest = TempCrate("nottestforbid")
        notTest.manifest()
        notTest.write("src/lib.rs", "#![cfg_attr(not(test), forbid(unsafe_code))]\npub fn f() {}\n")
        #expect(notTest.scan().forbids_unsafe)
    }
}
