/// Kinds of findings. `name` is the JSON key in `CrateScan.evidence`.
enum EvidenceKind: Int, CaseIterable, Sendable {
    case unsafeBlock, unsafeFn, unsafeImpl, unsafeTrait, unsafeExtern
    case network, filesystemWrite, process, env, envCompileTime, ffi
    case buildScriptProcess, buildScriptNetwork, buildScriptEnv, buildScriptEnvCargo, buildScriptFilesystemWrite
    case forbidUnsafeCode, denyUnsafeCode, denyUnsafeOpInUnsafeFn
    /// Unsafe code in test code (`#[cfg(test)]` and `#[test]` items, test, bench and example
    /// targets): counted apart, never as the product's.
    case unsafeTest

    var name: String {
        switch self {
        case .unsafeBlock: return "unsafe_block"
        case .unsafeFn: return "unsafe_fn"
        case .unsafeImpl: return "unsafe_impl"
        case .unsafeTrait: return "unsafe_trait"
        case .unsafeExtern: return "unsafe_extern"
        case .network: return "network"
        case .filesystemWrite: return "filesystem_write"
        case .process: return "process"
        case .env: return "env"
        case .envCompileTime: return "env_compile_time"
        case .ffi: return "ffi"
        case .buildScriptProcess: return "build_script_process"
        case .buildScriptNetwork: return "build_script_network"
        case .buildScriptEnv: return "build_script_env"
        case .buildScriptEnvCargo: return "build_script_env_cargo"
        case .buildScriptFilesystemWrite: return "build_script_filesystem_write"
        case .forbidUnsafeCode: return "forbid_unsafe_code"
        case .denyUnsafeCode: return "deny_unsafe_code"
        case .denyUnsafeOpInUnsafeFn: return "deny_unsafe_op_in_unsafe_fn"
        case .unsafeTest: return "unsafe_in_tests"
        }
    }

    /// The product's unsafe code (moved to `unsafeTest` for files that are `#[cfg(test)]` modules).
    var isProductUnsafe: Bool {
        switch self {
        case .unsafeBlock, .unsafeFn, .unsafeImpl, .unsafeTrait, .unsafeExtern: return true
        default: return false
        }
    }

    /// Capability findings of product code (dropped for files that are
    /// `#[cfg(test)]` modules).
    var isProductCapabilityEvidence: Bool {
        switch self {
        case .network, .filesystemWrite, .process, .env, .envCompileTime, .ffi: return true
        default: return false
        }
    }

    /// Whether a non-zero count makes this kind a reported capability.
    var isCapability: Bool {
        switch self {
        case .network, .filesystemWrite, .process, .env, .ffi,
             .buildScriptProcess, .buildScriptNetwork, .buildScriptEnv:
            return true
        default:
            return false
        }
    }
}

/// Crate-level accumulator: full counts per kind, first `cap` items per kind.
struct EvidenceCollector {
    let cap: Int
    var counts: [Int]
    var items: [[Evidence]]

    init(cap: Int) {
        self.cap = max(0, cap)
        counts = Array(repeating: 0, count: EvidenceKind.allCases.count)
        items = Array(repeating: [], count: EvidenceKind.allCases.count)
    }

    func count(_ k: EvidenceKind) -> Int {
        k.rawValue < counts.count ? counts[k.rawValue] : 0
    }

    /// Add another collector's findings (which come later in file order), each kind under the
    /// kind `into` says (nil: left out).
    mutating func merge(_ o: EvidenceCollector, into target: (EvidenceKind) -> EvidenceKind? = { $0 }) {
        for k in EvidenceKind.allCases {
            guard let t = target(k) else { continue }
            let i = k.rawValue, j = t.rawValue
            guard i < o.counts.count, i < o.items.count, j < counts.count, j < items.count else { continue }
            counts[j] &+= o.counts[i]
            for e in o.items[i] where items[j].count < cap { items[j].append(e) }
        }
    }

    /// Record one finding; `make` (snippet + matched text) runs only while
    /// the kind's list is below the cap.
    mutating func add(_ k: EvidenceKind, file: String, line: Int, _ make: () -> (snippet: String, matched: String)) {
        let i = k.rawValue
        guard i < counts.count, i < items.count else { return }
        counts[i] &+= 1
        if items[i].count < cap {
            let (s, m) = make()
            items[i].append(Evidence(file: file, line: line, snippet: s, matched: m))
        }
    }
}
