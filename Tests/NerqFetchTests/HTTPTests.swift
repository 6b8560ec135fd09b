import Foundation
@testable import NerqFetch
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing

/// The HTTP layer against the local server: revalidation, failures, retries, caps, timeouts and
/// the https-only rule.
@Suite struct HTTPTests {
    static func client(tries: Int = 3, lowSpeedSeconds: Int = 2) throws -> HTTPClient {
        var options = NetworkOptions()
        options.tries = tries
        options.retryDelayMilliseconds = 10
        options.connectTimeoutSeconds = 5
        options.lowSpeedBytes = 1000
        options.lowSpeedSeconds = lowSpeedSeconds
        return try HTTPClient(options: options)
    }

    static func token() -> String { UUID().uuidString.lowercased() }

    @Test func revalidatesWithETagAndLastModified() throws {
        guard let server = requireServer() else { return }
        let c = try HTTPTests.client()
        let url = server.url("index/se/rd/serde")
        let (first, body) = try c.fetch(url, maxBytes: 1 << 20)
        #expect(first.status == 200 && first.attempts == 1)
        #expect(body == [UInt8](try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/fixtures/fetch/sparse-index/se/rd/serde"))))
        let etag = try #require(first.validators.etag)
        #expect(first.validators.lastModified != nil)
        let (again, empty) = try c.fetch(url, validators: HTTPValidators(etag: etag), maxBytes: 1 << 20)
        #expect(again.notModified && empty.isEmpty && again.validators.etag == etag)
        // Only a date (as a Last-Modified-only server leaves): If-Modified-Since.
        let (byDate, _) = try c.fetch(url, validators: HTTPValidators(lastModified: first.validators.lastModified), maxBytes: 1 << 20)
        #expect(byDate.notModified)
        // A stale ETag gets the body again.
        let (changed, newBody) = try c.fetch(url, validators: HTTPValidators(etag: "\"old\""), maxBytes: 1 << 20)
        #expect(changed.status == 200 && newBody == body)
        let sent = try server.requests("/index/se/rd/serde").map(\.headers)
        #expect(sent.contains { $0["if-none-match"] == etag })
        #expect(sent.contains { $0["if-modified-since"] == first.validators.lastModified && $0["if-none-match"] == nil })
    }

    @Test func serverDown() throws {
        // A port nothing listens on: bind one, note it, close it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        close(fd)
        let c = try HTTPTests.client(tries: 2)
        do {
            _ = try c.fetch("http://127.0.0.1:\(port)/x", maxBytes: 100)
            Issue.record("no error")
        } catch {
            #expect(error.code == .networkError)
            #expect(error.message.contains("after 2 attempts"), "\(error.message)")
        }
    }

    @Test func notFoundIsNotRetried() throws {
        guard let server = requireServer() else { return }
        let c = try HTTPTests.client()
        for code in [404, 410, 451] {
            let path = "status-\(code)/\(HTTPTests.token())"
            do {
                _ = try c.fetch(server.url(path), maxBytes: 100)
                Issue.record("no error for \(code)")
            } catch {
                #expect(error.code == .notFound, "\(code): \(error)")
            }
            #expect(try server.requests("/" + path).count == 1)
        }
        // Another client error is a failure, not retried either.
        let path = "status-403/\(HTTPTests.token())"
        #expect(throws: NerqError.self) { _ = try c.fetch(server.url(path), maxBytes: 100) }
        #expect(try server.requests("/" + path).count == 1)
    }

    @Test func serverErrorThenSuccess() throws {
        guard let server = requireServer() else { return }
        let c = try HTTPTests.client(tries: 3)
        let path = "fail-2/\(HTTPTests.token())/index/sh/le/shlex"
        let (r, body) = try c.fetch(server.url(path), maxBytes: 1 << 20)
        #expect(r.status == 200 && r.attempts == 3 && body.count == 1150)
        // More failures than tries: the last status is the error.
        let failing = "fail-5/\(HTTPTests.token())/index/sh/le/shlex"
        do {
            _ = try c.fetch(server.url(failing), maxBytes: 1 << 20)
            Issue.record("no error")
        } catch {
            #expect(error.code == .networkError && error.message.contains("HTTP 500") && error.message.contains("after 3 attempts"), "\(error)")
        }
        #expect(try server.requests("/" + failing).count == 3)
    }

    @Test func truncatedBody() throws {
        guard let server = requireServer() else { return }
        let c = try HTTPTests.client(tries: 2)
        do {
            _ = try c.fetch(server.url("truncate/index/by/te/bytes"), maxBytes: 1 << 20)
            Issue.record("no error")
        } catch {
            #expect(error.code == .networkError && error.message.contains("cut short"), "\(error)")
        }
    }

    @Test func stalledServerTimesOut() throws {
        guard let server = requireServer() else { return }
        let c = try HTTPTests.client(tries: 1, lowSpeedSeconds: 1)
        let start = Files.monotonicMilliseconds()
        do {
            _ = try c.fetch(server.url("stall/index/by/te/bytes"), maxBytes: 1 << 20)
            Issue.record("no error")
        } catch {
            #expect(error.code == .networkError && error.message.contains("timed out"), "\(error)")
        }
        #expect(Files.monotonicMilliseconds() - start < 10_000)
    }

    @Test func bodyOverTheCap() throws {
        guard let server = requireServer() else { return }
        let c = try HTTPTests.client()
        // Announced length over the cap, and a body without a length (counted as it arrives).
        for path in ["index/by/te/bytes", "osv/rustsec.zip"] {
            do {
                _ = try c.fetch(server.url(path), maxBytes: 1000)
                Issue.record("no error")
            } catch {
                #expect(error.code == .networkError && error.message.contains("larger than the 1000 bytes allowed"), "\(error)")
            }
        }
        // Counted on the bytes received when no size is announced (a stream cut at the cap).
        let sink = HTTPSink()
        let t = Transfer(sink: sink, maxBytes: 10, label: "x", progress: false)
        var bytes: [CChar] = Array(repeating: 65, count: 8)
        #expect(t.receive(&bytes, 8) == 8)
        #expect(t.receive(&bytes, 8) == 0 && t.overCap)
        #expect(sink.memory.count == 8)
    }

    @Test func httpsOnly() throws {
        #expect(throws: NerqError.self) { _ = try URLPolicy.check("http://example.com/x", allowHTTP: false) }
        #expect(throws: NerqError.self) { _ = try URLPolicy.check("ftp://127.0.0.1/x", allowHTTP: true) }
        #expect(throws: NerqError.self) { _ = try URLPolicy.check("file:///etc/passwd", allowHTTP: true) }
        #expect(try URLPolicy.check("http://example.com/x", allowHTTP: true).scheme == "http")
        #expect(try URLPolicy.check("https://index.crates.io/", allowHTTP: false).isLoopback == false)
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "[::1]"] {
            #expect(try URLPolicy.check("http://\(host):8080/x", allowHTTP: false).isLoopback, "\(host)")
        }
        #expect(!URLPolicy.isLoopback("127.0.0.1.example.com") && !URLPolicy.isLoopback("1270.0.0.1"))
        // A redirect from the loopback server to plain http elsewhere is refused.
        guard let server = requireServer() else { return }
        let c = try HTTPTests.client()
        do {
            _ = try c.fetch(server.url("redirect-http/index/sh/le/shlex"), maxBytes: 1 << 20)
            Issue.record("no error")
        } catch {
            #expect(error.code == .networkError && error.message.contains("only https"), "\(error)")
        }
    }

    @Test func sendsCargoHeaders() throws {
        guard let server = requireServer() else { return }
        let c = try HTTPTests.client()
        let path = "index/it/oa/itoa"
        _ = try c.fetch(server.url(path) + "?\(HTTPTests.token())", maxBytes: 1 << 20, headers: IndexSource.headers)
        let sent = try #require(try server.requests("/" + path).last?.headers)
        #expect(sent["cargo-protocol"] == "version=1" && sent["accept"] == "text/plain")
        #expect(sent["user-agent"]?.hasPrefix("nerq/") == true)
    }
}
