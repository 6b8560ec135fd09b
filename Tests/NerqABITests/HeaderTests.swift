import Foundation
import NerqJSON
import Testing

/// The header is the contract: its list of error codes is the library's.
@Suite struct HeaderTests {
    static let header: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try? String(contentsOf: root.appendingPathComponent("include/nerq.h"), encoding: .utf8)
    }()

    @Test func errorCodeConstantsAreTheLibrarysCodes() throws {
        let header = try #require(Self.header)
        var constants: [String: String] = [:]
        var documented = Set<String>()
        for line in header.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 3, parts[0] == "#define", parts[1].hasPrefix("NERQ_ERR_") {
                constants[String(parts[1])] = parts[2].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            // The comment at the top lists each code first on its line: " *     code   meaning".
            if parts.count >= 2, parts[0] == "*", parts[1].allSatisfy({ $0.isLowercase || $0 == "_" }),
               line.hasPrefix(" *     ") {
                documented.insert(String(parts[1]))
            }
        }
        let codes = NerqError.Code.allCases.map(\.rawValue)
        #expect(Set(constants.values) == Set(codes))
        for code in codes {
            #expect(constants["NERQ_ERR_" + code.uppercased()] == code, "\(code)")
            #expect(documented.contains(code), "\(code) is not described in the header")
        }
    }
}
