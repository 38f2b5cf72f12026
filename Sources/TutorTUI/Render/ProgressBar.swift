/// A horizontal bar filled to a fraction, with eighth-block precision: `████▌░░░░`.
public enum ProgressBar {
    public static func line(_ fraction: Double, width: Int, filled: TextStyle = TextStyle(.accent)) -> StyledLine {
        guard width > 0 else { return .empty }
        let clamped = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let eighths = Int((clamped * Double(width * 8)).rounded())
        let full = eighths / 8
        let partial = eighths % 8
        var line = StyledLine(String(repeating: "█", count: full), filled)
        if partial > 0 { line.append(String(["▏", "▎", "▍", "▌", "▋", "▊", "▉"][partial - 1]), filled) }
        line.append(String(repeating: "░", count: width - full - (partial > 0 ? 1 : 0)), TextStyle(.muted))
        return line
    }
}
