import Foundation

/// Reads what one XCTest process printed and decides the verdict, in words a learner can use.
public enum XCTestOutput {
    /// The verdict on a test from how its process ended and what it printed.
    public static func classify(
        termination: Termination, output: String, testClass: String, name: String,
        timeLimit: Double, project: Project?
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
            if let crash = crashMessage(in: output, project: project) { return (.crashed, crash) }
            return (.failed, "the test process exited with status \(code)")
        case .signaled(let signal):
            var message = crashMessage(in: output, project: project) ?? "crashed with \(signalDescription(signal))"
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
            messages.append("\(message) (\(project?.relativePath(location) ?? location))")
        }
        return messages
    }

    /// The Swift runtime's last words: `TinyTorchTensor/Tensor.swift:12: Fatal error: TODO(…)`
    /// becomes `TODO(…) — Lessons/01-tensor/Exercise/Tensor.swift:12`. Handles fatal errors,
    /// preconditions and assertions, and a failed allocation.
    static func crashMessage(in output: String, project: Project?) -> String? {
        let kinds = ["Fatal error: ", "Precondition failed: ", "Assertion failed: "]
        for line in output.split(separator: "\n") {
            for kind in kinds {
                guard let range = line.range(of: kind) else { continue }
                let text = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                let prefix = kind == "Fatal error: " ? "" : kind
                var location = String(line[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
                if location.hasSuffix(":") { location.removeLast() }
                let message = (prefix + (text.isEmpty ? "fatal error" : text))
                guard !location.isEmpty, !location.hasPrefix("Swift/") else { return message }
                let parts = location.split(separator: ":")
                let file = String(parts.first ?? "")
                let shown = project?.sourcePath(forFileID: file) ?? file
                let lineNumber = parts.count > 1 ? ":\(parts[1])" : ""
                return "\(message) — \(shown)\(lineNumber)"
            }
        }
        return nil
    }
}

func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
}
