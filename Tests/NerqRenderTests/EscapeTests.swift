import Testing
@testable import NerqRender

@Suite struct EscapeTests {
    @Test func terminalShowsControlsVisibly() {
        #expect(Escape.terminal("a\u{1b}[31mb") == "a\\x1b[31mb")
    }
}
