// HTTP GET over libcurl, the one place nerq talks to an HTTP server.
//
// libcurl (Debian's libcurl4) rather than an HTTP client of our own: it is the best-kept HTTP
// stack there is, already on every Debian system (Swift's own FoundationNetworking links it),
// and it reads the usual proxy variables (https_proxy, http_proxy, all_proxy, no_proxy) exactly
// as curl does. What nerq adds:
//   - HTTPS only: plain http is allowed for loopback hosts (a test server) or when the caller
//     explicitly allows it; redirects may only go to https.
//   - A byte cap counted on the bytes received (CURLOPT_MAXFILESIZE alone only works when the
//     server announces a size).
//   - cargo's timeouts: 30 s to connect, and a transfer slower than 10 bytes/s for 30 s is
//     abandoned (no cap on the whole transfer: the crates.io dump is large).
//   - Retries with back-off for what is worth retrying (connection failures, timeouts, cut
//     bodies, 408, 429, 5xx), at most `tries` attempts.
//   - Conditional requests (If-None-Match / If-Modified-Since) and the validators of the answer.
//   - Progress on stderr, only when asked.

import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqIO
import NerqJSON

/// How nerq uses the network (one fetch request's settings).
public struct NetworkOptions: Sendable, Equatable {
    public var connectTimeoutSeconds = 30
    /// A transfer slower than `lowSpeedBytes` bytes/s for `lowSpeedSeconds` is abandoned.
    public var lowSpeedBytes = 10
    public var lowSpeedSeconds = 30
    /// Attempts per download (1 = no retry).
    public var tries = 3
    /// Wait before the second attempt; doubled for each further one.
    public var retryDelayMilliseconds = 1000
    /// Plain http to any host (it is always allowed to loopback hosts).
    public var allowHTTP = false
    /// Progress lines on stderr for downloads.
    public var progress = false
    /// Wall-clock bound for one git command (clone or fetch).
    public var gitTimeoutSeconds = 900

    public init() {}
}

/// The validators of a cached copy, sent to revalidate it.
public struct HTTPValidators: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

public struct HTTPResponse: Sendable, Equatable {
    /// The HTTP status of the last attempt (200, 304).
    public var status: Int
    /// 304: the cached copy is current (nothing was written).
    public var notModified: Bool { status == 304 }
    public var validators: HTTPValidators
    /// Body bytes written.
    public var bytes: Int64
    /// Attempts made.
    public var attempts: Int
}

/// Where a response body goes.
final class HTTPSink {
    /// A file (written from its start; truncated again on a retry), or memory.
    let fd: Int32
    private(set) var memory: [UInt8] = []

    init(fd: Int32) { self.fd = fd }
    init() { fd = -1 }

    func reset() throws(NerqError) {
        memory.removeAll(keepingCapacity: true)
        if fd >= 0 {
            guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
                throw NerqError(.ioError, "cannot rewind a download: \(Files.errnoText())")
            }
        }
    }

    func write(_ base: UnsafeRawPointer, _ count: Int) -> Bool {
        if fd < 0 {
            memory.append(contentsOf: UnsafeRawBufferPointer(start: base, count: count))
            return true
        }
        var offset = 0
        while offset < count {
            let n = Glibc.write(fd, base + offset, count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}

/// One transfer's state, reached from libcurl's callbacks through their user pointer.
final class Transfer {
    let sink: HTTPSink
    let maxBytes: Int64
    let label: String
    let progress: Bool
    var received: Int64 = 0
    var overCap = false
    var sinkFailed = false
    var lastReport: Int64 = 0

    init(sink: HTTPSink, maxBytes: Int64, label: String, progress: Bool) {
        self.sink = sink
        self.maxBytes = maxBytes
        self.label = label
        self.progress = progress
    }

    /// Returns the count taken; anything else makes libcurl stop with CURLE_WRITE_ERROR.
    func receive(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return 0 }
        received += Int64(count)
        if received > maxBytes {
            overCap = true
            return 0
        }
        guard sink.write(UnsafeRawPointer(data), count) else {
            sinkFailed = true
            return 0
        }
        return count
    }

    func report(total: Int64, now: Int64, final: Bool) {
        guard progress, final || now - lastReport >= 1000 else { return }
        lastReport = now
        let size = total > 0 ? " of \(HTTPClient.humanBytes(total))" : ""
        let line = "\(final ? "  Downloaded" : " Downloading") \(label): \(HTTPClient.humanBytes(received))\(size)\n"
        line.utf8CString.withUnsafeBufferPointer { p in
            if let base = p.baseAddress { _ = Glibc.write(2, base, max(0, p.count - 1)) }
        }
    }
}

private let writeCallback: curl_write_callback = { data, size, count, user in
    guard let user else { return 0 }
    let (total, overflow) = size.multipliedReportingOverflow(by: count)
    guard !overflow else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue().receive(data, total)
}

private let progressCallback: curl_xferinfo_callback = { user, total, _, _, _ in
    guard let user else { return 0 }
    Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue().report(total: Int64(total), now: Files.monotonicMilliseconds(), final: false)
    return 0
}

/// libcurl's one-time global set-up, done before the first handle (thread-safe: a Swift global
/// is initialised once).
private let curlReady: Bool = curl_global_init(ccurl_global_default) == CURLE_OK

/// One libcurl easy handle (reused for successive requests, which keeps connections open).
/// Not shared between threads.
public final class HTTPClient {
    let handle: UnsafeMutableRawPointer
    let options: NetworkOptions
    /// Sleeps between attempts go through here (tests shorten them).
    var sleepMilliseconds: (Int) -> Void = { ms in usleep(useconds_t(min(ms, 60_000)) * 1000) }

    public init(options: NetworkOptions) throws(NerqError) {
        guard curlReady, let h = curl_easy_init() else {
            throw NerqError(.internalError, "libcurl could not start")
        }
        handle = h
        self.options = options
    }

    deinit { curl_easy_cleanup(handle) }

    /// Downloads `url` into the file descriptor `fd` (from its start). Throws `not_found` for 404,
    /// 410 and 451, `network_error` for the rest.
    public func download(_ url: String, to fd: Int32, validators: HTTPValidators = HTTPValidators(),
                         maxBytes: Int64, headers: [String] = [], label: String) throws(NerqError) -> HTTPResponse {
        try get(url, sink: HTTPSink(fd: fd), validators: validators, maxBytes: maxBytes, headers: headers, label: label)
    }

    /// Downloads `url` into memory (small documents: index files, config.json).
    public func fetch(_ url: String, validators: HTTPValidators = HTTPValidators(), maxBytes: Int64,
                      headers: [String] = []) throws(NerqError) -> (HTTPResponse, [UInt8]) {
        let sink = HTTPSink()
        let r = try get(url, sink: sink, validators: validators, maxBytes: maxBytes, headers: headers, label: url)
        return (r, sink.memory)
    }

    func get(_ url: String, sink: HTTPSink, validators: HTTPValidators, maxBytes: Int64, headers: [String],
             label: String) throws(NerqError) -> HTTPResponse {
        let target = try URLPolicy.check(url, allowHTTP: options.allowHTTP)
        var attempt = 0
        var delay = options.retryDelayMilliseconds
        while true {
            attempt += 1
            try sink.reset()
            let transfer = Transfer(sink: sink, maxBytes: maxBytes, label: label, progress: options.progress)
            switch perform(url, target: target, transfer: transfer, validators: validators, headers: headers) {
            case .success(var response):
                response.attempts = attempt
                transfer.report(total: 0, now: Files.monotonicMilliseconds(), final: true)
                return response
            case .failure(let failure):
                guard failure.retry, attempt < max(1, options.tries) else {
                    var e = failure.error
                    if attempt > 1 { e.message += " (after \(attempt) attempts)" }
                    throw e
                }
                sleepMilliseconds(delay)
                delay = min(delay * 2, 60_000)
            }
        }
    }

    struct Failure: Error {
        var error: NerqError
        var retry: Bool
    }

    private func perform(_ url: String, target: URLPolicy.Target, transfer: Transfer, validators: HTTPValidators,
                         headers: [String]) -> Result<HTTPResponse, Failure> {
        curl_easy_reset(handle)
        var list: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(list) }
        var lines = headers
        if let etag = validators.etag {
            lines.append("If-None-Match: \(etag)")
        } else if let date = validators.lastModified {
            lines.append("If-Modified-Since: \(date)")
        }
        for line in lines where !line.utf8.contains(0) && !line.utf8.contains(0x0A) && !line.utf8.contains(0x0D) {
            list = curl_slist_append(list, line)
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        let user = Unmanaged.passUnretained(transfer).toOpaque()
        let protocols = target.scheme == "http" ? "http,https" : "https"
        // A redirect may leave the loopback host: only https then, unless http was allowed.
        let redirects = options.allowHTTP ? "http,https" : "https"
        var ok = true
        ok = ok && ccurl_setopt_string(handle, CURLOPT_URL, url) == CURLE_OK
        ok = ok && ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, protocols) == CURLE_OK
        ok = ok && ccurl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, redirects) == CURLE_OK
        ok = ok && ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1) == CURLE_OK
        ok = ok && ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1) == CURLE_OK
        ok = ok && ccurl_setopt_long(handle, CURLOPT_MAXREDIRS, 5) == CURLE_OK
        ok = ok && ccurl_setopt_long(handle, CURLOPT_FAILONERROR, 1) == CURLE_OK
        ok = ok && ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds) == CURLE_OK
        ok = ok && ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes) == CURLE_OK
        ok = ok && ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, options.lowSpeedSeconds) == CURLE_OK
        ok = ok && ccurl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(transfer.maxBytes)) == CURLE_OK
        ok = ok && ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK
        ok = ok && ccurl_setopt_string(handle, CURLOPT_USERAGENT, "nerq/\(HTTPClient.version)") == CURLE_OK
        ok = ok && ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer) == CURLE_OK
        ok = ok && ccurl_setopt_write(handle, CURLOPT_WRITEFUNCTION, writeCallback) == CURLE_OK
        ok = ok && ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, user) == CURLE_OK
        if transfer.progress {
            ok = ok && ccurl_setopt_xferinfo(handle, progressCallback) == CURLE_OK
            ok = ok && ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, user) == CURLE_OK
            ok = ok && ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0) == CURLE_OK
        }
        // A loopback host is never reached through a proxy (a test server on 127.0.0.1).
        if target.isLoopback { ok = ok && ccurl_setopt_string(handle, CURLOPT_NOPROXY, "*") == CURLE_OK }
        if let list { ok = ok && ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list)) == CURLE_OK }
        guard ok else {
            return .failure(Failure(error: NerqError(.internalError, "libcurl refused an option (is libcurl older than 7.85?)", path: url), retry: false))
        }
        let rc = curl_easy_perform(handle)
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let detail = String(cString: errorBuffer)
        if rc == CURLE_OK {
            if status == 304 && validators.isEmpty {
                return .failure(Failure(error: NerqError(.networkError, "\(url): HTTP 304 to a request without validators", path: url), retry: false))
            }
            guard status == 200 || status == 304 else {
                return .failure(Failure(error: NerqError(.networkError, "\(url): unexpected HTTP status \(status)", path: url), retry: false))
            }
            let answer = HTTPValidators(etag: header("ETag"), lastModified: header("Last-Modified"))
            return .success(HTTPResponse(status: status, validators: status == 304 ? validators.merged(answer) : answer,
                                         bytes: transfer.received, attempts: 1))
        }
        return .failure(failure(rc, status: status, detail: detail, url: url, transfer: transfer))
    }

    /// A response header's value (the last response of a redirect chain), or nil.
    private func header(_ name: String) -> String? {
        var out: UnsafeMutablePointer<curl_header>? = nil
        guard curl_easy_header(handle, name, 0, ccurl_header_origin, -1, &out) == CURLHE_OK,
              let value = out?.pointee.value, let s = String(validatingCString: value) else { return nil }
        let trimmed = s.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    private func failure(_ rc: CURLcode, status: Int, detail: String, url: String, transfer: Transfer) -> Failure {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(rc)) : detail
        if transfer.overCap || rc == CURLE_FILESIZE_EXCEEDED {
            return Failure(error: NerqError(.networkError, "\(url): the response is larger than the \(transfer.maxBytes) bytes allowed", path: url), retry: false)
        }
        if transfer.sinkFailed {
            return Failure(error: NerqError(.ioError, "\(url): cannot write the download: \(Files.errnoText())", path: url), retry: false)
        }
        if rc == CURLE_HTTP_RETURNED_ERROR {
            if status == 404 || status == 410 || status == 451 {
                return Failure(error: NerqError(.notFound, "\(url): HTTP \(status) (not found)", path: url), retry: false)
            }
            let retry = status == 408 || status == 429 || status >= 500
            return Failure(error: NerqError(.networkError, "\(url): HTTP \(status)", path: url), retry: retry)
        }
        if rc == CURLE_UNSUPPORTED_PROTOCOL {
            return Failure(error: NerqError(.networkError, "\(url): \(text) (only https is allowed, and http to loopback hosts)", path: url), retry: false)
        }
        let transient: [CURLcode] = [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
                                     CURLE_OPERATION_TIMEDOUT, CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
                                     CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM]
        let what = rc == CURLE_OPERATION_TIMEDOUT ? "timed out" : rc == CURLE_PARTIAL_FILE ? "the body was cut short" : text
        return Failure(error: NerqError(.networkError, "\(url): \(what)", path: url), retry: transient.contains(rc))
    }

    static let version = "0.1.0"

    static func humanBytes(_ n: Int64) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(n) / 1024
        var k = 0
        while value >= 1024 && k < units.count - 1 {
            value /= 1024
            k += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[k])"
    }
}

extension HTTPValidators {
    /// The cached validators, updated by whatever a 304 answer carried.
    func merged(_ newer: HTTPValidators) -> HTTPValidators {
        HTTPValidators(etag: newer.etag ?? etag, lastModified: newer.lastModified ?? lastModified)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" || c == "\n" { s = s.dropLast() }
        return String(s)
    }
}

/// Which URLs nerq fetches from: https, or http to a loopback host (or anywhere when allowed).
enum URLPolicy {
    struct Target {
        var scheme: String
        var host: String
        var isLoopback: Bool
    }

    static func check(_ url: String, allowHTTP: Bool) throws(NerqError) -> Target {
        guard !url.utf8.contains(0), let u = curl_url() else {
            throw NerqError(.invalidValue, "not a URL: \(url)", path: url)
        }
        defer { curl_url_cleanup(u) }
        guard curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK else {
            throw NerqError(.invalidValue, "not a URL: \(url)", path: url)
        }
        func part(_ p: CURLUPart) -> String? {
            var out: UnsafeMutablePointer<CChar>? = nil
            guard curl_url_get(u, p, &out, 0) == CURLUE_OK, let out else { return nil }
            defer { curl_free(out) }
            return String(validatingCString: out)
        }
        let scheme = (part(CURLUPART_SCHEME) ?? "").lowercased()
        let host = (part(CURLUPART_HOST) ?? "").lowercased()
        let loopback = isLoopback(host)
        switch scheme {
        case "https":
            break
        case "http" where loopback || allowHTTP:
            break
        case "http":
            throw NerqError(.invalidValue, "\(url): plain http is allowed only to loopback hosts (127.0.0.1, localhost, ::1) or with allow_http; use https", path: url)
        default:
            throw NerqError(.invalidValue, "\(url): only https URLs are fetched (found \(scheme.isEmpty ? "no scheme" : scheme))", path: url)
        }
        return Target(scheme: scheme, host: host, isLoopback: loopback)
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isNumber) && (Int(p) ?? 256) <= 255 }
    }
}
