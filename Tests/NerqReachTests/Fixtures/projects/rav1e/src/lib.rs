//! stub: rav1e 0.5.1 library (sources not kept; see Cargo.toml)
