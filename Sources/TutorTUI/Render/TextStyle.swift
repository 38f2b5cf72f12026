/// How a piece of text looks, by meaning: the terminal adapter maps each tone to a colour where
/// the terminal has colours (and `NO_COLOR` is not set), and to plain attributes where it has not
/// (so a monochrome screen still shows what passed, what failed and what is selected).
public struct TextStyle: Hashable, Sendable {
    public enum Tone: Hashable, Sendable, CaseIterable {
        case normal
        /// Titles, keys, the selection marker.
        case accent
        case success
        case failure
        case warning
        /// Secondary text: summaries, hints about keys.
        case muted
        /// Swift keywords in code.
        case keyword
        /// String and number literals in code.
        case literal
        /// Comments in code.
        case comment
        /// Type names in code.
        case type
    }

    public var tone: Tone
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    /// Exact colours, from a milestone program's output (its pictures): when the terminal has 256
    /// colours they replace the tone's; elsewhere the tone stands.
    public var colors: CellColors?

    public init(_ tone: Tone = .normal, bold: Bool = false, underline: Bool = false, reverse: Bool = false,
                colors: CellColors? = nil) {
        self.tone = tone
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.colors = colors
    }

    public static let plain = TextStyle()
    public static let strong = TextStyle(bold: true)
    public static let accent = TextStyle(.accent)
    public static let success = TextStyle(.success)
    public static let failure = TextStyle(.failure)
    public static let warning = TextStyle(.warning)
    public static let muted = TextStyle(.muted)

    public func bolded() -> TextStyle { var copy = self; copy.bold = true; return copy }
    public func reversed() -> TextStyle { var copy = self; copy.reverse = true; return copy }
    public func underlined() -> TextStyle { var copy = self; copy.underline = true; return copy }
}

/// A foreground and a background from xterm's 256 colours (0–15 the basic and bright colours,
/// 16–231 a 6 × 6 × 6 cube, 232–255 greys); nil is the terminal's default.
public struct CellColors: Hashable, Sendable {
    public var foreground: UInt8?
    public var background: UInt8?

    public init(foreground: UInt8? = nil, background: UInt8? = nil) {
        self.foreground = foreground
        self.background = background
    }
}
