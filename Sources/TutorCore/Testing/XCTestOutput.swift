import Foundation

/// Reads what one XCTest process printed and decides the verdict, in words a learner can use.
public enum XCTestOutput {
    /// The verdict on a test from how its process ended and what it printed.
    public static func classify(
        termination: Termination, output: String, testClass: String, name: String,
        timeLimit: Double, project: Project?
    ) -> (TestStatus, String) {
        let verdict = verdict(termination: termination, output: output, testClass: testClass, name: name,
                              timeLimit: timeLimit, project: project)
        return (verdict.status, verdict.message)
    }

    /// The first frame of a Swift backtrace that lies in the course's `Lessons/` files, as
    /// `Lessons/01-tensor/Exercise/Tensor.swift:44`. Frames look like
    /// `3 [ra] 0x… get(_:_:) + 47 in TinyTorchSwiftPackageTests.xctest at /…/Lessons/01-tensor/Exercise/Tensor.swift:44:12`.
    public static func firstLessonFrame(in output: String, project: Project) -> String? {
        for line in output.split(separator: "\n") {
            guard let at = line.range(of: " at /", options: .backwards) else { continue }
            let place = "/" + line[at.upperBound...].trimmingCharacters(in: .whitespaces)
            let parts = place.split(separator: ":")
            guard parts.count >= 2, let lineNumber = Int(parts[1]) else { continue }
            let path = project.relativePath(String(parts[0]))
            if path.hasPrefix("Lessons/") { return "\(path):\(lineNumber)" }
        }
        return nil
    }

    /// The verdict with, for a crash, its place in the learner's files as data.
    public static func verdict(
        termination: Termination, output: String, testClass: String, name: String,
        timeLimit: Double, project: Project?
    ) -> (status: TestStatus, message: String, location: String?) {
        let crash = SwiftCrash.report(in: output, project: project)
        let (status, message) = words(termination: termination, output: output, testClass: testClass, name: name,
                                      timeLimit: timeLimit, project: project, crash: crash)
        return (status, message, status == .crashed ? crash?.location : nil)
    }

    private static func words(
        termination: Termination, output: String, testClass: String, name: String,
        timeLimit: Double, project: Project?, crash: SwiftCrash.Report?
    ) -> (TestStatus, String) {
        let failures = assertionFailures(in: output, testClass: testClass, name: name, project: project)
        switch termination {
        case .exited(0):
            if output.contains("Executed 0 tests") || !output.contains("Executed 1 test") {
                return (.failed, "the test did not run (no test called \(testClass)/\(name) in the build)")
            }
            return (.passed, "")
        case .exited(let code):
            if !failures.isEmpty { return (.failed, failures.joined(separator: "\n")) }
            if let crash { return (.crashed, crash.text) }
            return (.failed, "the test process exited with status \(code)")
        case .signaled(let signal):
            var message = crash?.text ?? "crashed with \(signalDescription(signal))"
            if !failures.isEmpty { message = failures.joined(separator: "\n") + "\nthen " + message }
            return (.crashed, message)
        case .timedOut:
            return (.timedOut, "still running after \(formatSeconds(timeLimit)) — an infinite loop, or far too much work? "
                + "The test was stopped.")
        case .cancelled:
            return (.failed, "stopped before it finished")
        }
    }

    /// `…/TensorTests.swift:12: error: TensorTests.test_x : XCTAssertEqual failed: … - message`
    /// becomes `XCTAssertEqual failed: … - message (Tests/LessonTests/01-tensor/TensorTests.swift:12)`.
    static func assertionFailures(in output: String, testClass: String, name: String, project: Project?) -> [String] {
        let marker = ": error: \(testClass).\(name) : "
        var messages: [String] = []
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: marker) else { continue }
            let location = String(line[..<range.lowerBound])
            let message = String(line[range.upperBound...])
            // An error thrown out of the test has no place of its own: XCTest says `<EXPR>:0`.
            if location.hasPrefix("<EXPR>") {
                messages.append(message)
            } else {
                messages.append("\(message) (\(project?.relativePath(location) ?? location))")
            }
        }
        return messages
    }
}

func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
}
