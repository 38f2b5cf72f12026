import Foundation

/// Turns a `swift build` log into the diagnostics a learner needs: errors first, each once, with
/// paths relative to the project. The compiler prints an error once per job that sees it (emitting
/// the module, compiling the file), so duplicates are dropped.
public enum CompilerDiagnostics {
    public static func parse(_ log: String, relativeTo project: Project? = nil) -> [CompilerDiagnostic] {
        var seen: Set<String> = []
        var errors: [CompilerDiagnostic] = []
        var warnings: [CompilerDiagnostic] = []
        for rawLine in log.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let diagnostic = parseLine(String(rawLine), project: project) else { continue }
            guard seen.insert(diagnostic.description + ":\(diagnostic.column)").inserted else { continue }
            if diagnostic.severity == .error { errors.append(diagnostic) } else { warnings.append(diagnostic) }
        }
        return errors + warnings
    }

    /// Parses `/path/File.swift:12:5: error: message`.
    static func parseLine(_ line: String, project: Project?) -> CompilerDiagnostic? {
        let severities: [(String, CompilerDiagnostic.Severity)] = [(": error: ", .error), (": warning: ", .warning)]
        for (marker, severity) in severities {
            guard let markerRange = line.range(of: marker) else { continue }
            let location = line[..<markerRange.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3,
                  let lineNumber = Int(location[location.count - 2]),
                  let column = Int(location[location.count - 1]) else { continue }
            let path = location[0..<(location.count - 2)].joined(separator: ":")
            guard path.hasSuffix(".swift") || path.hasSuffix(".h") || path.hasSuffix(".c") else { continue }
            let file = project?.relativePath(path) ?? path
            let message = String(line[markerRange.upperBound...])
            return CompilerDiagnostic(file: file, line: lineNumber, column: column, severity: severity, message: message)
        }
        return nil
    }

    /// When a build fails without any `file:line:` error (a linker error, a broken manifest),
    /// the lines that say why: `error:` lines and a few around them, at most `limit`.
    public static func otherErrors(_ log: String, limit: Int = 12) -> [String] {
        let lines = log.split(separator: "\n").map(String.init)
        let interesting = lines.filter {
            $0.contains("error:") && !$0.contains("command failed with exit code")
                || $0.contains("undefined reference") || $0.contains("Undefined symbols")
        }
        if !interesting.isEmpty { return Array(interesting.prefix(limit)) }
        return Array(lines.suffix(limit))
    }
}
