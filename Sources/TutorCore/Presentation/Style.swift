import Foundation

/// Terminal text styling for the headless commands: colour only when writing to a terminal that
/// wants it (`wantsColor`).
public struct Style: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Whether the user lets programs use colour — the one rule for the headless commands and
    /// the full-screen app: not with `NO_COLOR` set to anything but the empty string (as
    /// https://no-color.org says: "when present and not an empty string"), nor with `TERM=dumb`.
    public static func wantsColor(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    /// Colour for standard output when it is a terminal.
    public static func forStandardOutput() -> Style {
        Style(enabled: wantsColor() && isatty(1) == 1)
    }

    public static let plain = Style(enabled: false)

    /// What a milestone program may draw pictures with when its words go to a terminal that
    /// `isTerminal` says it is (`TUTOR_MILESTONE_COLORS`): "none" without colour (`wantsColor`)
    /// or a terminal; "24bit" when `COLORTERM` says truecolor or 24bit; "256" for xterm-like and
    /// 256-colour terminals (tmux, screen, xterm…); else "none".
    public static func programColors(environment: [String: String] = ProcessInfo.processInfo.environment,
                                     isTerminal: Bool) -> String {
        guard isTerminal, wantsColor(environment: environment), let term = environment["TERM"] else { return "none" }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return "24bit" }
        let xtermLike = ["xterm", "tmux", "screen", "rxvt", "alacritty", "kitty", "wezterm", "foot"].contains { term.hasPrefix($0) }
        return term.contains("256") || xtermLike ? "256" : "none"
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func cyan(_ text: String) -> String { wrap(text, "36") }

    public func status(_ status: TestStatus) -> String {
        let text = "\(status.symbol) \(status.rawValue)"
        switch status {
        case .passed: return green(text)
        case .failed: return red(text)
        case .crashed, .timedOut, .didNotCompile: return yellow(text)
        }
    }
}
