// The one type that talks to ncurses. Everything else draws into a `Screen` value; this adapter
// puts a screen on the terminal, reads keys, and restores the terminal when the app ends.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
import Foundation
import TutorCore

/// What reading the keyboard can give.
enum TerminalInput: Equatable {
    case key(Key)
    case resize(Size)
}

enum TerminalError: LocalizedError {
    case cannotStart(term: String)

    var errorDescription: String? {
        switch self {
        case .cannotStart(let term):
            return "cannot start the full-screen tutor: the terminal type '\(term)' is unknown to ncurses. "
                + "Try TERM=xterm-256color, or use the headless commands (tutor --help)."
        }
    }
}

final class NcursesTerminal {
    private var screenPointer: OpaquePointer?
    private var useColor = false
    private var mutedIsColor = false
    private var pairs: [TextStyle.Tone: Int32] = [:]
    /// The terminal's default background (-1) where it has one, else black.
    private var defaultBackground: Int16 = -1
    /// Pairs made on demand for exact colours (a milestone's pictures), from `nextPair` up to
    /// `pairLimit`; when they run out, further colours show their tone instead.
    private var cellPairs: [CellColors: Int32] = [:]
    private var nextPair: Int32 = 1
    private var pairLimit: Int32 = 0

    /// What a milestone program may draw with (`TUTOR_MILESTONE_COLORS`): 256 colours when this
    /// screen shows them, else none — the program then draws its pictures in characters.
    var programColors: String { useColor && tt_colors() >= 256 ? "256" : "none" }


    /// Takes over the terminal: alternate screen, no echo, keys one at a time.
    func start() throws {
        setlocale(LC_ALL, "")
        tt_install_crash_restore()
        guard let screen = newterm(nil, tt_stdout(), tt_stdin()) else {
            throw TerminalError.cannotStart(term: ProcessInfo.processInfo.environment["TERM"] ?? "(not set)")
        }
        screenPointer = screen
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        keypad(tt_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        useColor = Style.wantsColor() && has_colors()
        if useColor { setUpColors() }
    }

    /// Gives the terminal back as it was. Safe to call more than once.
    func stop() {
        guard let screen = screenPointer else { return }
        curs_set(1)
        endwin()
        delscreen(screen)
        screenPointer = nil
        fflush(tt_stdout())
    }

    var size: Size { Size(width: Int(tt_cols()), height: Int(tt_lines())) }

    /// Waits up to `milliseconds` for a key, or until `wakeUp` (a descriptor) is readable; nil
    /// when no key came.
    func read(timeout milliseconds: Int32, wakeUp: Int32?) -> TerminalInput? {
        guard let wakeUp, milliseconds > 0 else { return read(timeout: milliseconds) }
        if let input = read(timeout: 0) { return input }  // keys ncurses has already read
        var descriptors = [pollfd(fd: fileno(tt_stdin()), events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeUp, events: Int16(POLLIN), revents: 0)]
        _ = poll(&descriptors, 2, milliseconds)  // a signal (a resize) ends it early too
        return read(timeout: 0)
    }

    /// Waits up to `milliseconds` for a key; nil when none came.
    func read(timeout milliseconds: Int32) -> TerminalInput? {
        wtimeout(tt_stdscr(), milliseconds)
        var character: wint_t = 0
        let status = wget_wch(tt_stdscr(), &character)
        if status == tt_err() { return nil }
        let code = Int32(bitPattern: UInt32(character))
        if status == tt_key_code_yes() {
            if code == tt_key_resize() { return .resize(size) }
            switch code {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_BTAB: return .key(.backTab)
            default: return nil
            }
        }
        switch code {
        case 3: return .key(.interrupt)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)), code >= 32 else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// Puts `screen` on the terminal (ncurses sends only what changed).
    func draw(_ screen: Screen) {
        let window = tt_stdscr()
        let rows = min(screen.height, Int(tt_lines()))
        let columns = min(screen.width, Int(tt_cols()))
        for row in 0..<rows {
            var column = 0
            while column < columns {
                let style = screen[row, column].style
                var text = ""
                var end = column
                while end < columns, screen[row, end].style == style {
                    text += screen[row, end].text
                    end += 1
                }
                let (attributes, pair) = attributes(style)
                tt_attr_set(window, attributes, pair)
                mvwaddstr(window, Int32(row), Int32(column), text)
                column = end
            }
        }
        tt_attr_set(window, tt_a_normal(), 0)
        wrefresh(window)
    }

    // MARK: Colours

    private func setUpColors() {
        start_color()
        let background: Int16 = use_default_colors() == tt_ok() ? -1 : Int16(COLOR_BLACK)
        mutedIsColor = tt_colors() >= 16
        let foregrounds: [(TextStyle.Tone, Int32)] = [
            (.accent, COLOR_CYAN), (.success, COLOR_GREEN), (.failure, COLOR_RED), (.warning, COLOR_YELLOW),
            (.keyword, COLOR_MAGENTA), (.literal, COLOR_GREEN), (.type, COLOR_BLUE),
            // Without a grey, muted text is the default colour, dimmed.
            (.muted, mutedIsColor ? 8 : Int32(background)), (.comment, mutedIsColor ? 8 : Int32(background)),
        ]
        for (index, (tone, foreground)) in foregrounds.enumerated() {
            let pair = Int16(index + 1)
            init_pair(pair, Int16(foreground), background)
            pairs[tone] = Int32(pair)
        }
        defaultBackground = background
        nextPair = Int32(foregrounds.count + 1)
        pairLimit = tt_colors() >= 256 ? min(tt_color_pairs(), 32767) : 0
    }

    /// The colour pair of exact colours, made the first time they are asked for; nil when the
    /// terminal has fewer than 256 colours or the pairs have run out.
    private func pair(for colors: CellColors) -> Int32? {
        if let pair = cellPairs[colors] { return pair }
        guard nextPair < pairLimit else { return nil }
        let pair = nextPair
        init_pair(Int16(pair), colors.foreground.map { Int16($0) } ?? (defaultBackground == -1 ? -1 : Int16(COLOR_WHITE)), colors.background.map { Int16($0) } ?? defaultBackground)
        cellPairs[colors] = pair
        nextPair += 1
        return pair
    }

    /// The ncurses attributes and colour pair of a style: a colour pair where colours are on
    /// (exact colours first, when the terminal can show them), else plain attributes that keep
    /// the meaning on a monochrome screen.
    private func attributes(_ style: TextStyle) -> (attributes: Int32, pair: Int32) {
        var value = tt_a_normal()
        var pair: Int32 = 0
        if useColor {
            if let colors = style.colors, let exact = self.pair(for: colors) {
                pair = exact
            } else {
                pair = pairs[style.tone] ?? 0
                if (style.tone == .muted || style.tone == .comment) && !mutedIsColor { value |= tt_a_dim() }
            }
        } else {
            switch style.tone {
            case .accent, .failure, .warning, .keyword: value |= tt_a_bold()
            case .muted, .comment: value |= tt_a_dim()
            case .normal, .success, .literal, .type: break
            }
        }
        if style.bold { value |= tt_a_bold() }
        if style.underline { value |= tt_a_underline() }
        if style.reverse { value |= tt_a_reverse() }
        return (value, pair)
    }
}
