// Small terminal pictures for the milestones: a 2-D decision map.

/// Draws the plane [low, high]² as characters: `#` where `decides(x, y)` says yes, `·` where it
/// says no, and the labelled points on top (`●` for label 1, `○` for label 0).
///
///     x₂ 1.5 ┤ · · · # # #
///            …
///            └────────────
///             -0.5       1.5 x₁
public func decisionMap(
    low: Float = -0.5, high: Float = 1.5, columns: Int = 33, rows: Int = 13,
    points: [(x: Float, y: Float, label: Int)], decides: (Float, Float) -> Bool
) -> String {
    var lines: [String] = []
    let step = (high - low) / Float(columns - 1)
    let rowStep = (high - low) / Float(rows - 1)
    for row in 0..<rows {
        let y = high - Float(row) * rowStep
        var line = ""
        for column in 0..<columns {
            let x = low + Float(column) * step
            if let point = points.first(where: { abs($0.x - x) < step / 2 && abs($0.y - y) < rowStep / 2 }) {
                line += point.label == 1 ? "●" : "○"
            } else {
                line += decides(x, y) ? "#" : "·"
            }
        }
        let label = row == 0 ? String(format: "%5.1f", high) : row == rows - 1 ? String(format: "%5.1f", low) : "     "
        lines.append("  \(row == 0 ? "x₂" : "  ") \(label) ┤ \(line)")
    }
    lines.append("           └─" + String(repeating: "─", count: columns))
    let axis = String(format: "%-5.1f", low) + String(repeating: " ", count: max(0, columns - 8)) + String(format: "%5.1f", high)
    lines.append("            \(axis) x₁")
    return lines.joined(separator: "\n")
}
