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
        try Project(root: locateRoot(from: directory))
    }

    /// The folder of the project containing `directory`: the nearest one upward that holds a
    /// `Lessons/course.json` (read or not), or `TUTOR_PROJECT`. Grading against a trusted course
    /// starts here, since the learner's course.json need not be readable.
    public static func locateRoot(from directory: URL? = nil) throws -> URL {
        if let override = ProcessInfo.processInfo.environment["TUTOR_PROJECT"], !override.isEmpty {
            return URL(fileURLWithPath: override).standardizedFileURL
        }
        let start = directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var candidate = start.standardizedFileURL
        while true {
            let marker = candidate.appendingPathComponent("Lessons/course.json")
            if FileManager.default.fileExists(atPath: marker.path) { return candidate }
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
    /// The test methods declared in a lesson's test files, read from the source, in the order
    /// they are written (for when nothing builds and the bundle cannot be asked, and for order).
    public func testNames(of lesson: Course.Lesson) -> [String] {
        let directory = testDirectory(lesson)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var names: [String] = []
        for file in files.sorted() where file.hasSuffix(".swift") {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix("func test"), let open = trimmed.firstIndex(of: "(") else { continue }
                names.append(String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 5)..<open]))
            }
        }
        return names
    }

    /// `names` in lesson order: the order the tests are written in (the lesson's exercise order),
    /// with test_module, which uses everything, last, and names not declared by name. Tests run,
    /// are shown, and pick their hint in this order.
    public func inLessonOrder(_ names: [String], of lesson: Course.Lesson) -> [String] {
        Self.inLessonOrder(names, declared: testNames(of: lesson))
    }

    /// `inLessonOrder` with the declared names at hand (`testNames(of:)`).
    public static func inLessonOrder(_ names: [String], declared: [String]) -> [String] {
        let order = Dictionary(declared.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        func rank(_ name: String) -> Int { name == "test_module" ? Int.max : order[name] ?? Int.max - 1 }
        return names.sorted { (rank($0), $0) < (rank($1), $1) }
    }

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
