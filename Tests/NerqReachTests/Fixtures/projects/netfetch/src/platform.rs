//! Who is running us, per platform (target-specific dependencies).
#[cfg(unix)]
pub fn user() -> String {
    format!("uid {}", nix::unistd::getuid())
}

#[cfg(windows)]
pub fn user() -> String {
    // GetCommandLineW is only here to exercise winapi on Windows.
    let _ = unsafe { winapi::um::processenv::GetCommandLineW() };
    std::env::var("USERNAME").unwrap_or_default()
}

#[cfg(not(any(unix, windows)))]
pub fn user() -> String {
    String::from("unknown")
}

#[cfg(target_os = "macos")]
#[allow(dead_code)]
pub fn bundle_name() -> String {
    core_foundation::string::CFString::new("netfetch").to_string()
}
