// The command-line options of a milestone program: what comes after `--` in
// `swift run tutor milestone run mnist -- --epochs 10`.
import Foundation

/// A milestone program's options, each declared with what it does. Parsed when created:
/// `--help` prints them and ends the program; an unknown option or a bad value ends it with a
/// message and the list (exit 64, EX_USAGE) — a typo never starts a long run that ignores it.
public struct Options {
    public enum Kind { case number, flag }

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

        public static func flag(_ name: String, _ help: String) -> Declaration {
            Declaration(name: name, kind: .flag, help: help)
        }

        /// `--quick` for a milestone that is quick already: accepted, and the run is the full one.
        /// (The test suite passes `--quick` to every milestone for a smoke run.)
        public static let quickIsTheFullRun = flag(
            "quick", "the same full run: this milestone is quick already (for scripts that pass it to every milestone)")
    }

    private var numbers: [String: Int] = [:]
    private var flags: Set<String> = []

    /// Parses `arguments` (the program's own by default) for `program` (its milestone's name, as
    /// in `tutor milestone run <program>`).
    public init(_ program: String, _ declarations: [Declaration],
                arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        let usage = Options.usage(program, declarations)
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
            }
        }
    }

    /// The value given with `--name`, or nil.
    public func number(_ name: String) -> Int? { numbers[name] }

    /// Whether `--name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    static func usage(_ program: String, _ declarations: [Declaration]) -> String {
        var lines = ["Options of this milestone (after --, as in `swift run tutor milestone run \(program) -- --help`):"]
        for declaration in declarations {
            let form = "--\(declaration.name)" + (declaration.kind == .number ? " N" : "")
            lines.append("  " + form.padding(toLength: 14, withPad: " ", startingAt: 0) + declaration.help)
        }
        return lines.joined(separator: "\n")
    }
}
