import Foundation
import XCTest
import TutorCore
@testable import TutorTUI

/// What the screen means must not rest on colour alone: styles carry tones the terminal maps to
/// colours or, on a monochrome terminal, to attributes.
final class StyleTests: XCTestCase {
    func testTheSelectedRowIsReversed() throws {
        let screen = try Scenes.dashboard(self).screen
        let row = screen.lines.firstIndex { $0.contains("→ 01 Tensor") }!
        let listWidth = DashboardView.listWidth(Size(width: screen.width, height: screen.height))
        XCTAssertEqual((1...listWidth).filter { !screen[row, $0].style.reverse }, [], "the whole row of the list is highlighted")
        XCTAssertFalse(screen[row, listWidth + 4].style.reverse, "the details pane is not")
        let other = screen.lines.firstIndex { $0.contains("02 Activations") }!
        XCTAssertFalse(screen.spans(row: other).contains { $0.style.reverse })
    }

    func testVerdictsHaveTheirTones() throws {
        let screen = try Scenes.results(self).screen
        func tone(of text: String) -> TextStyle.Tone? {
            for row in 0..<screen.height {
                if let span = screen.spans(row: row).first(where: { $0.text.contains(text) }) { return span.style.tone }
            }
            return nil
        }
        XCTAssertEqual(tone(of: "✗ 1 of 3 tests pass"), .failure)
        XCTAssertEqual(tone(of: "crashed"), .failure)
        XCTAssertEqual(tone(of: "✓"), .success)
    }

    func testSwiftKeywordsAreHighlightedInCode() throws {
        var highlighter = SwiftHighlighter()
        let line = highlighter.highlight(#"let x = Tensor.zeros([2, 3]) // "a" matrix"#)
        XCTAssertEqual(line.spans.first { $0.text == "let" }?.style.tone, .keyword)
        XCTAssertEqual(line.spans.first { $0.text == "Tensor" }?.style.tone, .type)
        XCTAssertEqual(line.spans.first { $0.text == "2" }?.style.tone, .literal)
        XCTAssertEqual(line.spans.last?.style.tone, .comment)
        XCTAssertEqual(line.text, #"let x = Tensor.zeros([2, 3]) // "a" matrix"#)
        // State carries over lines: a block comment, then code again.
        XCTAssertEqual(highlighter.highlight("/* start").spans.map(\.style.tone), [.comment])
        let after = highlighter.highlight("end */ return 1")
        XCTAssertEqual(after.spans.first?.style.tone, .comment)
        XCTAssertEqual(after.spans.first { $0.text == "return" }?.style.tone, .keyword)
        // A keyword after a dot is a member name.
        XCTAssertEqual(highlighter.highlight("x.self").spans.map(\.style.tone), [.normal])
    }

    func testColourIsOffWithNoColorOrADumbTerminal() {
        XCTAssertTrue(Style.wantsColor(environment: ["TERM": "xterm-256color"]))
        XCTAssertFalse(Style.wantsColor(environment: ["TERM": "xterm-256color", "NO_COLOR": "1"]))
        XCTAssertTrue(Style.wantsColor(environment: ["TERM": "xterm", "NO_COLOR": ""]), "an empty NO_COLOR does not count")
        XCTAssertFalse(Style.wantsColor(environment: ["TERM": "dumb"]))
    }
}
