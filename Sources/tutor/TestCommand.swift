import ArgumentParser
import Foundation
import TutorCore

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Build your code and run a lesson's tests, each in its own process.",
        discussion: "Exit status: 0 when every test passes; 1 when any fails, crashes, times out or does not compile; 2 when the tests could not run at all (no Swift, a broken course).")

    @OptionGroup var lessonArgument: LessonArgument

    @Option(name: .long, parsing: .upToNextOption, help: "Run only these tests (names like test_unit_matmul).")
    var only: [String] = []

    @Flag(name: .long, help: "Test the reference solution instead of your code (for course authors).")
    var solutions = false

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    @OptionGroup var options: RunOptions

    func run() throws {
        let project = try loadProject()
        let lesson = try lessonArgument.resolve(in: project)
        stopChildrenOnInterrupt()
        let tester = options.tester(project)
        let sources: LessonTester.Sources = solutions ? .solutions(project.course) : .learner
        let report = tester.test(lesson, sources: sources, only: only.isEmpty ? nil : Set(only),
                                 onEvent: progressPrinter(enabled: !json))
        var saved: LearnerProgress?
        if !solutions && report.problem == nil {
            saved = saveProgress(project, .testReport(report, fullRun: only.isEmpty))
        }
        if json {
            try writeJSON(report)
        } else {
            let status = saved.map { CourseStatus(course: project.course, progress: $0) }
            print(ReportText.lessonReport(report, project: project, style: .forStandardOutput(), status: status),
                  terminator: "")
        }
        if report.problem != nil { throw ExitCode(2) }
        if !report.allPassed { throw ExitCode(1) }
    }
}
