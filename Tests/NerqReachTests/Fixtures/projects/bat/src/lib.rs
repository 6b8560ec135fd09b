//! stub: bat 0.22.1 library (sources not kept; see Cargo.toml)
