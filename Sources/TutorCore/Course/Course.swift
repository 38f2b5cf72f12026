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
        /// Lesson numbers that must pass before the milestone unlocks.
        public var requires: [Int]
        public var written: Bool
        public var summary: String
        /// What counts as success, in words.
        public var goal: String

        /// `01-perceptron`: the folder under `Checkpoints/`.
        public var folder: String { (number < 10 ? "0\(number)" : "\(number)") + "-\(slug)" }
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

    /// The first written lesson after lesson `id` (`"01"`): where to go once it passes.
    public func writtenLesson(after id: String) -> Lesson? {
        writtenLessons.first { $0.number > (Int(id) ?? 0) }
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
