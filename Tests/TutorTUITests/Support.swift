import Foundation
import XCTest
import TutorCore
@testable import TutorTUI
import TutorTestSupport

/// A small, fixed course (so literal screens do not change when the real course grows): four
/// phases, six lessons of which two are written, two milestones.
enum FixtureCourse {
    static let json = """
        {
          "title": "TinyTorch for Swift",
          "phases": [
            { "number": 1, "title": "Foundations", "summary": "Parts." },
            { "number": 2, "title": "Training", "summary": "Learning." },
            { "number": 3, "title": "Architectures", "summary": "Shapes." },
            { "number": 4, "title": "Production", "summary": "Shipping." }
          ],
          "lessons": [
            { "number": 1, "slug": "tensor", "title": "Tensor", "phase": 1, "module": "TinyTorchTensor", "written": true, "requires": [],
              "summary": "N-dimensional arrays: storage and shape, broadcasting, reductions and matmul.",
              "exercises": ["Tensor.swift", "Matmul.swift"] },
            { "number": 2, "slug": "activations", "title": "Activations", "phase": 1, "module": "TinyTorchActivations", "written": true, "requires": [1],
              "summary": "ReLU, sigmoid and softmax.", "exercises": ["Activations.swift"] },
            { "number": 3, "slug": "autograd", "title": "Autograd", "phase": 2, "module": "TinyTorchAutograd", "written": false, "requires": [2],
              "summary": "Gradients for every operation.", "exercises": ["Backward.swift"] },
            { "number": 4, "slug": "spatial", "title": "Spatial", "phase": 3, "module": "TinyTorchSpatial", "written": false, "requires": [3], "track": "Vision",
              "summary": "Conv2d and pooling.", "exercises": ["Conv2d.swift"] },
            { "number": 5, "slug": "attention", "title": "Attention", "phase": 3, "module": "TinyTorchAttention", "written": false, "requires": [3], "track": "Language",
              "summary": "Scaled dot-product attention.", "exercises": ["Attention.swift"] },
            { "number": 6, "slug": "capstone", "title": "Capstone", "phase": 4, "module": "TinyTorchCapstone", "written": false, "requires": [4, 5],
              "summary": "Faster and smaller.", "exercises": ["Report.swift"] }
          ],
          "milestones": [
            { "number": 1, "slug": "perceptron", "year": 1957, "title": "The Perceptron", "requires": [2], "written": true,
              "summary": "Rosenblatt's perceptron learns AND and OR.", "goal": "100% on AND and OR" },
            { "number": 2, "slug": "mnist", "year": 1986, "title": "Reading Digits", "requires": [3], "written": false,
              "summary": "An MLP reads handwritten digits.", "goal": "≥ 95% test accuracy" }
          ]
        }
        """

    static let readme = """
        # Lesson 01: Tensor

        ## Why this matters

        Every number a network touches lives in a **tensor**: `[60000, 28, 28]` for MNIST.

        - storage and shape
        - broadcasting

        ```swift
        let x = Tensor.zeros([2, 3]) // a matrix
        ```
        """

    static let hints = "# Hints\n\n## Shape first\nStart with `count`.\n\n## Strides\nRight to left.\n"

    /// A project on disk with the fixture course, lesson 01's text, hints and exercise files.
    static func project(_ test: XCTestCase) throws -> Project {
        let root = try temporaryDirectory(test)
        try write(json, to: root.appendingPathComponent("Lessons/course.json"))
        let lesson = root.appendingPathComponent("Lessons/01-tensor")
        try write(readme, to: lesson.appendingPathComponent("README.md"))
        try write(hints, to: lesson.appendingPathComponent("hints.md"))
        try write("public struct Tensor {}\n", to: lesson.appendingPathComponent("Exercise/Tensor.swift"))
        try write("// matmul\n", to: lesson.appendingPathComponent("Exercise/Matmul.swift"))
        try write("public struct Tensor { let solved = true }\n", to: lesson.appendingPathComponent("Solution/Tensor.swift"))
        try write("// matmul, solved\n", to: lesson.appendingPathComponent("Solution/Matmul.swift"))
        return try Project(root: root)
    }

    /// A fresh app state at a fixed time and size.
    static func state(_ test: XCTestCase, size: Size = Size(width: 80, height: 24), progress: LearnerProgress = LearnerProgress()) throws -> AppState {
        AppState(project: try project(test), progress: progress, size: size, now: epoch)
    }

    static let epoch = Date(timeIntervalSince1970: 1_700_000_000)
}

extension AppState {
    /// Feeds events through `update`, returning every effect asked for.
    @discardableResult
    mutating func send(_ events: Event...) -> [Effect] {
        events.flatMap { Update.update(&self, $0) }
    }

    mutating func press(_ keys: Key...) -> [Effect] {
        keys.flatMap { Update.update(&self, .key($0)) }
    }

    mutating func type(_ text: String) -> [Effect] {
        text.flatMap { Update.update(&self, .key(.character($0))) }
    }

    /// Moves the clock on by `seconds`.
    mutating func wait(_ seconds: Double) {
        _ = Update.update(&self, .tick(now.addingTimeInterval(seconds)))
    }

    var screen: Screen { Render.render(self, size: size) }
}

/// Short names of effects, for assertions.
func names(_ effects: [Effect]) -> [String] {
    effects.map { effect in
        switch effect {
        case .loadLesson(let lesson): return "loadLesson \(lesson.id)"
        case .runTests(let run, let lesson): return "runTests #\(run) \(lesson.id)"
        case .stopRun(let run): return "stopRun #\(run)"
        case .watch(let lesson): return "watch \(lesson.id)"
        case .stopWatching: return "stopWatching"
        case .record(let change):
            switch change {
            case .testReport(let report, _): return "record tests \(report.lesson)"
            case .hintShown(let lesson, let index): return "record hint \(lesson) \(index + 1)"
            case .hintsReset(let lesson): return "record hints reset \(lesson)"
            case .solutionViewed(let lesson): return "record solution \(lesson)"
            case .milestone(let slug, let result): return "record milestone \(slug) \(result.summary)"
            }
        case .loadSolution(let lesson): return "loadSolution \(lesson.id)"
        case .planReset(let lesson): return "planReset \(lesson.id)"
        case .reset(let lesson): return "reset \(lesson.id)"
        case .runMilestone(let run, let milestone): return "runMilestone #\(run) \(milestone.slug)"
        case .prepareBuild(let lesson): return "prepareBuild \(lesson.id)"
        case .quit: return "quit"
        }
    }
}

/// Compares screens line by line, printing both in full on a mismatch (trailing spaces ignored).
func assertScreen(_ screen: Screen, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    let actual = screen.text
    let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
    var padded = wanted
    while padded.count < screen.height { padded.append("") }
    let expectedText = padded.joined(separator: "\n")
    if actual != expectedText {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(actualLines, padded).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actualLines.count, padded.count)
        XCTFail("screen differs at row \(firstDifference):\n--- actual ---\n\(actual)\n--- expected ---\n\(expectedText)", file: file, line: line)
    }
}

/// A report with one pass, one failure and one crash.
func sampleReport() -> LessonReport {
    LessonReport(lesson: "01", title: "Tensor", results: [
        TestResult(lesson: "01", testClass: "TensorTests", name: "test_unit_shape", status: .passed, message: "", seconds: 0.1),
        TestResult(lesson: "01", testClass: "TensorTests", name: "test_unit_strides", status: .failed,
                   message: "XCTAssertEqual failed: (\"[3, 1]\") is not equal to (\"[12, 4, 1]\") (Tests/LessonTests/01-tensor/TensorTests.swift:42)",
                   seconds: 0.1),
        TestResult(lesson: "01", testClass: "TensorTests", name: "test_unit_matmul", status: .crashed,
                   message: "TODO(lesson 01): implement matmul(_:) — Lessons/01-tensor/Exercise/Matmul.swift:12", seconds: 0.1,
                   location: "Lessons/01-tensor/Exercise/Matmul.swift:12"),
    ], buildSeconds: 1.2)
}
