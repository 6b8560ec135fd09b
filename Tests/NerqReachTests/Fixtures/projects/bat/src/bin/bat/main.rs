//! stub: the bat binary (sources not kept)
fn main() {}
