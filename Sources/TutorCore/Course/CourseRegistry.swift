import Foundation

/// `Lessons/course.json` is the one place where a lesson or milestone is declared. This type
/// derives what the build needs from it and checks that everything else agrees with it:
///
/// * **Derived** (rewritten by `tutor manifest --update`, compared by the check): the course table
///   in `Package.swift` between its `BEGIN`/`END GENERATED` lines, and the umbrella module
///   `Lessons/TinyTorch/TinyTorch.swift`.
/// * **Checked**: the lesson graph, the folders of every written lesson (text, hints, exercise and
///   solution files as listed, `Provided/`, `Example/`, fixtures, tests), that no folder is there
///   for a lesson or milestone the course does not declare as written, and — `buildProblems()` —
///   that the package SwiftPM actually evaluates declares each lesson with its graph.
///
/// Package.swift's table is generated, not read from course.json by the manifest: SwiftPM caches
/// an evaluated manifest by its text and environment, so it would not see course.json change.
public struct CourseRegistry: Sendable {
    public let project: Project

    public init(project: Project) { self.project = project }

    static let beginMarker = "// BEGIN GENERATED FROM Lessons/course.json"
    static let endMarker = "// END GENERATED FROM Lessons/course.json"
    static let packageFile = "Package.swift"
    static let umbrellaFile = "Lessons/TinyTorch/TinyTorch.swift"

    // MARK: Derived files

    /// The course table Package.swift builds its targets from: written lessons with everything
    /// they are built with, written milestones, and the test folder of every lesson of the course.
    public static func packageTable(for course: Course) -> String {
        func list(_ numbers: [Int]) -> String { "[" + numbers.map(String.init).joined(separator: ", ") + "]" }
        func quoted(_ strings: [String]) -> String { "[" + strings.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        var lines = ["let courseLessons: [CourseLesson] = ["]
        for lesson in course.writtenLessons {
            var line = "    CourseLesson(number: \(lesson.number), folder: \"\(lesson.folder)\", module: \"\(lesson.module)\", "
                + "lessons: \(list(course.lessonsNeeded(for: [lesson.number])))"
            if lesson.provided { line += ", provided: true" }
            if let example = lesson.example { line += ", example: \"\(example)\"" }
            if !lesson.fixtures.isEmpty { line += ", fixtures: \(quoted(lesson.fixtures))" }
            lines.append(line + "),")
        }
        lines.append("]")
        lines.append("let courseMilestones: [CourseMilestone] = [")
        for milestone in course.milestones where milestone.written {
            lines.append("    CourseMilestone(folder: \"\(milestone.folder)\", product: \"\(milestone.productName)\", "
                + "lessons: \(list(course.lessonsNeeded(for: milestone)))),")
        }
        lines.append("]")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The umbrella module's source: `import TinyTorch` re-exports every lesson of the build.
    public static func umbrellaSource(for course: Course) -> String {
        var text = """
            // Generated from Lessons/course.json by `swift run tutor manifest --update`: do not edit.
            //
            // The umbrella module: `import TinyTorch` gives a milestone program every lesson declared in
            // this build (Package.swift defines LESSON_NN for each).

            """
        for lesson in course.writtenLessons {
            text += "#if LESSON_\(lesson.id)\n@_exported import \(lesson.module)\n#endif\n"
        }
        return text
    }

    /// Package.swift with its course table replaced by `packageTable(for:)`; nil when the markers
    /// are missing.
    public static func packageManifest(_ text: String, for course: Course) -> String? {
        guard let begin = text.range(of: beginMarker), let end = text.range(of: endMarker),
              begin.upperBound <= end.lowerBound else { return nil }
        return String(text[..<begin.upperBound]) + "\n" + packageTable(for: course) + String(text[end.lowerBound...])
    }

    /// Each derived file: its path, what it holds now, and what it should hold.
    func derivedFiles() -> [(path: String, current: String?, expected: String?)] {
        let package = read(Self.packageFile)
        return [
            (Self.packageFile, package, package.flatMap { Self.packageManifest($0, for: project.course) }),
            (Self.umbrellaFile, read(Self.umbrellaFile), Self.umbrellaSource(for: project.course)),
        ]
    }

    /// Rewrites the derived files that differ from course.json. Returns their paths.
    @discardableResult
    public func update() throws -> [String] {
        var written: [String] = []
        for file in derivedFiles() {
            guard let expected = file.expected else {
                throw CourseError.unreadableCourse(path: file.path,
                    reason: "its lines `\(Self.beginMarker)` and `\(Self.endMarker)` are missing")
            }
            if file.current != expected {
                try Data(expected.utf8).write(to: url(file.path), options: .atomic)
                written.append(file.path)
            }
        }
        return written
    }

    // MARK: Checks

    /// Every way the repository disagrees with course.json, in words (empty when all is well).
    public func problems() -> [String] {
        var problems = project.course.graphProblems()
        for file in derivedFiles() {
            if file.expected == nil {
                problems.append("\(file.path) has no `\(Self.beginMarker)` … `\(Self.endMarker)` section")
            } else if file.current != file.expected {
                problems.append("\(file.path) does not match Lessons/course.json — run `swift run tutor manifest --update`")
            }
        }
        for lesson in project.course.lessons { problems += lessonProblems(lesson) }
        problems += strayFolders()
        for milestone in project.course.milestones {
            let exists = isDirectory("Checkpoints/\(milestone.folder)")
            if milestone.written && !exists {
                problems.append("milestone \(milestone.slug) is written but Checkpoints/\(milestone.folder) is missing")
            } else if !milestone.written && exists {
                problems.append("Checkpoints/\(milestone.folder) exists but milestone \(milestone.slug) is not written in course.json")
            }
        }
        return problems
    }

    /// A lesson's hints against its tests: every unit test has a hint about it (`<!-- tests: … -->`,
    /// so `h` can open it), and every entry names tests that exist.
    func hintProblems(_ hints: Hints, file: String, testNames: [String]) -> [String] {
        guard !hints.hints.isEmpty else { return ["\(file) has no `## ` hint sections"] }
        var problems: [String] = []
        let uncovered = testNames.filter { $0 != "test_module" && hints.indices(forTest: $0).isEmpty }
        if !uncovered.isEmpty {
            problems.append("\(file): no hint names \(uncovered.joined(separator: ", ")) in a `<!-- tests: … -->` line")
        }
        for (index, entry) in hints.unknownTestEntries(testNames: testNames) {
            problems.append("\(file): hint \(index + 1) (“\(hints.hints[index].title)”) names “\(entry)”, which matches no test")
        }
        return problems
    }

    /// Every test class of a lesson inherits from `LessonTestCase`, the witness without which no
    /// test can pass (Tests/LessonTests/Support/LessonTestCase.swift).
    func witnessProblems(testsFolder: String) -> [String] {
        var problems: [String] = []
        for file in swiftFiles(in: testsFolder) {
            guard let text = try? String(contentsOf: project.root.appendingPathComponent("\(testsFolder)/\(file)"), encoding: .utf8)
            else { continue }
            for line in text.split(separator: "\n") where line.contains("class ") && line.contains(": XCTestCase") {
                problems.append("\(testsFolder)/\(file): `\(line.trimmingCharacters(in: .whitespaces))` — lesson tests inherit from "
                                + "LessonTestCase, the witness of their verdicts, or none of them can pass")
            }
        }
        return problems
    }

    /// Stubs stop with lesson 01's `todo(…)`, never `fatalError`: a test reaching a `todo` ends
    /// as crashed without ending its process; a `fatalError` costs every such test a process of
    /// its own (Lessons/01-tensor/Provided/Todo.swift).
    func stubProblems(exerciseFolder: String) -> [String] {
        var problems: [String] = []
        for file in swiftFiles(in: exerciseFolder) {
            guard let text = try? String(contentsOf: project.root.appendingPathComponent("\(exerciseFolder)/\(file)"), encoding: .utf8)
            else { continue }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("fatalError(\"TODO") {
                problems.append("\(exerciseFolder)/\(file):\(index + 1): a stub calls fatalError — write "
                                + "`todo(\"TODO(lesson NN): implement …\")` (lesson 01's Provided/Todo.swift)")
            }
        }
        return problems
    }

    /// The files one lesson needs, by what course.json says of it.
    func lessonProblems(_ lesson: Course.Lesson) -> [String] {
        let folder = "Lessons/\(lesson.folder)"
        let tests = "Tests/LessonTests/\(lesson.folder)"
        guard lesson.written else {
            return [folder, tests].filter(isDirectory).map { "\($0) exists but lesson \(lesson.id) is not written in course.json" }
        }
        var problems: [String] = []
        for file in ["\(folder)/README.md", "\(folder)/hints.md"] where !isFile(file) {
            problems.append("\(file) is missing")
        }
        if isFile("\(folder)/hints.md"), let hints = try? Hints.load(lesson, in: project) {
            problems += hintProblems(hints, file: "\(folder)/hints.md", testNames: project.testNames(of: lesson))
        }
        for sources in ["Exercise", "Solution"] {
            let present = Set(swiftFiles(in: "\(folder)/\(sources)"))
            if present != Set(lesson.exercises) {
                problems.append("\(folder)/\(sources) holds \(present.sorted()) but course.json lists \(lesson.exercises.sorted())")
            }
        }
        if lesson.provided != isDirectory("\(folder)/Provided") {
            problems.append(lesson.provided ? "\(folder)/Provided is missing (course.json: \"provided\": true)"
                                            : "\(folder)/Provided exists but course.json does not say \"provided\": true")
        }
        if (lesson.example != nil) != isDirectory("\(folder)/Example") {
            problems.append(lesson.example != nil ? "\(folder)/Example is missing (course.json names an example)"
                                                  : "\(folder)/Example exists but course.json names no \"example\"")
        }
        if swiftFiles(in: tests).isEmpty {
            problems.append("\(tests) holds no test files")
        }
        problems += witnessProblems(testsFolder: tests)
        problems += stubProblems(exerciseFolder: "\(folder)/Exercise")
        for fixture in lesson.fixtures where !isDirectory("\(tests)/\(fixture)") {
            problems.append("\(tests)/\(fixture) is missing (course.json lists it in \"fixtures\")")
        }
        return problems
    }

    /// Lesson and test folders that course.json does not know.
    func strayFolders() -> [String] {
        let known = Set(project.course.lessons.map(\.folder))
        var problems: [String] = []
        for (parent, own) in [("Lessons", ["TinyTorch", "Playground"]), ("Tests/LessonTests", ["Support"])] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url(parent).path)) ?? []
            for name in names.sorted() where isDirectory("\(parent)/\(name)") && !known.contains(name) && !own.contains(name) {
                problems.append("\(parent)/\(name) is not a lesson of course.json (lesson folders are named NN-slug)")
            }
        }
        return problems
    }

    /// What the package SwiftPM evaluates says, against course.json: with every lesson declared
    /// (`TUTOR_LESSONS=all`), each written lesson is a target at its folder that depends on
    /// exactly the lessons it builds on, the lesson tests depend on every lesson, and each written
    /// milestone is a product. Runs `swift package dump-package` (a second or two).
    public func buildProblems() -> [String] {
        let command = Command(
            SwiftBuild.swiftExecutable,
            ["package", "dump-package", "--package-path", project.root.path,
             "--scratch-path", project.scratchPath(.learner).path],
            environment: ["TUTOR_LESSONS": "all", "TUTOR_SOLUTIONS": "none", "TUTOR_NO_PLAYGROUND": "1"],
            workingDirectory: project.root.path, timeLimit: 300, mergeErrorIntoOutput: false, captureLimit: 64 << 20)
        guard let result = try? ChildProcess.run(command), result.termination == .exited(0) else {
            return ["Package.swift could not be evaluated with every lesson declared (`TUTOR_LESSONS=all swift package dump-package`)"]
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
              let targets = json["targets"] as? [[String: Any]] else {
            return ["`swift package dump-package` printed something that is not a package description"]
        }
        let course = project.course
        var byName: [String: (path: String?, dependencies: Set<String>)] = [:]
        for target in targets {
            guard let name = target["name"] as? String else { continue }
            var dependencies: Set<String> = []
            for dependency in target["dependencies"] as? [[String: Any]] ?? [] {
                for key in ["byName", "target"] {
                    if let first = (dependency[key] as? [Any])?.first as? String { dependencies.insert(first) }
                }
            }
            byName[name] = (target["path"] as? String, dependencies)
        }
        var problems: [String] = []
        for lesson in course.writtenLessons {
            guard let target = byName[lesson.module] else {
                problems.append("Package.swift does not declare lesson \(lesson.id) as module \(lesson.module)")
                continue
            }
            if target.path != "Lessons/\(lesson.folder)" {
                problems.append("Package.swift builds \(lesson.module) from \(target.path ?? "nowhere"), not Lessons/\(lesson.folder)")
            }
            let expected = Set(course.prerequisites(of: lesson).compactMap { course.lesson(number: $0)?.module })
            if target.dependencies != expected {
                problems.append("Package.swift builds \(lesson.module) on \(target.dependencies.sorted()), "
                    + "but course.json says it builds on \(expected.sorted())")
            }
        }
        let allModules = Set(course.writtenLessons.map(\.module))
        if byName["LessonTests"]?.dependencies != allModules {
            problems.append("Package.swift's LessonTests target does not depend on exactly the written lessons")
        }
        let products = Set((json["products"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        for milestone in course.milestones where milestone.written && !products.contains(milestone.productName) {
            problems.append("Package.swift does not declare the milestone program \(milestone.productName)")
        }
        return problems
    }

    // MARK: Files

    private func url(_ path: String) -> URL { project.root.appendingPathComponent(path) }
    private func read(_ path: String) -> String? { try? String(contentsOf: url(path), encoding: .utf8) }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url(path).path, isDirectory: &directory) && directory.boolValue
    }

    private func isFile(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url(path).path, isDirectory: &directory) && !directory.boolValue
    }

    private func swiftFiles(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url(path).path)) ?? []).filter { $0.hasSuffix(".swift") }
    }
}
