import Foundation

/// Reads the message a crashing Swift program prints on its way out — for a test that crashed
/// (`XCTestOutput`) and for a milestone program that did (`MilestoneRunner`).
public enum SwiftCrash {
    /// What a crash said, and where in the learner's files it happened (when the runtime says).
    public struct Report: Sendable, Equatable {
        /// `TODO(lesson 01): implement todo()`, `Precondition failed: …`
        public var message: String
        /// `Lessons/01-tensor/Exercise/Tensor.swift:12`, relative to the project.
        public var location: String?

        public init(message: String, location: String? = nil) {
            self.message = message
            self.location = location
        }

        /// The message and its place, as a learner reads them.
        public var text: String { message + (location.map { " — \($0)" } ?? "") }
    }

    /// The Swift runtime's last words: `TinyTorchTensor/Tensor.swift:12: Fatal error: TODO(…)`
    /// becomes `TODO(…) — Lessons/01-tensor/Exercise/Tensor.swift:12`. Handles fatal errors,
    /// preconditions and assertions, and a failed allocation. With `labellingFatalErrors`, a
    /// fatal error keeps its `Fatal error: ` label, as preconditions and assertions keep theirs
    /// (a test result says "crashed" already; a milestone's problem line does not).
    public static func message(in output: String, project: Project?, labellingFatalErrors: Bool = false) -> String? {
        report(in: output, project: project, labellingFatalErrors: labellingFatalErrors)?.text
    }

    /// The crash's message and location, as data.
    public static func report(in output: String, project: Project?, labellingFatalErrors: Bool = false) -> Report? {
        let kinds = ["Fatal error: ", "Precondition failed: ", "Assertion failed: "]
        for line in output.split(separator: "\n") {
            for kind in kinds {
                guard let range = line.range(of: kind) else { continue }
                let text = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                let prefix = kind == "Fatal error: " && !labellingFatalErrors ? "" : kind
                var location = String(line[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
                if location.hasSuffix(":") { location.removeLast() }
                let message = (prefix + (text.isEmpty ? "fatal error" : text))
                guard !location.isEmpty, !location.hasPrefix("Swift/") else { return Report(message: message) }
                let parts = location.split(separator: ":")
                let file = String(parts.first ?? "")
                let shown = project?.sourcePath(forFileID: file) ?? file
                let lineNumber = parts.count > 1 ? ":\(parts[1])" : ""
                return Report(message: message, location: shown + lineNumber)
            }
        }
        return nil
    }
}
