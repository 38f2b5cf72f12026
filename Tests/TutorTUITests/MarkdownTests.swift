import XCTest
@testable import TutorTUI
import TutorTestSupport

final class MarkdownTests: XCTestCase {
    func render(_ markdown: String, width: Int) -> String {
        MarkdownRenderer.render(markdown, width: width).map { $0.text.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n")
    }

    func testParagraphsWrapAtWordsAndListsHangTheirIndent() {
        let markdown = """
            A tensor is a flat array of numbers and a shape that says how to read them.

            1. Line the shapes up on the right, a missing axis counts as one.
            2. Sizes must match.
               - or be one
            """
        XCTAssertEqual(render(markdown, width: 30), """
            A tensor is a flat array of
            numbers and a shape that says
            how to read them.

             1. Line the shapes up on the
                right, a missing axis
                counts as one.
             2. Sizes must match.
               • or be one
            """)
    }

    func testInlineMarkup() {
        let line = MarkdownInline.parse("Call **`matmul`** on *both*, not test_unit_x or a_b_c; see [docs](https://x.org).")
        XCTAssertEqual(line.text, "Call matmul on both, not test_unit_x or a_b_c; see docs (https://x.org).")
        XCTAssertEqual(line.spans.first { $0.text == "matmul" }?.style, TextStyle(.accent, bold: true))
        XCTAssertEqual(line.spans.first { $0.text == "both" }?.style.underline, true)
        XCTAssertEqual(line.spans.first { $0.text == "docs" }?.style.underline, true)
        XCTAssertEqual(MarkdownInline.parse(#"a \*literal\* star and 2 * 3 * 4"#).text, "a *literal* star and 2 * 3 * 4")
    }

    func testTablesGetBordersAndWrapCellsWhenNarrow() {
        let markdown = """
            | a | b | result |
            |---|---|--------|
            | `[2, 3]` | `[3]` | `[2, 3]` |
            | `[2, 3]` | `[4]` | error: sizes differ |
            """
        XCTAssertEqual(render(markdown, width: 60), """
            ┌────────┬─────┬─────────────────────┐
            │ a      │ b   │ result              │
            ├────────┼─────┼─────────────────────┤
            │ [2, 3] │ [3] │ [2, 3]              │
            │ [2, 3] │ [4] │ error: sizes differ │
            └────────┴─────┴─────────────────────┘
            """)
        XCTAssertEqual(render(markdown, width: 30), """
            ┌────────┬─────┬─────────────┐
            │ a      │ b   │ result      │
            ├────────┼─────┼─────────────┤
            │ [2, 3] │ [3] │ [2, 3]      │
            │ [2, 3] │ [4] │ error:      │
            │        │     │ sizes       │
            │        │     │ differ      │
            └────────┴─────┴─────────────┘
            """)
    }

    func testCodeIsNeverWrappedButCutWithAMark() {
        let markdown = "```\nshort\n0123456789012345678901234567890123456789\n```"
        XCTAssertEqual(render(markdown, width: 24), """
              │ short
              │ 0123456789012345678›
            """)
    }

    func testHeadingsQuotesAndRules() {
        let markdown = "# Title\nText.\n## Part\n> A quote that\n> goes on.\n\n---\n### Small"
        XCTAssertEqual(render(markdown, width: 20), """
            Title
            ═════

            Text.

            Part
            ────

            │ A quote that goes
            │ on.

            ────────────────────

            Small
            """)
    }

    func testWideCharactersCountTwoColumns() {
        XCTAssertEqual("✓ ▁▂▃ ⣿".terminalWidth, 7)
        XCTAssertEqual("数据".terminalWidth, 4)
        XCTAssertEqual("💥".terminalWidth, 2)
        XCTAssertEqual("e\u{301}".terminalWidth, 1, "a combining accent takes no column")
        XCTAssertEqual(Wrap.wrap(StyledLine("数据 数据 数据"), width: 9).map(\.text), ["数据 数据", "数据"])
        var screen = Screen(width: 6, height: 1)
        screen.write("a数据b", row: 0, column: 0)
        XCTAssertEqual(screen.lines, ["a数据b"])
        screen.write("数据数据", row: 0, column: 0)
        XCTAssertEqual(screen.lines, ["数据数据"].map { _ in "数据数" }, "a wide character that does not fit is left out")
    }

    func testLongWordsBreak() {
        let lines = Wrap.wrap(StyledLine("see Lessons/01-tensor/Exercise/Tensor.swift:12"), width: 16).map(\.text)
        XCTAssertEqual(lines, ["see", "Lessons/01-tenso", "r/Exercise/Tenso", "r.swift:12"])
    }
}
