import Foundation

/// Reads the message a crashing Swift program prints on its way out — for a test that crashed
/// (`XCTestOutput`) and for a milestone program that did (`MilestoneRunner`) — and the backtrace
/// Swift's backtracer writes, for where in the learner's files it happened.
public enum SwiftCrash {
    /// What a crash said, and where in the learner's files it happened (when the runtime says).
    public struct Report: Sendable, Equatable, Codable {
        /// `TODO(lesson 01): implement todo()`, `Precondition failed: …`
        public var message: String
        /// `Lessons/01-tensor/Exercise/Tensor.swift:12`, relative to the project.
        public var location: String?
        /// Where the crashing code was called from, innermost first: the learner's lesson files
        /// and the milestone program (`Lessons/03-layers/Exercise/Linear.swift:130`,
        /// `Checkpoints/01-perceptron/main.swift:39`), from a backtrace. Empty without one.
        public var calledFrom: [String]

        public init(message: String, location: String? = nil, calledFrom: [String] = []) {
            self.message = message
            self.location = location
            self.calledFrom = calledFrom
        }

        /// The message and its place, as a learner reads them.
        public var text: String {
            message + (location.map { " — \($0)" } ?? "")
                + (calledFrom.isEmpty ? "" : ", called from " + calledFrom.joined(separator: " ← "))
        }
    }

    /// The Swift runtime's last words: `TinyTorchTensor/Tensor.swift:12: Fatal error: TODO(…)`
    /// becomes `TODO(…) — Lessons/01-tensor/Exercise/Tensor.swift:12`. Handles fatal errors,
    /// preconditions and assertions, and a failed allocation. With `labellingFatalErrors`, a
    /// fatal error keeps its `Fatal error: ` label, as preconditions and assertions keep theirs
    /// (a test result says "crashed" already; a milestone's problem line does not).
    public static func message(in output: String, project: Project?, labellingFatalErrors: Bool = false) -> String? {
        report(in: output, project: project, labellingFatalErrors: labellingFatalErrors)?.text
    }

    /// The crash's message and location, as data. The location is printed as a `#fileID`
    /// (`TinyTorchTensor/Tensor.swift`, the default of `fatalError`) or as a full path (the
    /// lessons' `require`, compiled in Swift 5 mode, where `#file` is the path).
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
                let shown = file.hasPrefix("/")
                    ? project?.relativePath(file) ?? file
                    : project?.sourcePath(forFileID: file) ?? file
                let lineNumber = parts.count > 1 ? ":\(parts[1])" : ""
                return Report(message: message, location: shown + lineNumber)
            }
        }
        return nil
    }

    // MARK: - Backtraces

    /// The value of `SWIFT_BACKTRACE` that makes a crashing program write a plain backtrace of
    /// its crashed thread, symbolicated with files and lines, to `path` (standard error when
    /// nil): no colours, no registers, no image list, no prompt.
    public static func backtraceSetting(outputTo path: String? = nil) -> String {
        "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,sanitize=no"
            + (path.map { ",output-to=\($0)" } ?? "")
    }

    /// The line the runtime prints on standard error while it writes a backtrace elsewhere
    /// (`*** Signal 4: Backtracing from 0x55aa095bfb3a... done ***`): nothing for a learner.
    public static func isBacktracerNotice(_ line: String) -> Bool {
        line.hasPrefix("*** Signal ") && line.contains("Backtracing from")
    }

    /// Every source place in a backtrace, innermost first, relative to the project when inside
    /// it: frames look like
    /// `4 [ra] 0x… Linear.callAsFunction(_:) + 120 in MilestonePerceptron at /…/Lessons/03-layers/Exercise/Linear.swift:130:29`
    /// (or `at Lessons/…`, relative, for some inlined frames). Frames without a place
    /// (`at //<compiler-generated>`, system libraries) are left out.
    public static func places(inBacktrace output: String, project: Project) -> [String] {
        output.split(separator: "\n").compactMap { line in
            guard let at = line.range(of: " at ", options: .backwards) else { return nil }
            let parts = line[at.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: ":")
            guard parts.count >= 2, let lineNumber = Int(parts[1]), !parts[0].hasPrefix("//") else { return nil }
            return "\(project.relativePath(String(parts[0]))):\(lineNumber)"
        }
    }

    /// The places in a backtrace that a learner wrote or reads: their lessons (not the given
    /// `Provided/` code) and the milestone programs (not their shared `Checkpoints/Support`),
    /// innermost first, without repeats in a row.
    public static func learnerPlaces(inBacktrace output: String, project: Project) -> [String] {
        var result: [String] = []
        for place in places(inBacktrace: output, project: project) {
            let lesson = place.hasPrefix("Lessons/") && !place.contains("/Provided/")
            let milestone = place.hasPrefix("Checkpoints/") && !place.hasPrefix("Checkpoints/Support/")
            if (lesson || milestone) && result.last != place { result.append(place) }
        }
        return result
    }

    /// `report` completed from a backtrace: where it names no place, the first learner place is
    /// the location; the next few places, after the location, are where it was called from. A
    /// crash with no message at all (a failed `precondition`, an index out of range or an
    /// overflow, in a release build) gets one that says so.
    public static func report(_ report: Report?, completedBy backtrace: String, project: Project,
                              callers: Int = 3) -> Report? {
        let places = learnerPlaces(inBacktrace: backtrace, project: project)
        guard report != nil || !places.isEmpty else { return nil }
        var completed = report ?? Report(message: noMessage)
        if completed.location == nil { completed.location = places.first }
        let after = completed.location.flatMap { places.firstIndex(of: $0) }.map { places[($0 + 1)...] }
            ?? places[...]
        completed.calledFrom = Array(after.filter { $0 != completed.location }.prefix(callers))
        return completed
    }

    /// What a release build's silent trap means, for a crash that printed nothing.
    public static let noMessage = "stopped without a message (in a release build a failed `precondition`, an index "
        + "out of range or an arithmetic overflow prints none; `require` prints its message)"
}
