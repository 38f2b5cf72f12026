import Foundation

/// A lesson's progressive hints, read from its `hints.md`: each `## ` section is one hint.
public struct Hints: Sendable, Equatable {
    public struct Hint: Sendable, Equatable {
        public var title: String
        public var body: String
    }

    public var hints: [Hint]

    public init(hints: [Hint]) { self.hints = hints }

    /// Parses Markdown: text before the first `## ` heading (the `# ` title) is ignored; a `## `
    /// inside a fenced code block does not start a hint.
    public init(markdown: String) {
        var hints: [Hint] = []
        var title: String?
        var body: [Substring] = []
        var inFence = false
        func finish() {
            if let title {
                let text = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                hints.append(Hint(title: title, body: text))
            }
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.hasPrefix("## ") {
                finish()
                title = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                body = []
            } else if title != nil {
                body.append(line)
            }
        }
        finish()
        self.hints = hints
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

    /// The hint `tutor hint` and the app's `h` show next when `seen` hints of this lesson have
    /// been shown: the first not seen, which then counts as seen. Once all are seen, the last one,
    /// and `allSeen` (the command then says so rather than repeat it). Nil without hints.
    public func next(seen: Int) -> (index: Int, seenAfter: Int, allSeen: Bool)? {
        guard !hints.isEmpty else { return nil }
        let seen = max(0, min(seen, hints.count))
        if seen == hints.count { return (hints.count - 1, seen, true) }
        return (seen, seen + 1, false)
    }

    /// How many hints count as seen once hint `index` is on screen (moving on in the app).
    public static func seen(afterShowing index: Int, seen: Int) -> Int { max(seen, index + 1) }

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
