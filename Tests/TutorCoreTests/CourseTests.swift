import XCTest
@testable import TutorCore
import TutorTestSupport

/// The real course definition, and that it agrees with Package.swift and the folders.
final class CourseTests: XCTestCase {
    var project: Project!

    override func setUpWithError() throws {
        project = try Project(root: repositoryRoot)
    }

    func testCourseHasTwentyLessonsInFourPhasesAndSixMilestones() {
        let course = project.course
        XCTAssertEqual(course.lessons.map(\.number), Array(1...20))
        XCTAssertEqual(Set(course.lessons.map(\.phase)), [1, 2, 3, 4])
        XCTAssertEqual(course.phases.map(\.number), [1, 2, 3, 4])
        XCTAssertEqual(course.milestones.map(\.year), [1957, 1969, 1986, 1998, 2017, 2024])
        XCTAssertEqual(Set(course.lessons.map(\.testClass)).count, 20, "test classes are unique")
        XCTAssertEqual(Set(course.lessons.map(\.module)).count, 20)
        for lesson in course.lessons {
            XCTAssertNotEqual(lesson.module, lesson.title, "a module named like its main type breaks qualified names")
        }
    }

    func testWrittenLessonsAgreeWithPackageAndFolders() throws {
        let package = try String(contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declared = package.split(separator: "\n").filter { $0.contains("WrittenLesson(number:") }
        XCTAssertEqual(declared.count, project.course.writtenLessons.count, "Package.swift's writtenLessons vs course.json")
        for lesson in project.course.lessons {
            let folderExists = FileManager.default.fileExists(atPath: project.lessonDirectory(lesson).path)
            XCTAssertEqual(folderExists, lesson.written, "Lessons/\(lesson.folder) exists = written in course.json")
            if lesson.written {
                XCTAssertTrue(declared.contains { $0.contains("\"\(lesson.folder)\"") && $0.contains("\"\(lesson.module)\"") },
                              "Package.swift declares \(lesson.folder) as \(lesson.module)")
                for path in project.exercisePaths(lesson) {
                    XCTAssertTrue(FileManager.default.fileExists(atPath: project.root.appendingPathComponent(path).path), path)
                }
            }
        }
    }

    func testLessonsAreFoundByNumberNameOrFolder() throws {
        let course = project.course
        XCTAssertEqual(try course.lesson(named: "1").number, 1)
        XCTAssertEqual(try course.lesson(named: "01").number, 1)
        XCTAssertEqual(try course.lesson(named: "tensor").number, 1)
        XCTAssertEqual(try course.lesson(named: "Tensor").number, 1)
        XCTAssertEqual(try course.lesson(named: "01-tensor").number, 1)
        XCTAssertEqual(try course.lesson(named: "dataloader").number, 8)
        XCTAssertThrowsError(try course.lesson(named: "tensors")) { error in
            XCTAssertTrue(error.localizedDescription.contains("no lesson called 'tensors'"))
        }
        XCTAssertThrowsError(try course.writtenLesson(named: "20")) { error in
            XCTAssertEqual(error as? CourseError, .lessonNotWritten("20 Capstone"))
        }
    }

    func testSelections() throws {
        let course = project.course
        let written = course.writtenLessons.map(\.number)
        XCTAssertEqual(try course.lessons(selection: "all").map(\.number), written)
        XCTAssertEqual(try course.lessons(selection: "1-4").map(\.number), written.filter { $0 <= 4 })
        XCTAssertEqual(try course.lessons(selection: "tensor").map(\.number), [1])
        XCTAssertThrowsError(try course.lessons(selection: "4-1"))
        XCTAssertThrowsError(try course.lessons(selection: "1-99"))
        XCTAssertThrowsError(try course.lessons(selection: "1,,2"))
    }

    func testLocateWalksUpFromASubfolder() throws {
        let found = try Project.locate(from: repositoryRoot.appendingPathComponent("Lessons/01-tensor"))
        XCTAssertEqual(found.root.path, repositoryRoot.standardizedFileURL.path)
        XCTAssertThrowsError(try Project.locate(from: URL(fileURLWithPath: "/"))) { error in
            XCTAssertTrue(error.localizedDescription.contains("not inside the course"))
        }
    }

    func testStatusLocksMilestonesUntilTheirLessonsPass() {
        var progress = LearnerProgress()
        progress.lessons["01"] = .init()
        progress.lessons["01"]?.completed = true
        var course = project.course
        course.milestones[0].written = true
        let status = CourseStatus(course: course, progress: progress)
        XCTAssertEqual(status.state(of: course.milestones[0]), .locked(needs: [2, 3, 4]))
        XCTAssertEqual(status.state(of: course.milestones[0]).text, "locked — needs lessons 02, 03, 04")
        XCTAssertEqual(status.state(of: course.milestones[5]), .coming)
        XCTAssertEqual(status.state(of: course.lessons[0]), .passed)
        XCTAssertEqual(status.state(of: course.lessons[19]), .coming)
    }

    func testPassingTheLastLessonAMilestoneNeedsNamesIt() {
        var progress = LearnerProgress()
        for id in ["01", "02", "03", "04"] {
            progress.lessons[id] = .init()
            progress.lessons[id]?.completed = true
        }
        let course = project.course
        var status = CourseStatus(course: course, progress: progress)
        XCTAssertEqual(status.milestonesOpened(by: "04").map(\.slug), ["perceptron"], "lessons 01–04 open the Perceptron")
        XCTAssertEqual(status.milestonesOpened(by: "05").map(\.slug), [], "lesson 05 is not one the Perceptron needs")
        let report = LessonReport(lesson: "04", title: "Losses", results: [
            TestResult(lesson: "04", testClass: "LossesTests", name: "test_module", status: .passed, message: "", seconds: 0.1),
        ], buildSeconds: 1)
        let text = ReportText.lessonReport(report, project: project, style: .plain, status: status)
        XCTAssertTrue(text.contains("The 1957 milestone, The Perceptron, is ready: `swift run tutor milestone run perceptron`."), text)
        XCTAssertTrue(text.contains("Next: lesson 05"), text)

        progress.milestones["perceptron"] = .init()
        progress.milestones["perceptron"]?.achieved = true
        status = CourseStatus(course: course, progress: progress)
        XCTAssertEqual(status.milestonesOpened(by: "04").map(\.slug), [], "an achieved milestone is not news")
    }
}
