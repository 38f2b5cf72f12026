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

    func testMilestoneProgramsAreToldWhatColoursTheirPicturesMayUse() {
        XCTAssertEqual(Style.programColors(environment: ["TERM": "xterm-256color"], isTerminal: true), "256")
        XCTAssertEqual(Style.programColors(environment: ["TERM": "tmux-256color", "COLORTERM": "truecolor"], isTerminal: true), "24bit")
        XCTAssertEqual(Style.programColors(environment: ["TERM": "xterm-256color"], isTerminal: false), "none", "not a terminal")
        XCTAssertEqual(Style.programColors(environment: ["TERM": "xterm-256color", "NO_COLOR": "1"], isTerminal: true), "none")
        XCTAssertEqual(Style.programColors(environment: ["TERM": "dumb"], isTerminal: true), "none")
        XCTAssertEqual(Style.programColors(environment: ["TERM": "vt100"], isTerminal: true), "none")
    }

    /// A milestone's pictures: colour escapes become cell colours, everything else that could move
    /// the cursor or garble the screen is dropped, and the text that remains is what shows.
    func testColourEscapesInAProgramsOutputBecomeCellColours() {
        let picture = "  \u{1B}[38;5;196;48;5;21m▀\u{1B}[38;2;255;255;255;48;2;0;0;0m▀\u{1B}[0m ship"
        let line = ANSIText.styledLine(picture, base: .muted)
        XCTAssertEqual(line.text, "  ▀▀ ship")
        XCTAssertEqual(line.spans.map(\.style.colors), [nil, CellColors(foreground: 196, background: 21),
                                                        CellColors(foreground: 231, background: 16), nil])
        XCTAssertEqual(line.spans.map(\.style.tone), [.muted, .muted, .muted, .muted])
        // The basic colours, resets of one side, bright colours.
        let basic = ANSIText.styledLine("\u{1B}[31;44ma\u{1B}[39mb\u{1B}[92;49mc", base: .plain)
        XCTAssertEqual(basic.spans.map(\.style.colors), [CellColors(foreground: 1, background: 4), CellColors(background: 4),
                                                      CellColors(foreground: 10)])
        // Cursor movement, screen clearing, a title (OSC), a bell, a tab, a half sequence at the end.
        let hostile = ANSIText.styledLine("a\u{1B}[2J\u{1B}[10;10Hb\u{1B}]0;title\u{07}c\u{07}\td\u{1B}[3", base: .plain)
        XCTAssertEqual(hostile.text, "abc d")
        XCTAssertEqual(hostile.spans.count, 1)
        // Greys and the cube: the nearest of the 256.
        XCTAssertEqual(ANSIText.nearestXterm256(red: 128, green: 128, blue: 128), 244)
        XCTAssertEqual(ANSIText.nearestXterm256(red: 255, green: 0, blue: 0), 196)
        XCTAssertEqual(ANSIText.nearestXterm256(red: 0, green: 0, blue: 0), 16)
    }
}
