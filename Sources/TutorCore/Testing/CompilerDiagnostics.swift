import Foundation

/// Turns a `swift build` log into the diagnostics a learner needs: errors first, each once, with
/// paths relative to the project. The compiler prints an error once per job that sees it (emitting
/// the module, compiling the file), so duplicates are dropped. The `note:` lines after an error
/// are kept with it.
public enum CompilerDiagnostics {
    public static func parse(_ log: String, relativeTo project: Project? = nil) -> [CompilerDiagnostic] {
        var seen: Set<String> = []
        var kept: [CompilerDiagnostic] = []
        /// Where the notes that follow belong: the last diagnostic kept (nil after a duplicate).
        var owner: Int?
        func attach(_ note: String) {
            guard let owner else { return }
            let notes = kept[owner].notes ?? []
            // Swift 6 prints a note twice, on its own line and under the quoted source: keep one.
            let message = note.components(separatedBy: " (").first ?? note
            guard !notes.contains(where: { $0.hasPrefix(message) }) else { return }
            kept[owner].notes = notes + [note]
        }
        var droppingQuotedNotes = false  // under a dropped note, its quoted copy goes too
        for rawLine in log.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine)
            if let note = parseNote(line, project: project) {
                if note.quoted {
                    if !droppingQuotedNotes { attach(note.text) }
                } else if note.text.isEmpty {
                    droppingQuotedNotes = true
                } else {
                    droppingQuotedNotes = false
                    attach(note.text)
                }
                continue
            }
            guard let diagnostic = parseLine(line, project: project) else { continue }
            droppingQuotedNotes = false
            guard seen.insert(diagnostic.description + ":\(diagnostic.column)").inserted else { owner = nil; continue }
            kept.append(diagnostic)
            owner = kept.count - 1
        }
        return kept.filter { $0.severity == .error } + kept.filter { $0.severity != .error }
    }

    /// A compiler note, as `note: message`, with `(file:line)` when it points elsewhere in the
    /// project. Swift 6 prints notes two ways: on a line of their own,
    /// `/path/File.swift:12:5: note: message`, and under the quoted source line,
    /// `    |    `- note: message` (`quoted`). Nil when `line` is no note; text "" for a note to drop
    /// (one that points into Swift's own interfaces, like "'min' declared here").
    static func parseNote(_ line: String, project: Project?) -> (text: String, quoted: Bool)? {
        guard let markerRange = line.range(of: "- note: ") ?? line.range(of: ": note: ") else { return nil }
        let message = "note: " + line[markerRange.upperBound...]
        let before = line[..<markerRange.lowerBound]
        if before.hasSuffix("`") || before.hasSuffix("|") {
            // Under the quoted source: only spaces, digits and box characters come before it.
            let box = before.dropLast()
            guard box.allSatisfy({ $0 == " " || $0 == "|" || $0.isNumber }) else { return nil }
            return (message, true)
        }
        let location = before.split(separator: ":", omittingEmptySubsequences: false)
        guard location.count >= 3, let lineNumber = Int(location[location.count - 2]) else { return ("", false) }
        let path = location[0..<(location.count - 2)].joined(separator: ":")
        guard path.hasSuffix(".swift") else { return ("", false) }
        let file = project?.relativePath(path) ?? path
        if project != nil && file.hasPrefix("/") { return ("", false) }
        return (message + " (\(file):\(lineNumber))", false)
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
