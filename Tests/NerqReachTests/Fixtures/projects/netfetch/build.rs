// Probes the compiler like many real build scripts do (autocfg is a build-dependency only).
fn main() {
    let ac = autocfg::new();
    ac.emit_has_type("i128");
    println!("cargo:rerun-if-changed=build.rs");
}
