import ArgumentParser
import Foundation
import TutorCore

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade lessons headlessly and write reports (for CI).",
        discussion: """
            Exit status: 0 when every graded lesson passes, 1 when a test fails (or, with --strict, \
            test files were changed), 2 when grading could not run.
            """)

    @Option(name: .long, help: "Lessons to grade: all, or numbers and ranges such as 1-4 or 1,3.")
    var lessons: String = "all"

    @Option(name: .long, help: "Write a JUnit XML report here.")
    var junit: String?

    @Option(name: .customLong("json"), help: "Write a JSON report here.")
    var jsonPath: String?

    @Option(name: .long, help: "Write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).")
    var markdown: String?

    @Flag(name: .long, help: "Fail the grade when test files differ from the course's manifest.")
    var strict = false

    @OptionGroup var options: RunOptions

    func run() throws {
        let project = try loadProject()
        let selected: [Course.Lesson]
        do { selected = try project.course.lessons(selection: lessons) } catch { throw fail(error.localizedDescription) }
        guard !selected.isEmpty else { throw fail("no written lesson in '\(lessons)' to grade.") }
        stopChildrenOnInterrupt()
        let report = Grader(course: .learnersCopy(project), runner: options.runner)
            .grade(selected, strict: strict, onEvent: progressPrinter(enabled: true))
        do {
            if let junit { try Reports.junit(report).write(toFile: junit, atomically: true, encoding: .utf8) }
            if let jsonPath { try Reports.json(report).write(toFile: jsonPath, atomically: true, encoding: .utf8) }
            if let markdown { try Reports.markdown(report).write(toFile: markdown, atomically: true, encoding: .utf8) }
        } catch {
            throw fail("could not write a report: \(error.localizedDescription)")
        }
        print(Reports.markdown(report), terminator: "")
        throw ExitCode(report.exitCode)
    }
}
