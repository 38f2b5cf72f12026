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
        public func todo() -> Int { fatalError("TODO(lesson 01): implement todo()") }
        public func spin() -> Int { var x = 0; while x >= 0 { x = (x &+ 1) % 1000 }; return x }
        public func recurse(_ n: Int) -> Int { n == Int.min ? 0 : recurse(n &+ 1) &+ 1 }
        """

    static let tests = """
        import XCTest
        import TinyTorchTensor

        final class TensorTests: XCTestCase {
            func test_unit_passes() { XCTAssertEqual(double(2), 4) }
            func test_unit_fails() { XCTAssertEqual(double(2), 5, "double(2) should be 5 in this fixture") }
            func test_unit_crashes() { XCTAssertEqual(todo(), 1) }
            func test_unit_loops() { XCTAssertEqual(spin(), 1) }
            func test_unit_overflows() { XCTAssertEqual(recurse(0), 1) }
            func test_unit_allocates() { XCTAssertEqual([Float](repeating: 1, count: 1 << 31).count, 1) }
        }
        """

    /// Creates the fixture course in a new temporary directory.
    static func make(_ test: XCTestCase, tests: String = FixtureCourse.tests) throws -> Project {
        let root = try temporaryDirectory(test)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Package.swift"),
                                         to: root.appendingPathComponent("Package.swift"))
        // The real course, but only its lesson 01 written, as this miniature holds.
        var course = try Course.load(from: repositoryRoot.appendingPathComponent("Lessons/course.json"))
        for index in course.lessons.indices { course.lessons[index].written = course.lessons[index].number == 1 }
        course.lessons[0].exercises = ["Tensor.swift"]
        for index in course.milestones.indices { course.milestones[index].written = false }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
        try JSONEncoder().encode(course).write(to: root.appendingPathComponent("Lessons/course.json"))
        let lesson = root.appendingPathComponent("Lessons/01-tensor")
        try write(exercise, to: lesson.appendingPathComponent("Exercise/Tensor.swift"))
        try write(exercise.replacingOccurrences(of: #"fatalError("TODO(lesson 01): implement todo()")"#, with: "1"),
                  to: lesson.appendingPathComponent("Solution/Tensor.swift"))
        try write("public let providedAnswer = 42\n", to: lesson.appendingPathComponent("Provided/Provided.swift"))
        try write("# Tensor\n", to: lesson.appendingPathComponent("README.md"))
        try write("# Hints\n\n## First\nLook closely.\n\n## Second\nCloser.\n", to: lesson.appendingPathComponent("hints.md"))
        try write("@_exported import TinyTorchTensor\n", to: root.appendingPathComponent("Lessons/TinyTorch/TinyTorch.swift"))
        try write(tests, to: root.appendingPathComponent("Tests/LessonTests/01-tensor/TensorTests.swift"))
        try write("import XCTest\n", to: root.appendingPathComponent("Tests/LessonTests/Support/Support.swift"))
        return try Project(root: root)
    }
}
