import Foundation

/// A clone of the course on disk: where everything lives.
public struct Project: Sendable {
    /// The folder holding `Package.swift` and `Lessons/course.json`.
    public let root: URL
    public let course: Course

    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        self.course = try Course.load(from: root.appendingPathComponent("Lessons/course.json"))
    }

    /// Finds the project containing `directory` (default: the current directory), looking upward.
    /// `TUTOR_PROJECT` overrides the search.
    public static func locate(from directory: URL? = nil) throws -> Project {
        if let override = ProcessInfo.processInfo.environment["TUTOR_PROJECT"], !override.isEmpty {
            return try Project(root: URL(fileURLWithPath: override))
        }
        let start = directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var candidate = start.standardizedFileURL
        while true {
            let marker = candidate.appendingPathComponent("Lessons/course.json")
            if FileManager.default.fileExists(atPath: marker.path) {
                return try Project(root: candidate)
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        throw CourseError.notInCourse(directory: start.path)
    }

    // MARK: Paths

    public func lessonDirectory(_ lesson: Course.Lesson) -> URL {
        root.appendingPathComponent("Lessons/\(lesson.folder)")
    }
    public func exerciseDirectory(_ lesson: Course.Lesson) -> URL {
        lessonDirectory(lesson).appendingPathComponent("Exercise")
    }
    public func solutionDirectory(_ lesson: Course.Lesson) -> URL {
        lessonDirectory(lesson).appendingPathComponent("Solution")
    }
    public func readme(_ lesson: Course.Lesson) -> URL {
        lessonDirectory(lesson).appendingPathComponent("README.md")
    }
    public func hintsFile(_ lesson: Course.Lesson) -> URL {
        lessonDirectory(lesson).appendingPathComponent("hints.md")
    }
    public func testDirectory(_ lesson: Course.Lesson) -> URL {
        root.appendingPathComponent("Tests/LessonTests/\(lesson.folder)")
    }
    /// Exercise files as paths relative to the project root (`Lessons/01-tensor/Exercise/Tensor.swift`).
    public func exercisePaths(_ lesson: Course.Lesson) -> [String] {
        lesson.exercises.map { "Lessons/\(lesson.folder)/Exercise/\($0)" }
    }

    /// The tutor's own state: progress, backups.
    public var stateDirectory: URL { root.appendingPathComponent(".tutor") }
    public var progressFile: URL { stateDirectory.appendingPathComponent("progress.json") }
    public var testManifest: URL { root.appendingPathComponent("Tests/LessonTests/SHA256SUMS") }
    public var pristineManifest: URL { root.appendingPathComponent("Lessons/pristine.json") }

    /// Scratch paths: the learner's code, the reference solutions and `verify`'s mixed builds are
    /// kept in separate build folders so each stays warm (switching costs a rebuild).
    public enum BuildFlavor: String, Sendable {
        case learner = ".build-lessons"
        case solutions = ".build-solutions"
        case verify = ".build-verify"
    }
    public func scratchPath(_ flavor: BuildFlavor) -> URL {
        root.appendingPathComponent(flavor.rawValue)
    }

    /// `path` relative to the project root when it lies inside it.
    public func relativePath(_ path: String) -> String {
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Maps a `#fileID`-style path printed by a crash (`TinyTorchTensor/Tensor.swift`) to the file
    /// in the repo (`Lessons/01-tensor/Exercise/Tensor.swift`), trying Exercise, Provided, Solution.
    public func sourcePath(forFileID fileID: String) -> String {
        let parts = fileID.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let lesson = course.lessons.first(where: { $0.module == parts[0] }) else {
            return fileID
        }
        for folder in ["Exercise", "Provided", "Solution"] {
            let candidate = "Lessons/\(lesson.folder)/\(folder)/\(parts[1])"
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(candidate).path) {
                return candidate
            }
        }
        return fileID
    }
}
