import Foundation

/// Line charts drawn with braille dots: each terminal cell holds a 2 × 4 grid of dots, so a
/// 40 × 8 chart has 80 × 32 points of resolution — enough to watch a loss curve fall live.
public enum LineChart {
    /// Plots `values` (x: their index, spread over `slots` positions so the curve grows left to
    /// right as points arrive; y: from `range`, default the values' own min…max) into `height`
    /// rows of `width` braille characters. Consecutive points are joined. Non-finite values are
    /// skipped.
    public static func braille(_ values: [Double], width: Int, height: Int, slots: Int? = nil,
                               range: ClosedRange<Double>? = nil) -> [String] {
        guard width > 0, height > 0 else { return [] }
        let xDots = width * 2
        let yDots = height * 4
        var grid = Array(repeating: Array(repeating: UInt32(0), count: width), count: height)
        let finite = values.filter(\.isFinite)
        guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else {
            return grid.map { _ in String(repeating: " ", count: width) }
        }
        let count = max(slots ?? values.count, values.count)

        func point(_ index: Int, _ value: Double) -> (x: Int, y: Int) {
            let x = count <= 1 ? 0 : Int((Double(index) * Double(xDots - 1) / Double(count - 1)).rounded())
            let fraction = high > low ? (min(max(value, low), high) - low) / (high - low) : 0.5
            let y = (yDots - 1) - Int((fraction * Double(yDots - 1)).rounded())
            return (x, y)
        }
        func set(_ x: Int, _ y: Int) {
            guard x >= 0, x < xDots, y >= 0, y < yDots else { return }
            let bits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
            grid[y / 4][x / 2] |= bits[y % 4][x % 2]
        }

        var previous: (x: Int, y: Int)?
        for (index, value) in values.enumerated() {
            guard value.isFinite else { previous = nil; continue }
            let current = point(index, value)
            if let previous {
                // Bresenham's line from the previous point.
                var x0 = previous.x, y0 = previous.y
                let dx = abs(current.x - x0), dy = -abs(current.y - y0)
                let sx = x0 < current.x ? 1 : -1, sy = y0 < current.y ? 1 : -1
                var error = dx + dy
                while true {
                    set(x0, y0)
                    if x0 == current.x && y0 == current.y { break }
                    let doubled = 2 * error
                    if doubled >= dy { error += dy; x0 += sx }
                    if doubled <= dx { error += dx; y0 += sy }
                }
            } else {
                set(current.x, current.y)
            }
            previous = current
        }
        return grid.map { row in
            String(String.UnicodeScalarView(row.map { $0 == 0 ? " " : Unicode.Scalar(0x2800 + $0)! }))
        }
    }

    /// A chart with a title, y-axis labels (top and bottom values) and an x-axis: `height` rows of
    /// plot plus three (title, axis, labels), `width` columns in all.
    public static func framed(title: String, values: [Double], slots: Int?, width: Int, height: Int,
                              format: (Double) -> String, xLabel: String, style: TextStyle) -> [StyledLine] {
        let finite = values.filter(\.isFinite)
        let low = finite.min(), high = finite.max()
        let topLabel = high.map(format) ?? ""
        let bottomLabel = low.map(format) ?? ""
        let labelWidth = max(topLabel.terminalWidth, bottomLabel.terminalWidth, 1)
        let plotWidth = max(1, width - labelWidth - 2)
        var range: ClosedRange<Double>?
        if let low, let high { range = low == high ? (low - 1)...(high + 1) : low...high }
        let plot = braille(values, width: plotWidth, height: height, slots: slots, range: range)
        let axis = TextStyle(.muted)
        var lines: [StyledLine] = [StyledLine(title, TextStyle(bold: true))]
        for (row, dots) in plot.enumerated() {
            var label = ""
            if row == 0 { label = topLabel } else if row == height - 1 { label = bottomLabel }
            var line = StyledLine(String(repeating: " ", count: labelWidth - label.terminalWidth) + label, axis)
            line.append(row == 0 || row == height - 1 ? " ┤" : " │", axis)
            line.append(dots, style)
            lines.append(line)
        }
        lines.append(StyledLine(String(repeating: " ", count: labelWidth + 1) + "└" + String(repeating: "─", count: plotWidth), axis))
        // "1 … epoch … N" under the axis: the first and last slot, the axis's name in the middle.
        let last = "\(max(slots ?? values.count, values.count, 1))"
        let inner = max(0, plotWidth - 1 - last.count)
        let name = xLabel.count <= inner - 2 ? xLabel : ""
        let before = (inner - name.count) / 2
        let labels = String(repeating: " ", count: labelWidth + 2) + "1" + String(repeating: " ", count: before) + name
            + String(repeating: " ", count: inner - before - name.count) + last
        lines.append(StyledLine(labels, axis))
        return lines
    }
}
