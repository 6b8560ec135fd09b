// stub: bat 0.22.1 build script (not kept; nerq never runs build scripts)
fn main() {}
