import Foundation

/// A lesson's progressive hints, read from its `hints.md`: each `## ` section is one hint.
///
/// A hint says which tests it helps with, and which compiler errors it foresees, in comment lines
/// that are not shown to the learner:
///
///     ## flatIndex and the subscript
///     <!-- tests: flatIndex subscript -->
///     <!-- compile error: cannot call value of non-function type -->
///
/// so that `h` and `tutor hint` open the hint about the test that fails first (or about the
/// error the build stopped at), not the next one in course order.
public struct Hints: Sendable, Equatable {
    public struct Hint: Sendable, Equatable {
        public var title: String
        public var body: String
        /// The tests this hint is about, as `Hints.matches(test:entry:)` reads them.
        public var tests: [String]
        /// Words of compiler errors this hint explains ("cannot call value of non-function type").
        public var compileErrors: [String]

        public init(title: String, body: String, tests: [String] = [], compileErrors: [String] = []) {
            self.title = title
            self.body = body
            self.tests = tests
            self.compileErrors = compileErrors
        }
    }

    public var hints: [Hint]

    public init(hints: [Hint]) { self.hints = hints }

    /// Parses Markdown: text before the first `## ` heading (the `# ` title) is ignored; a `## `
    /// inside a fenced code block does not start a hint. `<!-- tests: … -->` and
    /// `<!-- compile error: … -->` lines are read and left out of the body.
    public init(markdown: String) {
        var hints: [Hint] = []
        var current: Hint?
        var body: [Substring] = []
        var inFence = false
        func finish() {
            guard var hint = current else { return }
            hint.body = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            hints.append(hint)
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.hasPrefix("## ") {
                finish()
                current = Hint(title: line.dropFirst(3).trimmingCharacters(in: .whitespaces), body: "")
                body = []
            } else if current != nil {
                if !inFence, let (key, value) = Self.annotation(line) {
                    switch key {
                    case "tests": current?.tests += value.split(separator: " ").map(String.init)
                    case "compile error": current?.compileErrors.append(value)
                    default: body.append(line)
                    }
                } else {
                    body.append(line)
                }
            }
        }
        finish()
        self.hints = hints
    }

    /// `<!-- key: value -->` on a line of its own, as (key, value); nil for any other line.
    private static func annotation(_ line: Substring) -> (String, String)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), let colon = trimmed.firstIndex(of: ":") else { return nil }
        let key = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 4)..<colon].trimmingCharacters(in: .whitespaces)
        let value = trimmed[trimmed.index(after: colon)..<trimmed.index(trimmed.endIndex, offsetBy: -3)]
            .trimmingCharacters(in: .whitespaces)
        return (key.lowercased(), value)
    }

    // MARK: Which hint is about what

    /// A test's topic, the part of its name a hint refers to: `test_unit_flatIndex_errorNames…`
    /// → `flatIndex_errorNames…`; `test_module` → `module`.
    public static func topic(ofTest name: String) -> String {
        if name == "test_module" { return "module" }
        for prefix in ["test_unit_", "test_"] where name.hasPrefix(prefix) { return String(name.dropFirst(prefix.count)) }
        return name
    }

    /// Whether a hint's `tests:` entry covers the test `name`. An entry is a subject, the first
    /// word of a topic (`flatIndex` covers `test_unit_flatIndex_errorNamesIndexAndShape`), a
    /// longer start of a topic (`safetensors_encode`), or a pattern with `*`
    /// (`*recordsOp*`); `module` is `test_module`.
    public static func matches(test name: String, entry: String) -> Bool {
        let topic = topic(ofTest: name)
        if entry.contains("*") { return wildcard(entry, matches: topic) }
        return topic == entry || topic.hasPrefix(entry + "_")
    }

    private static func wildcard(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text)
        for (position, part) in parts.enumerated() where !part.isEmpty {
            if position == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if position == parts.count - 1 {
                return rest.hasSuffix(part)
            } else {
                guard let range = rest.range(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
        }
        return true
    }

    /// The hints about test `name`, in course order.
    public func indices(forTest name: String) -> [Int] {
        hints.indices.filter { index in hints[index].tests.contains { Self.matches(test: name, entry: $0) } }
    }

    /// The hints that foresee a compiler error with this message, in course order.
    public func indices(forCompileError message: String) -> [Int] {
        let lowered = message.lowercased()
        return hints.indices.filter { index in hints[index].compileErrors.contains { lowered.contains($0.lowercased()) } }
    }

    /// The `tests:` entries that cover none of `testNames`: a hint that names a test which does
    /// not exist (a typo, or a renamed test).
    public func unknownTestEntries(testNames: [String]) -> [(hint: Int, entry: String)] {
        hints.indices.flatMap { index in
            hints[index].tests.filter { entry in !testNames.contains { Self.matches(test: $0, entry: entry) } }
                .map { (hint: index, entry: $0) }
        }
    }

    // MARK: Which hint to show

    /// Why a hint is the one to show.
    public enum Reason: Sendable, Equatable {
        /// The first test that does not pass (its name).
        case failingTest(String)
        /// The build stopped at this compiler error (its message).
        case compileError(String)
        /// Nothing points elsewhere: the next hint in course order.
        case nextInOrder
    }

    public struct Pick: Sendable, Equatable {
        /// The hint to show (0-based).
        public var index: Int
        public var reason: Reason
        /// True when every hint for this reason has been seen already, so this one is shown again.
        public var allSeen: Bool
    }

    /// The hint `tutor hint` and the app's `h` show, given the hints seen (0-based), the tests that
    /// do not pass (first first) and the compiler errors of the last build. The first compiler
    /// error a hint foresees comes first, then the first failing test that has hints; of those
    /// hints, the first not seen yet, or else the last of them again. Without either, the first
    /// hint not seen in course order, or else the last hint. Nil without hints.
    public func pick(seen: Set<Int>, failingTests: [String] = [], compileErrors: [String] = []) -> Pick? {
        guard !hints.isEmpty else { return nil }
        func choose(_ candidates: [Int], _ reason: Reason) -> Pick {
            if let unseen = candidates.first(where: { !seen.contains($0) }) {
                return Pick(index: unseen, reason: reason, allSeen: false)
            }
            return Pick(index: candidates[candidates.count - 1], reason: reason, allSeen: true)
        }
        for message in compileErrors {
            let candidates = indices(forCompileError: message)
            if !candidates.isEmpty { return choose(candidates, .compileError(message)) }
        }
        for name in failingTests {
            let candidates = indices(forTest: name)
            if !candidates.isEmpty { return choose(candidates, .failingTest(name)) }
        }
        return choose(Array(hints.indices), .nextInOrder)
    }

    /// `pick` for a learner: the hints they have seen, the tests that failed in their latest runs
    /// (in lesson order; `declaredTests` as `Project.testNames(of:)` reads them) and the compiler
    /// error their latest run stopped at. `tutor hint` and the app's `h` both ask this.
    public func pick(for progress: LearnerProgress.LessonProgress, declaredTests: [String]) -> Pick? {
        pick(seen: progress.seenHintIndices, failingTests: progress.failingTests(declared: declaredTests),
             compileErrors: progress.compileError.map { [$0] } ?? [])
    }

    /// The first line over a hint: "Hint 3 of 16 · flatIndex and the subscript".
    public func heading(_ index: Int) -> String {
        "Hint \(index + 1) of \(hints.count) · \(hints[index].title)"
    }

    /// A line on why this hint, for the learner: "For test_unit_strides_areRowMajor, which does not
    /// pass yet." Nil in course order.
    public static func because(_ reason: Reason) -> String? {
        switch reason {
        case .failingTest(let name): return "For \(name), which does not pass yet."
        case .compileError(let message): return "For the compiler error “\(message)”."
        case .nextInOrder: return nil
        }
    }

    /// The index of the hint `topic` asks for: its number (`3` is the third hint), or else the
    /// first hint whose title contains every word of `topic`, ignoring case (`"loss"` finds
    /// "binaryCrossEntropy and the other losses"). `nil` when none does.
    public func index(forTopic topic: String) -> Int? {
        let trimmed = topic.trimmingCharacters(in: .whitespaces)
        if let number = Int(trimmed) {
            return hints.indices.contains(number - 1) ? number - 1 : nil
        }
        let words = trimmed.lowercased().split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        return hints.firstIndex { hint in
            let title = hint.title.lowercased()
            return words.allSatisfy { title.contains($0) }
        }
    }

    public static func load(_ lesson: Course.Lesson, in project: Project) throws -> Hints {
        let url = project.hintsFile(lesson)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LessonFileError.missing(project.relativePath(url.path))
        }
        return Hints(markdown: text)
    }
}

public enum LessonFileError: LocalizedError, Equatable {
    case missing(String)
    case pristineUnavailable(file: String, reason: String)
    case notPassedYet(lesson: String)

    public var errorDescription: String? {
        switch self {
        case .missing(let path):
            return "\(path) is missing. Is your clone of the course complete? (`git status` shows deleted files)"
        case .pristineUnavailable(let file, let reason):
            return "cannot find the original version of \(file): \(reason). Nothing was changed."
        case .notPassedYet(let lesson):
            return "lesson \(lesson) does not pass yet, so its solution stays hidden: working it out is where "
                + "the learning happens. Try `tutor hint`, or use --force to see it anyway."
        }
    }
}
