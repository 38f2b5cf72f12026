// The command-line options of a milestone program: what comes after `--` in
// `swift run tutor milestone run mnist -- --epochs 10`.
import Foundation

/// A milestone program's options, each declared with what it does. Parsed when created:
/// `--help` prints them and ends the program; an unknown option or a bad value ends it with a
/// message and the list (exit 64, EX_USAGE) — a typo never starts a long run that ignores it.
public struct Options {
    public enum Kind { case number, decimal, text, flag }

    /// One option: `--name N` (a whole number) or `--name` (a flag), and its help text.
    public struct Declaration {
        let name: String
        let kind: Kind
        let help: String
        var minimum = 0

        /// `--name N`, a whole number of at least `minimum`.
        public static func number(_ name: String, _ help: String, minimum: Int = 0) -> Declaration {
            Declaration(name: name, kind: .number, help: help, minimum: minimum)
        }

        /// `--name X`, a number that may have a fraction (`0.8`), checked by the program.
        public static func decimal(_ name: String, _ help: String) -> Declaration {
            Declaration(name: name, kind: .decimal, help: help)
        }

        /// `--name TEXT`, any text (quote it in the shell when it has spaces).
        public static func text(_ name: String, _ help: String) -> Declaration {
            Declaration(name: name, kind: .text, help: help)
        }

        public static func flag(_ name: String, _ help: String) -> Declaration {
            Declaration(name: name, kind: .flag, help: help)
        }

        /// `--quick` for a milestone that is quick already: accepted, and the run is the full one.
        /// (The test suite passes `--quick` to every milestone for a smoke run.)
        public static let quickIsTheFullRun = flag(
            "quick", "the same full run: this milestone is quick already (for scripts that pass it to every milestone)")
    }

    private var numbers: [String: Int] = [:]
    private var decimals: [String: Double] = [:]
    private var texts: [String: String] = [:]
    private var flags: Set<String> = []

    /// Parses `arguments` (the program's own by default) for `program` (its milestone's name, as
    /// in `tutor milestone run <program>`).
    /// `command`: the word before the options for a program with several (`generate` in
    /// `… transformer -- generate --help`), named in the messages and the help.
    /// `footer`: more words after the list in the help (the program's other commands, say).
    public init(_ program: String, command: String? = nil, _ declarations: [Declaration], footer: String? = nil,
                arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        let usage = Options.usage(program, command: command, declarations) + (footer.map { "\n\n" + $0 } ?? "")
        let program = command.map { "\(program) \($0)" } ?? program
        func stop(_ message: String) -> Never {
            Report.say("\(program): \(message)\n\n\(usage)")
            exit(64)
        }
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" {
                Report.say(usage)
                exit(0)
            }
            guard argument.hasPrefix("--"),
                  let declaration = declarations.first(where: { "--\($0.name)" == argument }) else {
                stop("unknown option \"\(argument)\"")
            }
            switch declaration.kind {
            case .flag:
                flags.insert(declaration.name)
            case .number:
                guard let text = remaining.popFirst() else { stop("\(argument) needs a number") }
                guard let value = Int(text), value >= declaration.minimum else {
                    stop("\(argument) needs a whole number of \(declaration.minimum) or more, not \"\(text)\"")
                }
                numbers[declaration.name] = value
            case .decimal:
                guard let text = remaining.popFirst() else { stop("\(argument) needs a number") }
                guard let value = Double(text), value.isFinite else {
                    stop("\(argument) needs a number such as 0.8, not \"\(text)\"")
                }
                decimals[declaration.name] = value
            case .text:
                guard let text = remaining.popFirst() else { stop("\(argument) needs a value") }
                texts[declaration.name] = text
            }
        }
    }

    /// The value given with `--name`, or nil.
    public func number(_ name: String) -> Int? { numbers[name] }

    /// The number given with `--name` (a `.decimal` option), or nil.
    public func decimal(_ name: String) -> Double? { decimals[name] }

    /// The text given with `--name` (a `.text` option), or nil.
    public func text(_ name: String) -> String? { texts[name] }

    /// Whether `--name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    static func usage(_ program: String, command: String? = nil, _ declarations: [Declaration]) -> String {
        let words = command.map { "\($0) " } ?? ""
        var lines = [(command.map { "Options of `\($0)`" } ?? "Options of this milestone")
                     + " (after --, as in `swift run tutor milestone run \(program) -- \(words)--help`):"]
        let forms = declarations.map { declaration -> String in
            let value = [Kind.number: " N", .decimal: " X", .text: " TEXT"][declaration.kind] ?? ""
            return "--\(declaration.name)" + value
        }
        let width = max(14, (forms.map(\.count).max() ?? 0) + 2)
        for (form, declaration) in zip(forms, declarations) {
            lines.append("  " + form.padding(toLength: width, withPad: " ", startingAt: 0) + declaration.help)
        }
        return lines.joined(separator: "\n")
    }
}
