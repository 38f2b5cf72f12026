import Foundation

/// The course: its phases, lessons and milestones, as defined in `Lessons/course.json`.
public struct Course: Codable, Sendable {
    public var title: String
    public var phases: [Phase]
    public var lessons: [Lesson]
    public var milestones: [Milestone]

    public struct Phase: Codable, Sendable {
        public var number: Int
        public var title: String
        public var summary: String
    }

    public struct Lesson: Codable, Sendable, Hashable {
        public var number: Int
        /// Lower-case name used on the command line: `tutor test tensor`.
        public var slug: String
        public var title: String
        public var phase: Int
        /// The Swift module the lesson compiles to (`TinyTorchTensor`).
        public var module: String
        /// Whether the lesson's folder is written; the rest are shown as coming.
        public var written: Bool
        public var summary: String
        /// The exercise files, relative to the lesson's `Exercise/` folder.
        public var exercises: [String]
        /// The lessons this one builds on directly: their modules are what its files import.
        /// Only earlier lessons, so the graph has no cycles. `Course.lessonsNeeded(for:)` adds
        /// what those build on in turn.
        public var requires: [Int]
        /// The lesson has a `Provided/` folder: code given to the learner, compiled with either
        /// `Exercise/` or `Solution/`.
        public var provided: Bool
        /// The product name of a worked example program in the lesson's `Example/` folder, built
        /// on the learner's code (lesson 07's `RegressionExample`).
        public var example: String?
        /// Folders inside the lesson's test folder that hold data for the tests, not Swift
        /// sources (`Fixtures`).
        public var fixtures: [String]
        /// After Phase 2 the course forks: lessons of one `track` ("Vision", "Language") form a
        /// path a learner may take on its own, before or after the other.
        public var track: String?

        public init(number: Int, slug: String, title: String, phase: Int, module: String, written: Bool,
                    summary: String, exercises: [String], requires: [Int], provided: Bool = false,
                    example: String? = nil, fixtures: [String] = [], track: String? = nil) {
            self.number = number
            self.slug = slug
            self.title = title
            self.phase = phase
            self.module = module
            self.written = written
            self.summary = summary
            self.exercises = exercises
            self.requires = requires
            self.provided = provided
            self.example = example
            self.fixtures = fixtures
            self.track = track
        }

        private enum CodingKeys: String, CodingKey {
            case number, slug, title, phase, module, written, summary, exercises, requires, provided, example, fixtures, track
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                number: try container.decode(Int.self, forKey: .number),
                slug: try container.decode(String.self, forKey: .slug),
                title: try container.decode(String.self, forKey: .title),
                phase: try container.decode(Int.self, forKey: .phase),
                module: try container.decode(String.self, forKey: .module),
                written: try container.decode(Bool.self, forKey: .written),
                summary: try container.decode(String.self, forKey: .summary),
                exercises: try container.decode([String].self, forKey: .exercises),
                requires: try container.decode([Int].self, forKey: .requires),
                provided: try container.decodeIfPresent(Bool.self, forKey: .provided) ?? false,
                example: try container.decodeIfPresent(String.self, forKey: .example),
                fixtures: try container.decodeIfPresent([String].self, forKey: .fixtures) ?? [],
                track: try container.decodeIfPresent(String.self, forKey: .track))
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(number, forKey: .number)
            try container.encode(slug, forKey: .slug)
            try container.encode(title, forKey: .title)
            try container.encode(phase, forKey: .phase)
            try container.encode(module, forKey: .module)
            try container.encode(written, forKey: .written)
            try container.encode(summary, forKey: .summary)
            try container.encode(exercises, forKey: .exercises)
            try container.encode(requires, forKey: .requires)
            if provided { try container.encode(provided, forKey: .provided) }
            try container.encodeIfPresent(example, forKey: .example)
            if !fixtures.isEmpty { try container.encode(fixtures, forKey: .fixtures) }
            try container.encodeIfPresent(track, forKey: .track)
        }

        /// `01`, `02`, …
        public var id: String { number < 10 ? "0\(number)" : "\(number)" }
        /// `01-tensor`: the folder under `Lessons/` and `Tests/LessonTests/`.
        public var folder: String { "\(id)-\(slug)" }
        /// The XCTest class of the lesson's tests (`TensorTests`), unique in the course.
        public var testClass: String { title.replacingOccurrences(of: " ", with: "") + "Tests" }
        /// `01 Tensor`
        public var displayName: String { "\(id) \(title)" }
    }

    public struct Milestone: Codable, Sendable, Hashable {
        public var number: Int
        public var slug: String
        public var year: Int
        public var title: String
        /// The lessons the milestone's program uses. It is built with these and what they build
        /// on (`Course.lessonsNeeded(for:)`), and unlocks when all of those pass.
        public var requires: [Int]
        public var written: Bool
        public var summary: String
        /// What counts as success, in words.
        public var goal: String

        /// `01-perceptron`: the folder under `Checkpoints/`.
        public var folder: String { (number < 10 ? "0\(number)" : "\(number)") + "-\(slug)" }
        /// The executable product of the milestone's program in `Checkpoints/NN-name`:
        /// `MilestonePerceptron`, `MilestoneCifar10`.
        public var productName: String { "Milestone" + slug.prefix(1).uppercased() + slug.dropFirst() }
    }
}

/// Errors a user can cause when naming or loading course things.
public enum CourseError: LocalizedError, Equatable {
    case notInCourse(directory: String)
    case unreadableCourse(path: String, reason: String)
    case unknownLesson(String, known: String)
    case lessonNotWritten(String)
    case badLessonRange(String)

    public var errorDescription: String? {
        switch self {
        case .notInCourse(let directory):
            return "\(directory) is not inside the course: no Lessons/course.json above it. "
                + "Run the tutor from your clone of the course."
        case .unreadableCourse(let path, let reason):
            return "cannot read the course definition \(path): \(reason)"
        case .unknownLesson(let name, let known):
            return "no lesson called '\(name)'. Name a lesson by number or name, e.g. \(known)."
        case .lessonNotWritten(let name):
            return "lesson \(name) is not written yet: it is coming in a later version of the course."
        case .badLessonRange(let text):
            return "'\(text)' is not a list of lessons: use numbers and ranges, e.g. 1-4 or 1,3,5."
        }
    }
}

extension Course {
    /// Decodes a course definition.
    public static func load(from url: URL) throws -> Course {
        do {
            let data = try Data(contentsOf: url)
            return try JSONDecoder().decode(Course.self, from: data)
        } catch {
            throw CourseError.unreadableCourse(path: url.path, reason: "\(error)")
        }
    }

    public var writtenLessons: [Lesson] { lessons.filter(\.written) }

    public func lesson(number: Int) -> Lesson? { lessons.first { $0.number == number } }

    // MARK: The lesson graph

    /// `numbers` and every lesson they build on, directly or through others, in course order:
    /// what a build of those lessons declares (`TUTOR_LESSONS` in Package.swift).
    public func lessonsNeeded(for numbers: [Int]) -> [Int] {
        var needed: Set<Int> = []
        var pending = numbers
        while let number = pending.popLast() {
            guard needed.insert(number).inserted else { continue }
            pending += lesson(number: number)?.requires ?? []
        }
        return needed.sorted()
    }

    /// The lessons `lesson` builds on, directly or through others (not itself), in course order.
    public func prerequisites(of lesson: Lesson) -> [Int] {
        lessonsNeeded(for: lesson.requires)
    }

    /// The lessons a milestone's program is built with and that must pass before it unlocks.
    public func lessonsNeeded(for milestone: Milestone) -> [Int] {
        lessonsNeeded(for: milestone.requires)
    }

    /// The tracks of a phase, in course order ("Vision", "Language"); empty for a phase without.
    public func tracks(inPhase phase: Int) -> [String] {
        lessons.filter { $0.phase == phase }.compactMap(\.track).reduce(into: []) { names, track in
            if !names.contains(track) { names.append(track) }
        }
    }

    /// Problems in the graph itself: a lesson may only require earlier lessons of the course (so
    /// there is never a cycle), and a written lesson or milestone only written lessons.
    public func graphProblems() -> [String] {
        var problems: [String] = []
        for lesson in lessons {
            for number in lesson.requires {
                guard let required = self.lesson(number: number) else {
                    problems.append("lesson \(lesson.id) requires lesson \(number), which is not in the course")
                    continue
                }
                if number >= lesson.number {
                    problems.append("lesson \(lesson.id) requires lesson \(required.id): a lesson may only require earlier lessons")
                }
                if lesson.written && !required.written {
                    problems.append("lesson \(lesson.id) is written but requires lesson \(required.id), which is not")
                }
            }
        }
        for milestone in milestones {
            for number in milestone.requires {
                guard let required = lesson(number: number) else {
                    problems.append("milestone \(milestone.slug) requires lesson \(number), which is not in the course")
                    continue
                }
                if milestone.written && !required.written {
                    problems.append("milestone \(milestone.slug) is written but requires lesson \(required.id), which is not")
                }
            }
        }
        return problems
    }

    /// Finds a lesson by number (`1`, `01`), slug (`tensor`), folder (`01-tensor`) or title,
    /// ignoring case.
    public func lesson(named name: String) throws -> Lesson {
        let key = name.lowercased().trimmingCharacters(in: .whitespaces)
        let found = lessons.first { lesson in
            if let number = Int(key) { return lesson.number == number }
            return key == lesson.slug || key == lesson.folder || key == lesson.title.lowercased()
        }
        guard let found else {
            throw CourseError.unknownLesson(name, known: "'01' or 'tensor'")
        }
        return found
    }

    /// Like `lesson(named:)` but only for written lessons.
    public func writtenLesson(named name: String) throws -> Lesson {
        let lesson = try lesson(named: name)
        guard lesson.written else { throw CourseError.lessonNotWritten(lesson.displayName) }
        return lesson
    }

    /// Parses a selection such as `1-4`, `1,3,5`, `tensor,layers` or `all` into written lessons,
    /// in course order.
    public func lessons(selection text: String) throws -> [Lesson] {
        if text.lowercased() == "all" { return writtenLessons }
        var numbers: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]) {
                guard low <= high else { throw CourseError.badLessonRange(text) }
                numbers.formUnion(low...high)
            } else if !part.isEmpty {
                numbers.insert(try lesson(named: part).number)
            } else {
                throw CourseError.badLessonRange(text)
            }
        }
        for number in numbers where lesson(number: number) == nil {
            throw CourseError.unknownLesson(String(number), known: "1-\(lessons.count)")
        }
        return lessons.filter { numbers.contains($0.number) && $0.written }
    }

    public func milestone(named name: String) -> Milestone? {
        let key = name.lowercased()
        return milestones.first {
            $0.slug == key || String($0.year) == key || $0.folder == key || Int(key) == $0.number
        }
    }
}
