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

    func testTheRepositoryAgreesWithCourseJSON() throws {
        let registry = CourseRegistry(project: project)
        XCTAssertEqual(registry.problems(), [], "run `swift run tutor manifest --update`, then fix what remains")
        XCTAssertEqual(registry.buildProblems(), [], "the package SwiftPM evaluates")
    }

    /// Every unit test of a lesson has a hint that names it, and every name is a test's: else `h`
    /// could not open the hint about a failing test.
    func testTheRegistryNamesTestsWithoutAHintAndHintsNamingNoTest() {
        let hints = Hints(markdown: "## Strides\n<!-- tests: strides strid -->\nB.\n")
        let problems = CourseRegistry(project: project).hintProblems(
            hints, file: "Lessons/01-tensor/hints.md", testNames: ["test_unit_strides_a", "test_unit_count_b", "test_module"])
        XCTAssertEqual(problems, [
            "Lessons/01-tensor/hints.md: no hint names test_unit_count_b in a `<!-- tests: … -->` line",
            "Lessons/01-tensor/hints.md: hint 1 (“Strides”) names “strid”, which matches no test",
        ], "test_module may go without a hint")
        XCTAssertEqual(CourseRegistry(project: project).hintProblems(Hints(hints: []), file: "h.md", testNames: []),
                       ["h.md has no `## ` hint sections"])
    }

    /// A lesson's test class that does not inherit from LessonTestCase could never pass: the
    /// registry says so.
    func testTheRegistryNamesATestClassWithoutTheWitness() throws {
        let root = try temporaryDirectory(self)
        try write("import XCTest\nfinal class TensorTests: XCTestCase {}\n", to: root.appendingPathComponent("Tests/T/TensorTests.swift"))
        try write(String(contentsOf: repositoryRoot.appendingPathComponent("Lessons/course.json"), encoding: .utf8),
                  to: root.appendingPathComponent("Lessons/course.json"))
        let registry = CourseRegistry(project: project)
        let copy = CourseRegistry(project: try Project(root: root))
        XCTAssertEqual(registry.witnessProblems(testsFolder: "Tests/LessonTests/01-tensor"), [])
        XCTAssertEqual(copy.witnessProblems(testsFolder: "Tests/T"), [
            "Tests/T/TensorTests.swift: `final class TensorTests: XCTestCase {}` — lesson tests inherit from LessonTestCase, "
                + "the witness of their verdicts, or none of them can pass"])
    }

    /// A stub that stops with fatalError instead of todo(…) is named, file and line.
    func testTheRegistryNamesAStubThatCallsFatalError() throws {
        let root = try temporaryDirectory(self)
        try write("public func relu() -> Int {\n    fatalError(\"TODO(lesson 02): implement relu()\")\n}\n",
                  to: root.appendingPathComponent("Lessons/02-activations/Exercise/Activations.swift"))
        try write(String(contentsOf: repositoryRoot.appendingPathComponent("Lessons/course.json"), encoding: .utf8),
                  to: root.appendingPathComponent("Lessons/course.json"))
        let copy = CourseRegistry(project: try Project(root: root))
        XCTAssertEqual(copy.stubProblems(exerciseFolder: "Lessons/02-activations/Exercise"), [
            "Lessons/02-activations/Exercise/Activations.swift:2: a stub calls fatalError — write "
                + "`todo(\"TODO(lesson NN): implement …\")` (lesson 01's Provided/Todo.swift)"])
        XCTAssertEqual(CourseRegistry(project: project).stubProblems(exerciseFolder: "Lessons/01-tensor/Exercise"), [])
    }

    /// A copy of the course whose course.json is changed without `tutor manifest --update`: the
    /// check names what disagrees; after the update, the build follows course.json.
    func testTheRegistryCheckFailsWhenCourseJSONAndTheBuildDisagree() throws {
        let root = try temporaryDirectory(self)
        for path in ["Package.swift", "Lessons", "Checkpoints", "Tests/LessonTests"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(path).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(path), to: root.appendingPathComponent(path))
        }
        let courseFile = root.appendingPathComponent("Lessons/course.json")
        var course = try Course.load(from: courseFile)
        course.lessons[7].requires = [1]   // lesson 08 builds on lesson 01 only
        try JSONEncoder().encode(course).write(to: courseFile)
        var copy = CourseRegistry(project: try Project(root: root))

        XCTAssertEqual(copy.problems(), ["Package.swift does not match Lessons/course.json — run `swift run tutor manifest --update`"])
        // The evaluated package still builds lesson 08 on lessons 01–07, and each written lesson
        // built on lesson 08 (09 Spatial, …) on all of 01–08: one problem for each whose lessons
        // change. (13 Transformers builds on 07 and 12 too, which still bring in 01–06: its
        // lessons stay the same, so it has no problem.)
        let original = try Course.load(from: repositoryRoot.appendingPathComponent("Lessons/course.json"))
        let changed = course.writtenLessons.filter { lesson in
            lesson.number == 8 || course.prerequisites(of: lesson)
                != original.prerequisites(of: original.lessons[lesson.number - 1])
        }
        XCTAssertEqual(copy.buildProblems().count, changed.count, copy.buildProblems().joined(separator: "\n"))
        XCTAssertTrue(copy.buildProblems().contains {
            $0.hasPrefix("Package.swift builds TinyTorchData on") && $0.contains("course.json says it builds on [\"TinyTorchTensor\"]")
        }, copy.buildProblems().joined(separator: "\n"))

        XCTAssertEqual(try copy.update(), ["Package.swift"])
        XCTAssertEqual(copy.problems(), [])
        XCTAssertEqual(copy.buildProblems(), [])

        // A hand edit of the derived table, an unwritten lesson that has folders, and a folder the
        // course does not know.
        let packageFile = root.appendingPathComponent("Package.swift")
        let package = try String(contentsOf: packageFile, encoding: .utf8)
        try package.replacingOccurrences(of: "module: \"TinyTorchData\"", with: "module: \"TinyTorchLoader\"")
            .write(to: packageFile, atomically: true, encoding: .utf8)
        course.lessons[7].written = false
        try JSONEncoder().encode(course).write(to: courseFile)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Lessons/21-extra"), withIntermediateDirectories: true)
        copy = CourseRegistry(project: try Project(root: root))
        let problems = copy.problems()
        XCTAssertTrue(problems.contains("milestone mnist is written but requires lesson 08, which is not"), "\(problems)")
        XCTAssertTrue(problems.contains("Package.swift does not match Lessons/course.json — run `swift run tutor manifest --update`"))
        XCTAssertTrue(problems.contains("Lessons/TinyTorch/TinyTorch.swift does not match Lessons/course.json — run `swift run tutor manifest --update`"))
        XCTAssertTrue(problems.contains("Lessons/08-dataloader exists but lesson 08 is not written in course.json"), "\(problems)")
        XCTAssertTrue(problems.contains("Lessons/21-extra is not a lesson of course.json (lesson folders are named NN-slug)"), "\(problems)")
    }

    func testTheLessonGraph() {
        let course = project.course
        XCTAssertEqual(course.graphProblems(), [])
        XCTAssertEqual(course.lessonsNeeded(for: [8]), Array(1...8))
        XCTAssertEqual(course.lessonsNeeded(for: [9]), Array(1...9), "vision builds on Phase 2")
        XCTAssertEqual(course.lessonsNeeded(for: [10]), [1, 10], "tokenization needs tensors only")
        XCTAssertEqual(course.lessonsNeeded(for: [12]), [1, 2, 3, 4, 5, 10, 11, 12])
        XCTAssertEqual(course.lessonsNeeded(for: [13]), [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13], "the language track skips 09")
        XCTAssertEqual(course.lessonsNeeded(for: course.milestones[4]), course.lessonsNeeded(for: [13]))
        XCTAssertEqual(course.prerequisites(of: course.lessons[10]), [1, 2, 3, 4, 5, 10])

        var broken = course
        broken.lessons[1].requires = [3]
        broken.lessons[2].requires = [99]
        XCTAssertEqual(broken.graphProblems(), [
            "lesson 02 requires lesson 03: a lesson may only require earlier lessons",
            "lesson 03 requires lesson 99, which is not in the course",
        ])
    }

    /// After Phase 2 the course forks: the next step offers both tracks, then follows the one taken.
    func testTheNextStepFollowsTheGraphAndOffersTheTracks() {
        var course = project.course
        for index in 8...12 { course.lessons[index].written = true }
        var progress = LearnerProgress()
        func pass(_ ids: [String]) {
            for id in ids { progress.lessons[id] = .init(); progress.lessons[id]?.completed = true }
        }
        func next(after id: String) -> CourseStatus.NextStep {
            CourseStatus(course: course, progress: progress).nextStep(afterPassing: id)
        }
        pass(["01"])
        XCTAssertEqual(next(after: "01"), .lessons([course.lessons[1]]), "lesson 10 needs only 01, but Phase 1 comes first")
        pass(["02", "03", "04", "05", "06", "07", "08"])
        XCTAssertEqual(next(after: "08"), .lessons([course.lessons[8], course.lessons[9]]), "vision (09) or language (10)")
        pass(["10"])
        XCTAssertEqual(next(after: "10"), .lessons([course.lessons[10]]), "on the language track: 11")
        pass(["11", "12", "13"])
        XCTAssertEqual(next(after: "13"), .lessons([course.lessons[8]]), "the other track is left: 09")
        pass(["09"])
        XCTAssertEqual(next(after: "09"), .coming(course.lessons[13]), "14 is not written")

        let status = CourseStatus(course: course, progress: progress)
        let text = NextStepText.afterPassing("08", status: CourseStatus(course: course, progress: {
            var early = LearnerProgress()
            for id in ["01", "02", "03", "04", "05", "06", "07", "08"] { early.lessons[id] = .init(); early.lessons[id]?.completed = true }
            return early
        }()), surface: .commandLine)
        XCTAssertTrue(text.contains("Next, choose a track (you can take both, in either order) — "
            + "Vision: lesson 09 Spatial — `swift run tutor test 09`; or Language: lesson 10 Tokenization — `swift run tutor test 10`."), text)
        XCTAssertEqual(status.unmetPrerequisites(of: course.lessons[12]), [])
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
        XCTAssertEqual(status.state(of: course.milestones[0]), .locked(needs: [2, 3, 4]), "the perceptron needs 04 and what it builds on")
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
