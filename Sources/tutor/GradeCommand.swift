import ArgumentParser
import Foundation
import TutorCore

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade lessons headlessly and write reports (for CI).",
        discussion: """
            Exit status: 0 when every graded lesson passes, 1 when a test fails (or, with --strict, \
            course files were changed), 2 when grading could not run.

            The learner controls every file of their repository — tests, manifests, Package.swift, \
            course.json — and the tutor built from it. To grade work you did not write yourself, run \
            a tutor built from your copy of the course with --trusted-course: then only the learner's \
            Lessons/*/Exercise/*.swift are taken from their repository, laid into a temporary copy of \
            yours, and that is built and tested. SOURCE is one of:
              ../course         a folder holding the course, copied as it is
              REPOSITORY#REF    a git repository (a URL, or a path here) at a branch,
                                tag or full commit id: https://host/org/course.git#v1.0
              <40 hex digits>   a full commit id of the learner's own repository
            A branch, a tag or an abbreviated id of the learner's own repository is theirs \
            to move, and is refused; a full commit id names its content, which git checks.
            """)

    @Option(name: .long, help: "Lessons to grade: all, or numbers and ranges such as 1-4 or 1,3.")
    var lessons: String = "all"

    @Option(name: .long, help: ArgumentHelp(
        "Grade against this trusted copy of the course: a folder, a git URL or path with #ref, or a full commit id.",
        valueName: "source"))
    var trustedCourse: String?

    @Option(name: .long, help: "Write a JUnit XML report here.")
    var junit: String?

    @Option(name: .customLong("json"), help: "Write a JSON report here.")
    var jsonPath: String?

    @Option(name: .long, help: "Write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).")
    var markdown: String?

    @Flag(name: .long, help: "Fail the grade when course files differ: the test files from the manifest, or with --trusted-course every file taken from it.")
    var strict = false

    @OptionGroup var options: RunOptions

    func run() throws {
        stopChildrenOnInterrupt()
        let (course, scratch) = try gradedCourse()
        defer { scratch?.remove() }
        let selected: [Course.Lesson]
        do { selected = try course.project.course.lessons(selection: lessons) } catch { throw fail(error.localizedDescription) }
        guard !selected.isEmpty else { throw fail("no written lesson in '\(lessons)' to grade.") }
        let grader = Grader(course: course, runner: options.runner)
        let grade = { grader.grade(selected, strict: strict, onEvent: progressPrinter(enabled: true)) }
        let report: GradeReport
        do { report = try scratch.map { try $0.holdingTemporaryFiles(grade) } ?? grade() } catch {
            throw fail("could not make a temporary folder: \(error.localizedDescription)")
        }
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

    /// The course to build: the learner's clone, or the trusted course with their exercises laid
    /// in, in a temporary folder the caller removes.
    private func gradedCourse() throws -> (GradedCourse, TemporaryFolder?) {
        guard let trustedCourse else { return (.learnersCopy(try loadProject()), nil) }
        let scratch: TemporaryFolder
        do {
            let learnerRoot = try Project.locateRoot()
            let source = try TrustedCourseSource(parsing: trustedCourse, learnerRoot: learnerRoot)
            scratch = try TemporaryFolder(prefix: "tutor-trusted-course")
            do {
                let start = Date()
                let course = try TrustedCourse.prepare(source, as: trustedCourse, learnerRoot: learnerRoot, in: scratch)
                printError(String(format: "Trusted course ready in %.1f s: ", Date().timeIntervalSince(start))
                           + Reports.origin(course.origin).split(separator: "\n")[0])
                if course.origin.tutorFromLearnersCopy {
                    printError("tutor: warning: this tutor was built from the learner's repository, whose code the learner "
                               + "controls. Build it from the trusted course and grade with that.")
                }
                return (course, scratch)
            } catch {
                scratch.remove()
                throw error
            }
        } catch {
            throw fail(error.localizedDescription)
        }
    }
}
