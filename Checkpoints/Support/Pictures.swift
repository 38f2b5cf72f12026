// Colour pictures in the terminal, for the milestones that learn from images.
//
// Each character cell shows two pixels, one above the other: the upper half block "▀" in the
// top pixel's colour on the bottom pixel's colour as background. A 32 × 32 image is then 32
// columns by 16 rows. Where colour is not wanted (NO_COLOR, TERM=dumb, output to a file or a
// pipe) the picture is drawn with characters of more or less ink instead, " .:-=+*#%@", one per
// pixel pair, from the brightness.
import Foundation

/// How many colours the place this program's words are read supports.
public enum TerminalPalette: String, Sendable {
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`): each pixel exactly.
    case trueColor = "24bit"
    /// The 256 colours of xterm: each pixel the nearest of its 6 × 6 × 6 cube or 24 greys.
    case colors256 = "256"
    /// No colour: brightness as characters.
    case none

    /// The environment variable by which the tutor says what its screen can show: the tutor reads
    /// the program's output through a pipe (so the program's own terminal test cannot know), and
    /// decides by its terminal and `NO_COLOR`: "24bit", "256" or "none".
    public static let variable = "TUTOR_MILESTONE_COLORS"

    /// The palette to draw with: what the tutor says in `TUTOR_MILESTONE_COLORS`; else, run on
    /// its own, by standard error (where the pictures go) being a terminal, `NO_COLOR` (no colour
    /// when set to anything but "") and `TERM=dumb`, then `COLORTERM` and `TERM`.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment,
                               errorIsTerminal: Bool = isatty(2) == 1) -> TerminalPalette {
        if !(environment["NO_COLOR"] ?? "").isEmpty { return .none }
        if let told = environment[variable], let palette = TerminalPalette(rawValue: told) { return palette }
        guard errorIsTerminal, let term = environment["TERM"], term != "dumb" else { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .trueColor }
        return term.contains("256") || term.hasPrefix("tmux") || term.hasPrefix("screen") || term.hasPrefix("xterm")
            ? .colors256 : .none
    }
}

/// An RGB image as lines of text: `height / 2` lines of `width` columns.
///
/// `red`, `green`, `blue` are the image's three planes (row by row, `width × height` values each,
/// 0…1), as in the NCHW tensors of lesson 09 and the CIFAR-10 files. Every line ends with the
/// colour reset, so text after it is unaffected.
public func picture(red: ArraySlice<Float>, green: ArraySlice<Float>, blue: ArraySlice<Float>,
                    width: Int, height: Int, palette: TerminalPalette) -> [String] {
    let (r, g, b) = (Array(red), Array(green), Array(blue))
    precondition(r.count == width * height && g.count == r.count && b.count == r.count,
                 "picture: \(r.count), \(g.count), \(b.count) values for a \(width) × \(height) image")
    func byte(_ value: Float) -> Int { Int((min(max(value, 0), 1) * 255).rounded()) }
    func pixel(_ row: Int, _ column: Int) -> (Int, Int, Int) {
        let i = min(row, height - 1) * width + column
        return (byte(r[i]), byte(g[i]), byte(b[i]))
    }
    let ramp = Array(" .:-=+*#%@")
    var lines: [String] = []
    for row in stride(from: 0, to: height, by: 2) {
        var line = ""
        for column in 0..<width {
            let top = pixel(row, column), bottom = pixel(row + 1, column)
            switch palette {
            case .trueColor:
                line += "\u{1B}[38;2;\(top.0);\(top.1);\(top.2);48;2;\(bottom.0);\(bottom.1);\(bottom.2)m▀"
            case .colors256:
                line += "\u{1B}[38;5;\(xterm256(top));48;5;\(xterm256(bottom))m▀"
            case .none:
                // Rec. 601 luma of the two pixels' mean, 0…255 → one of the ten characters.
                let luma = (0.299 * Double(top.0 + bottom.0) + 0.587 * Double(top.1 + bottom.1)
                            + 0.114 * Double(top.2 + bottom.2)) / 2
                line.append(ramp[min(ramp.count - 1, Int(luma / 256 * Double(ramp.count)))])
            }
        }
        lines.append(palette == .none ? line : line + "\u{1B}[0m")
    }
    return lines
}

/// The xterm-256 colour nearest to `rgb` (0…255 each): one of the 6 × 6 × 6 cube (16…231, levels
/// 0, 95, 135, 175, 215, 255) or of the 24 greys (232…255, 8, 18, …, 238), whichever is closer.
public func xterm256(_ rgb: (Int, Int, Int)) -> Int {
    let levels = [0, 95, 135, 175, 215, 255]
    func nearestLevel(_ value: Int) -> Int {
        levels.indices.min { abs(levels[$0] - value) < abs(levels[$1] - value) }!
    }
    let (ri, gi, bi) = (nearestLevel(rgb.0), nearestLevel(rgb.1), nearestLevel(rgb.2))
    let cube = (levels[ri], levels[gi], levels[bi])
    let greyIndex = min(23, max(0, ((rgb.0 + rgb.1 + rgb.2) / 3 - 8 + 5) / 10))
    let grey = 8 + 10 * greyIndex
    func distance(_ c: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (c.0 - rgb.0, c.1 - rgb.1, c.2 - rgb.2)
        return dr * dr + dg * dg + db * db
    }
    return distance((grey, grey, grey)) < distance(cube) ? 232 + greyIndex : 16 + 36 * ri + 6 * gi + bi
}
