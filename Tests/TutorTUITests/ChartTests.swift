import XCTest
@testable import TutorTUI

final class ChartTests: XCTestCase {
    func testBrailleLineFallsFromTopLeftToBottomRight() {
        // Two cells wide, one high: 4 × 4 dots; a straight falling line lights the diagonal.
        XCTAssertEqual(LineChart.braille([3, 2, 1, 0], width: 2, height: 1), ["⠑⢄"])
        // Two points far apart are joined by a line.
        XCTAssertEqual(LineChart.braille([0, 3], width: 2, height: 1), ["⡠⠊"])
    }

    func testPointsFillSlotsLeftToRightAsTheyArrive() {
        // 4 of 8 epochs: the curve covers the left half only.
        let rows = LineChart.braille([4, 3, 2, 1], width: 8, height: 2, slots: 8, range: 0...4)
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows.allSatisfy { $0.count == 8 })
        XCTAssertTrue(rows.allSatisfy { $0.suffix(4).allSatisfy { $0 == " " } }, "\(rows)")
    }

    func testNonFiniteValuesAreSkippedAndEmptySeriesDrawNothing() {
        XCTAssertEqual(LineChart.braille([], width: 3, height: 1), ["   "])
        XCTAssertEqual(LineChart.braille([.nan, .infinity], width: 3, height: 1), ["   "])
        let rows = LineChart.braille([1, .nan, 1], width: 2, height: 1, range: 0...2)
        XCTAssertEqual(rows[0].count, 2)
    }

    func testFramedChartHasLabelsAndAxes() {
        let lines = LineChart.framed(title: "Loss", values: [2, 1, 0.5], slots: 4, width: 20, height: 3,
                                     format: { String(format: "%.1f", $0) }, xLabel: "epoch", style: .plain).map(\.text)
        XCTAssertEqual(lines.count, 3 + 3)
        XCTAssertEqual(lines[0], "Loss")
        XCTAssertTrue(lines[1].hasPrefix("2.0 ┤"))
        XCTAssertTrue(lines[3].hasPrefix("0.5 ┤"))
        XCTAssertTrue(lines[4].hasPrefix("    └────"))
        XCTAssertTrue(lines[5].hasPrefix("     1") && lines[5].hasSuffix("4"), lines[5])
        XCTAssertTrue(lines[5].contains("epoch"))
        XCTAssertTrue(lines.allSatisfy { $0.terminalWidth <= 20 })
    }

    func testProgressBarUsesEighths() {
        XCTAssertEqual(ProgressBar.line(0, width: 4).text, "░░░░")
        XCTAssertEqual(ProgressBar.line(0.5, width: 4).text, "██░░")
        XCTAssertEqual(ProgressBar.line(0.5625, width: 4).text, "██▎░")
        XCTAssertEqual(ProgressBar.line(1, width: 4).text, "████")
        XCTAssertEqual(ProgressBar.line(7, width: 4).text, "████", "clamped")
        XCTAssertEqual(ProgressBar.line(.nan, width: 2).text, "░░")
    }
}
