import Foundation
import XCTest
@testable import TutorCore
import TutorTestSupport

/// A miniature course built on the real Package.swift and course.json: lesson 01 is a tiny fake
/// "Tensor" module whose tests pass, fail, crash, loop forever or overflow the stack on purpose.
/// Building it is a real `swift build` in lesson mode, as the tutor does for a learner.
enum FixtureCourse {
    static let exercise = """
        public struct Tensor {
            public var values: [Float]
            public init(_ values: [Float]) { self.values = values }
        }
        public func double(_ x: Int) -> Int { x * 2 }
        public func todo() -> Int { let stub = "TODO(lesson 01): implement todo()"; fatalError(stub) }
        public func spin() -> Int { var x = 0; while x >= 0 { x = (x &+ 1) % 1000 }; return x }
        public func recurse(_ n: Int) -> Int { n == Int.min ? 0 : recurse(n &+ 1) &+ 1 }
        public func element(_ i: Int) -> Float { let values: [Float] = [1, 2]; return values[i] }
        """

    static let tests = """
        import XCTest
        import TinyTorchTensor

        final class TensorTests: LessonTestCase {
            func test_unit_passes() { XCTAssertEqual(double(2), 4) }
            func test_unit_fails() { XCTAssertEqual(double(2), 5, "double(2) should be 5 in this fixture") }
            func test_unit_crashes() { XCTAssertEqual(todo(), 1) }
            func test_unit_loops() { XCTAssertEqual(spin(), 1) }
            func test_unit_overflows() { XCTAssertEqual(recurse(0), 1) }
            func test_unit_allocates() { XCTAssertEqual([Float](repeating: 1, count: 1 << 31).count, 1) }
            func test_unit_indexes() { XCTAssertEqual(element(5), 1) }
        }
        """

    /// Creates the fixture course in a new temporary directory.
    static func make(_ test: XCTestCase, tests: String = FixtureCourse.tests) throws -> Project {
        let root = try temporaryDirectory(test)
        // The real course, but only its lesson 01 written, as this miniature holds.
        var course = try Course.load(from: repositoryRoot.appendingPathComponent("Lessons/course.json"))
        for index in course.lessons.indices { course.lessons[index].written = course.lessons[index].number == 1 }
        course.lessons[0].exercises = ["Tensor.swift"]
        for index in course.milestones.indices { course.milestones[index].written = false }
        try writeCourse(course, to: root)
        let lesson = root.appendingPathComponent("Lessons/01-tensor")
        try write(exercise, to: lesson.appendingPathComponent("Exercise/Tensor.swift"))
        try write(exercise.replacingOccurrences(of: #"let stub = "TODO(lesson 01): implement todo()"; fatalError(stub)"#, with: "1"),
                  to: lesson.appendingPathComponent("Solution/Tensor.swift"))
        try write("public let providedAnswer = 42\n", to: lesson.appendingPathComponent("Provided/Provided.swift"))
        // The course's `todo` and `TodoTrap`, which LessonTestCase uses.
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Lessons/01-tensor/Provided/Todo.swift"),
                                         to: lesson.appendingPathComponent("Provided/Todo.swift"))
        try write("# Tensor\n", to: lesson.appendingPathComponent("README.md"))
        try write("# Hints\n\n## First\n<!-- tests: passes fails crashes -->\nLook closely.\n\n## Second\n<!-- tests: loops overflows allocates indexes -->\nCloser.\n", to: lesson.appendingPathComponent("hints.md"))
        try write(tests, to: root.appendingPathComponent("Tests/LessonTests/01-tensor/TensorTests.swift"))
        // The real witness of verdicts, as every lesson's tests have it.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Tests/LessonTests/Support"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Tests/LessonTests/Support/LessonTestCase.swift"),
                                         to: root.appendingPathComponent("Tests/LessonTests/Support/LessonTestCase.swift"))
        return try Project(root: root)
    }

    /// Writes `course` as the course.json of the package at `root`, with the real Package.swift's
    /// logic and the course table and umbrella derived from `course`, as `tutor manifest --update`
    /// would.
    static func writeCourse(_ course: Course, to root: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
        try encoder.encode(course).write(to: root.appendingPathComponent("Lessons/course.json"))
        let real = try String(contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let package = try XCTUnwrap(CourseRegistry.packageManifest(real, for: course))
        try write(package, to: root.appendingPathComponent("Package.swift"))
        try write(CourseRegistry.umbrellaSource(for: course), to: root.appendingPathComponent("Lessons/TinyTorch/TinyTorch.swift"))
    }

    /// Adds a written lesson to the fixture course: its module exports `value`, computed from
    /// lesson 01's `double` (so it builds on lesson 01 alone unless `requires` says more), and its
    /// one test checks it.
    static func addLesson(_ number: Int, requires: [Int], source: String, to project: Project) throws -> Project {
        var course = project.course
        let index = try XCTUnwrap(course.lessons.firstIndex { $0.number == number })
        course.lessons[index].written = true
        course.lessons[index].requires = requires
        course.lessons[index].provided = false
        course.lessons[index].example = nil
        course.lessons[index].fixtures = []
        course.lessons[index].exercises = ["Value.swift"]
        let lesson = course.lessons[index]
        try writeCourse(course, to: project.root)
        let folder = project.root.appendingPathComponent("Lessons/\(lesson.folder)")
        for sources in ["Exercise", "Solution"] {
            try write(source, to: folder.appendingPathComponent("\(sources)/Value.swift"))
        }
        try write("# \(lesson.title)\n", to: folder.appendingPathComponent("README.md"))
        try write("# Hints\n\n## One\n<!-- tests: value -->\nLook.\n", to: folder.appendingPathComponent("hints.md"))
        try write("""
            import XCTest
            import \(lesson.module)
            final class \(lesson.testClass): LessonTestCase {
                func test_unit_value() { XCTAssertEqual(value, 4) }
            }
            """, to: project.root.appendingPathComponent("Tests/LessonTests/\(lesson.folder)/\(lesson.testClass).swift"))
        return try Project(root: project.root)
    }
}

/// Runs git in `directory` (as a test author would at a prompt), failing the test on an error.
@discardableResult
func git(_ arguments: [String], in directory: URL, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let result = try ChildProcess.run(Command(
        "git", ["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"] + arguments,
        workingDirectory: directory.path, mergeErrorIntoOutput: false))
    XCTAssertEqual(result.termination, .exited(0), "git \(arguments.joined(separator: " ")): \(result.errorOutput)",
                   file: file, line: line)
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
}
