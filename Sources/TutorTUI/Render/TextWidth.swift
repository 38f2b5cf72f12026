// How many terminal columns text takes. East Asian wide characters and emoji take two, combining
// marks and zero-width characters none, everything else one — the rules of glibc's wcwidth, which
// ncurses uses, so a rendered screen lines up with what ncurses draws. Kept pure (no locale), so
// render tests give the same answer everywhere.

extension Unicode.Scalar {
    /// Columns this scalar takes on its own: 0, 1 or 2.
    var terminalWidth: Int {
        let value = self.value
        if value == 0 { return 0 }
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x300 { return 1 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0xFE00...0xFE0F).contains(value) || value == 0x200B { return 0 }
        if (0x1160...0x11FF).contains(value) { return 0 }   // Hangul medial vowels and finals
        if Self.isWide(value) { return 2 }
        return 1
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F320,
             0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
             0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440,
             0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A,
             0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC,
             0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
             0x1F7E0...0x1F7EB, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
             0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

extension Character {
    /// Columns this character (a grapheme cluster) takes: its widest scalar decides.
    var terminalWidth: Int {
        if let ascii = asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        return unicodeScalars.map(\.terminalWidth).max() ?? 0
    }
}

extension StringProtocol {
    /// Columns this text takes on a terminal.
    var terminalWidth: Int {
        var width = 0
        for character in self { width += character.terminalWidth }
        return width
    }

    /// The longest prefix that fits in `columns`.
    func prefix(columns: Int) -> String {
        var width = 0
        var out = ""
        for character in self {
            let next = character.terminalWidth
            if width + next > columns { break }
            width += next
            out.append(character)
        }
        return out
    }
}

extension String {
    /// Pads with spaces (or cuts, ending in "…") to exactly `columns`.
    func fitted(to columns: Int) -> String {
        let width = terminalWidth
        if width <= columns { return self + String(repeating: " ", count: columns - width) }
        guard columns > 0 else { return "" }
        let cut = prefix(columns: columns - 1) + "…"
        return cut + String(repeating: " ", count: columns - cut.terminalWidth)
    }

    /// Cuts to at most `columns`, ending in "…" when something was cut.
    func truncated(to columns: Int) -> String {
        if terminalWidth <= columns { return self }
        guard columns > 0 else { return "" }
        return prefix(columns: columns - 1) + "…"
    }
}
