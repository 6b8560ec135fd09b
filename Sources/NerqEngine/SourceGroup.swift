import NerqCore
import NerqScan
import NerqJSON

/// The scanner's result as the `source` signal group of `nerq.signals`.
extension CrateScan {
    var sourceGroup: JSONValue {
        func int(_ n: Int) -> JSONValue { .int(Int64(n)) }
        var o = JSONObject(capacity: 32)
        o.append("path", .string(directory))
        if let error { o.append("error", .string(error)) }
        o.append("files", int(files))
        o.append("lines_code", int(lines_code))
        o.append("lines_comment", int(lines_comment))
        o.append("lines_blank", int(lines_blank))
        o.append("unsafe_blocks", int(unsafe_blocks))
        o.append("unsafe_fns", int(unsafe_fns))
        o.append("unsafe_impls", int(unsafe_impls))
        o.append("unsafe_traits", int(unsafe_traits))
        o.append("unsafe_externs", int(unsafe_externs))
        o.append("forbids_unsafe", .bool(forbids_unsafe))
        o.append("denies_unsafe", .bool(denies_unsafe))
        o.append("build_script", .bool(build_script))
        o.append("proc_macro", .bool(proc_macro))
        o.append("capabilities", .strings(capabilities))
        o.append("tests", int(tests))
        o.append("test_fns", int(test_fns))
        o.append("examples", int(examples))
        o.append("benches", int(benches))
        o.append("has_readme", .bool(has_readme))
        o.append("license_files", int(license_files.count))
        o.append("license_file_names", .strings(license_files))
        o.append("licenses_detected", .strings(licenses_detected))
        if let license_matches { o.append("license_matches", .bool(license_matches)) }
        if let doc_coverage { o.append("doc_coverage", .double(roundTenth(doc_coverage * 1000) / 1000)) }
        o.append("pub_items", int(pub_items))
        o.append("documented_pub_items", int(documented_pub_items))
        var evidenceObject = JSONObject(capacity: evidence.count)
        for (kind, items) in evidence.entries {
            evidenceObject.append(kind, .array(items.map { e in
                .object(JSONObject([("file", .string(e.file)), ("line", int(e.line)), ("snippet", .string(e.snippet))]))
            }))
        }
        o.append("evidence", .object(evidenceObject))
        var counts = JSONObject(capacity: evidence_counts.count)
        for (kind, n) in evidence_counts.entries { counts.append(kind, int(n)) }
        o.append("evidence_counts", .object(counts))
        o.append("skipped_files", .object(JSONObject([
            ("binary", int(skipped_files.binary)), ("huge", int(skipped_files.huge)),
            ("unreadable", int(skipped_files.unreadable)), ("symlink_outside", int(skipped_files.symlink_outside)),
        ])))
        o.append("lex_error_count", int(lex_error_count))
        return .object(o)
    }
}
