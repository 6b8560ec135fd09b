// stub: rav1e 0.5.1 build script (not kept; nerq never runs build scripts)
fn main() {}
