import Foundation

/// The verdict on one test.
public enum TestStatus: String, Codable, Sendable, CaseIterable {
    case passed
    case failed
    case crashed
    case timedOut = "timed out"
    case didNotCompile = "did not compile"

    public var isPass: Bool { self == .passed }
    /// One-character mark for terminals.
    public var symbol: String {
        switch self {
        case .passed: return "✓"
        case .failed: return "✗"
        case .crashed: return "💥"
        case .timedOut: return "⏱"
        case .didNotCompile: return "⚠"
        }
    }
}

/// The outcome of one test of one lesson.
public struct TestResult: Codable, Sendable, Equatable {
    /// Lesson id, `01`.
    public var lesson: String
    /// XCTest class, `TensorTests`.
    public var testClass: String
    /// Test method, `test_unit_matmul`.
    public var name: String
    public var status: TestStatus
    /// What went wrong, in the words of the assertion, the crash or the tutor. Empty on a pass.
    public var message: String
    public var seconds: Double
    /// Where in the learner's files it went wrong, relative to the project
    /// (`Lessons/01-tensor/Exercise/Tensor.swift:44`), when known: the place of a crash.
    public var location: String?

    public init(lesson: String, testClass: String, name: String, status: TestStatus, message: String, seconds: Double,
                location: String? = nil) {
        self.lesson = lesson
        self.testClass = testClass
        self.name = name
        self.status = status
        self.message = message
        self.seconds = seconds
        self.location = location
    }
}

/// One error or warning from the compiler, with its path relative to the project.
public struct CompilerDiagnostic: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable { case error, warning }
    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String
    /// The compiler's notes on this diagnostic, which often hold the fix ("use 'Swift.' to
    /// reference the global function"), as `note: message (file:line)`. Nil when there are none.
    public var notes: [String]?

    public init(file: String, line: Int, column: Int, severity: Severity, message: String, notes: [String]? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.notes = notes
    }

    /// `Lessons/01-tensor/Exercise/Tensor.swift:12: error: cannot find 'x' in scope`
    public var description: String { "\(file):\(line): \(severity.rawValue): \(message)" }
}

/// Everything a test run of one lesson produced.
public struct LessonReport: Codable, Sendable {
    public var lesson: String
    public var title: String
    /// Compiler errors (first error first) when the build failed; then every test is
    /// `didNotCompile`.
    public var compileErrors: [CompilerDiagnostic]
    public var results: [TestResult]
    public var buildSeconds: Double
    /// Set when the lesson could not be tested at all for a reason that is not the learner's
    /// code (no test found, build tool missing…).
    public var problem: String?
    /// Who built the lesson: SwiftPM, or the plan captured from its last build (nil: no build).
    public var buildRoute: BuildOutcome.Route?

    public init(lesson: String, title: String, compileErrors: [CompilerDiagnostic] = [],
                results: [TestResult] = [], buildSeconds: Double = 0, problem: String? = nil) {
        self.lesson = lesson
        self.title = title
        self.compileErrors = compileErrors
        self.results = results
        self.buildSeconds = buildSeconds
        self.problem = problem
    }

    public var passedCount: Int { results.filter(\.status.isPass).count }

    /// The first test that does not pass: the one to work on next (tests run in lesson order).
    public var firstFailure: TestResult? { results.first { !$0.status.isPass } }

    /// Where the first failure happened in the learner's files, e.g.
    /// `Lessons/01-tensor/Exercise/Tensor.swift:44`, when known.
    public var firstFailureLocation: String? {
        firstFailure?.location.flatMap { $0.hasPrefix("Lessons/") ? $0 : nil }
    }
    /// True only when tests ran and every one passed: zero tests is never a pass.
    public var allPassed: Bool {
        problem == nil && compileErrors.isEmpty && !results.isEmpty && results.allSatisfy(\.status.isPass)
    }
}
