/// A line a program wrote for a terminal, ANSI escape sequences and all, as a styled line.
///
/// Milestone programs draw pictures with colour escapes (`ESC[38;5;n;48;5;nm▀`: the CIFAR-10
/// photos) when the tutor tells them its screen has colours (`TUTOR_MILESTONE_COLORS`). The
/// colours of SGR sequences — the 8 and 16 basic ones, 256-colour indices and 24-bit RGB (taken
/// to the nearest of the 256) — become `CellColors`; every other escape sequence and control
/// character is dropped, so nothing a program prints can move the cursor or garble the screen.
enum ANSIText {
    static func styledLine(_ text: String, base: TextStyle) -> StyledLine {
        var line = StyledLine()
        var colors = CellColors()
        var pending = ""
        func style() -> TextStyle {
            var style = base
            style.colors = colors == CellColors() ? nil : colors
            return style
        }
        func flush() {
            line.append(pending, style())
            pending = ""
        }
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar.value {
            case 0x1B:
                guard index < scalars.count else { break }
                let kind = scalars[index]
                index += 1
                if kind == "[" {
                    // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, a final byte.
                    var parameters = ""
                    while index < scalars.count, (0x20...0x3F).contains(scalars[index].value) {
                        parameters.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    guard index < scalars.count else { break }
                    let final = scalars[index]
                    index += 1
                    if final == "m" {
                        flush()
                        apply(parameters, to: &colors)
                    }
                } else if kind == "]" || kind == "P" || kind == "_" || kind == "^" {
                    // OSC, DCS, APC, PM: a string up to BEL or ESC \.
                    while index < scalars.count, scalars[index].value != 0x07, scalars[index].value != 0x1B {
                        index += 1
                    }
                    if index < scalars.count, scalars[index].value == 0x1B { index += 1 }
                    index += 1
                }
            case 0x09:
                pending += " "
            case 0x00..<0x20, 0x7F..<0xA0:
                break
            default:
                pending.unicodeScalars.append(scalar)
            }
        }
        flush()
        return line
    }

    /// Applies an SGR sequence's parameters ("38;5;196;48;2;0;0;255") to `colors`. Anything but
    /// colours (bold, underline, …) is ignored; "0" or "" resets.
    static func apply(_ parameters: String, to colors: inout CellColors) {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: ":", omittingEmptySubsequences: false) }
            .map { Int($0) ?? 0 }
        var index = 0
        while index < numbers.count {
            let code = numbers[index]
            index += 1
            switch code {
            case 0: colors = CellColors()
            case 30...37: colors.foreground = UInt8(code - 30)
            case 90...97: colors.foreground = UInt8(code - 90 + 8)
            case 39: colors.foreground = nil
            case 40...47: colors.background = UInt8(code - 40)
            case 100...107: colors.background = UInt8(code - 100 + 8)
            case 49: colors.background = nil
            case 38, 48:
                var color: UInt8?
                if index < numbers.count, numbers[index] == 5, index + 1 < numbers.count {
                    color = UInt8(clamping: numbers[index + 1])
                    index += 2
                } else if index < numbers.count, numbers[index] == 2, index + 3 < numbers.count {
                    color = nearestXterm256(red: numbers[index + 1], green: numbers[index + 2], blue: numbers[index + 3])
                    index += 4
                } else {
                    index = numbers.count  // malformed: ignore the rest
                }
                if code == 38 { colors.foreground = color } else { colors.background = color }
            default:
                break
            }
        }
    }

    /// The xterm-256 colour nearest to an RGB colour (0…255 each): of the 6 × 6 × 6 cube (16…231,
    /// levels 0, 95, 135, 175, 215, 255) or the 24 greys (232…255: 8, 18, …, 238), whichever is
    /// closer.
    static func nearestXterm256(red: Int, green: Int, blue: Int) -> UInt8 {
        let (r, g, b) = (min(max(red, 0), 255), min(max(green, 0), 255), min(max(blue, 0), 255))
        let levels = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ value: Int) -> Int {
            levels.indices.min { abs(levels[$0] - value) < abs(levels[$1] - value) }!
        }
        let (ri, gi, bi) = (nearestLevel(r), nearestLevel(g), nearestLevel(b))
        let greyIndex = min(23, max(0, ((r + g + b) / 3 - 8 + 5) / 10))
        let grey = 8 + 10 * greyIndex
        func distance(_ cr: Int, _ cg: Int, _ cb: Int) -> Int {
            (cr - r) * (cr - r) + (cg - g) * (cg - g) + (cb - b) * (cb - b)
        }
        return distance(grey, grey, grey) < distance(levels[ri], levels[gi], levels[bi])
            ? UInt8(232 + greyIndex) : UInt8(16 + 36 * ri + 6 * gi + bi)
    }
}
