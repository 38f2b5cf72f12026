import ArgumentParser
import Foundation
import TutorCore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the course: every test fails on its stub and passes on its solution.",
        discussion: "Exit status: 0 when the course is sound, 1 when anything is wrong.")

    @Argument(help: "Lessons to check (numbers, names or ranges); default: every written lesson.")
    var lessons: [String] = []

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    @OptionGroup var options: RunOptions

    func run() throws {
        let project = try loadProject()
        let selected: [Course.Lesson]
        do {
            selected = try project.course.lessons(selection: lessons.isEmpty ? "all" : lessons.joined(separator: ","))
        } catch { throw fail(error.localizedDescription) }
        guard !selected.isEmpty else { throw fail("no written lesson to verify.", code: 1) }
        stopChildrenOnInterrupt()
        let report = Verifier(tester: options.tester(project)).verify(selected, onEvent: progressPrinter(enabled: !json))
        if json {
            try writeJSON(report)
        } else {
            for run in report.stubRuns {
                let failing = run.results.filter { $0.status == .failed || $0.status == .crashed }.count
                print("lesson \(run.lesson) \(run.title): \(failing)/\(run.results.count) tests fail on the stubs")
            }
            for run in report.solutionRuns {
                print("lesson \(run.lesson) \(run.title): \(run.passedCount)/\(run.results.count) tests pass on the solution")
            }
            if report.passed {
                print("verify: OK — \(selected.count) lesson\(selected.count == 1 ? "" : "s") checked.")
            } else {
                print("verify: \(report.violations.count) problem\(report.violations.count == 1 ? "" : "s"):")
                for violation in report.violations { print("  ✗ \(violation)") }
            }
        }
        if !report.passed { throw ExitCode(1) }
    }
}
