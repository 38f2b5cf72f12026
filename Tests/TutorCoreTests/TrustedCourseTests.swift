import XCTest
@testable import TutorCore
import TutorTestSupport

/// Grading against a trusted course, with real git repositories and real builds: each cheat a
/// learner can make in their own repository is caught, only their exercise files are graded, and
/// every wrong source says what is wrong.
final class TrustedCourseTests: XCTestCase {
    // MARK: The cheats (each a real grade: a cold build of the miniature course)

    /// Tests rewritten to pass whatever the code does, and their manifest regenerated to match:
    /// the trusted course's tests are what run.
    func testRewrittenTestsAndTheirManifestAreNotUsed() throws {
        let fixture = try TrustedFixture.make(self)
        let tests = fixture.learner.appendingPathComponent("Tests/LessonTests/01-tensor/TensorTests.swift")
        try write(TrustedFixture.tensorTests.replacingOccurrences(of: "XCTAssertEqual(todo(), 1)", with: "XCTAssertTrue(true)"),
                  to: tests)
        let learner = try Project(root: fixture.learner)
        try Manifests(project: learner).update()
        XCTAssertEqual(try Manifests(project: learner).tamperedTestFiles().count, 0,
                       "the learner's own manifest certifies the rewritten tests")

        let report = try grade(fixture, against: fixture.course.path, lessons: "1")

        XCTAssertEqual(report.exitCode, 1)
        XCTAssertEqual(report.lessons.first?.results.map(\.status), [.crashed], "the course's test ran on the stub")
        let message = report.lessons.first?.results.first?.message ?? ""
        XCTAssertTrue(message.contains("TODO(lesson 01)"), message)
        XCTAssertEqual(report.tampered, [.init(path: "Tests/LessonTests/01-tensor/TensorTests.swift", problem: "modified"),
                                         .init(path: "Tests/LessonTests/SHA256SUMS", problem: "modified")])
        XCTAssertEqual(report.origin.kind, .folder)
        XCTAssertEqual(report.origin.commit, fixture.commit)
    }

    /// Package.swift told to compile the reference solutions: the trusted Package.swift is used,
    /// and the trusted copy has no solutions to compile anyway.
    func testAPackageManifestThatPicksTheSolutionsIsNotUsed() throws {
        let fixture = try TrustedFixture.make(self)
        let package = fixture.learner.appendingPathComponent("Package.swift")
        let original = try String(contentsOf: package, encoding: .utf8)
        let cheat = original.replacingOccurrences(of: "let useSolution = solutionLessons.contains(lesson.number)",
                                                  with: "let useSolution = true")
        XCTAssertNotEqual(cheat, original, "Package.swift picks Solution/ with this line")
        try write(cheat, to: package)
        try git(["commit", "-qam", "all done"], in: fixture.learner)

        // The course's own commit, which the learner's history holds.
        let report = try grade(fixture, against: fixture.commit, lessons: "1")

        XCTAssertEqual(report.exitCode, 1)
        XCTAssertEqual(report.lessons.first?.results.map(\.status), [.crashed], "the stub was compiled, not the solution")
        XCTAssertEqual(report.tampered, [.init(path: "Package.swift", problem: "modified")])
        XCTAssertEqual(report.origin, CourseOrigin(kind: .git, source: "the learner's repository", commit: fixture.commit))
    }

    /// A lesson marked not written in the learner's course.json is graded all the same, when the
    /// trusted course says it is written; a lesson done honestly passes.
    func testALessonMarkedUnwrittenByTheLearnerIsGraded() throws {
        let fixture = try TrustedFixture.make(self)
        try write(FixtureCourse.exercise.replacingOccurrences(of: #"let stub = "TODO(lesson 01): implement todo()"; fatalError(stub)"#, with: "1"),
                  to: fixture.learner.appendingPathComponent("Lessons/01-tensor/Exercise/Tensor.swift"))
        var course = try Course.load(from: fixture.learner.appendingPathComponent("Lessons/course.json"))
        course.lessons[1].written = false
        try FixtureCourse.writeCourse(course, to: fixture.learner)
        try git(["commit", "-qam", "lesson 01, and lesson 02 is not part of the course"], in: fixture.learner)
        XCTAssertEqual(try Project(root: fixture.learner).course.lessons(selection: "all").map(\.id), ["01"],
                       "the learner's course.json leaves lesson 02 out")

        let report = try grade(fixture, against: fixture.course.path + "#main", lessons: "all")

        XCTAssertEqual(report.exitCode, 1)
        XCTAssertEqual(report.lessons.map(\.lesson), ["01", "02"])
        guard report.lessons.count == 2 else { return }
        XCTAssertTrue(report.lessons[0].allPassed, "honest work passes: \(report.lessons[0].results)")
        XCTAssertEqual(report.lessons[1].results.map(\.status), [.crashed])
        XCTAssertEqual(report.tampered.map(\.path), ["Lessons/TinyTorch/TinyTorch.swift", "Lessons/course.json", "Package.swift"])
        XCTAssertEqual(report.origin, CourseOrigin(kind: .git, source: fixture.course.path + "#main", commit: fixture.commit))
    }

    // MARK: What is taken from the learner

    /// Only regular `Lessons/*/Exercise/*.swift` files of the lessons the trusted course declares
    /// come from the learner; everything else is the course's, and each difference is named.
    func testOnlyTheLearnersExerciseFilesAreLaidIn() throws {
        let fixture = try TrustedFixture.make(self)
        let learner = fixture.learner
        let exercise = learner.appendingPathComponent("Lessons/01-tensor/Exercise")
        try write("// mine\n" + FixtureCourse.exercise, to: exercise.appendingPathComponent("Tensor.swift"))
        try write("func helper() {}\n", to: exercise.appendingPathComponent("Helpers.swift"))
        try write("notes\n", to: exercise.appendingPathComponent("notes.txt"))
        try write("func nested() {}\n", to: exercise.appendingPathComponent("More/Nested.swift"))
        try FileManager.default.createSymbolicLink(atPath: exercise.appendingPathComponent("Link.swift").path,
                                                   withDestinationPath: "../Solution/Tensor.swift")
        try FileManager.default.removeItem(at: learner.appendingPathComponent("Lessons/02-activations"))
        try write("public let providedAnswer = 41\n", to: learner.appendingPathComponent("Lessons/01-tensor/Provided/Provided.swift"))
        try write("import XCTest\n", to: learner.appendingPathComponent("Tests/LessonTests/01-tensor/Extra.swift"))
        try write("// changed solution\n", to: learner.appendingPathComponent("Lessons/01-tensor/Solution/Tensor.swift"))
        try write("# my notes\n", to: learner.appendingPathComponent("Lessons/01-tensor/README.md"))

        let folder = try temporaryFolder()
        let source = try TrustedCourseSource(parsing: fixture.course.path, learnerRoot: learner)
        let graded = try TrustedCourse.prepare(source, as: fixture.course.path, learnerRoot: learner, in: folder)
        let copy = graded.project.root

        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent("Lessons/01-tensor/Exercise").path).sorted(),
                       ["Helpers.swift", "Tensor.swift"])
        XCTAssertEqual(try String(contentsOf: copy.appendingPathComponent("Lessons/01-tensor/Exercise/Tensor.swift"), encoding: .utf8),
                       "// mine\n" + FixtureCourse.exercise)
        XCTAssertTrue(try String(contentsOf: copy.appendingPathComponent("Lessons/02-activations/Exercise/Value.swift"), encoding: .utf8)
                        .contains("TODO(lesson 02)"), "a lesson the learner has no files for keeps the stubs")
        for lesson in ["01-tensor", "02-activations"] {
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent("Lessons/\(lesson)/Solution").path),
                           [], "Solution/ is never used")
        }
        XCTAssertEqual(try String(contentsOf: copy.appendingPathComponent("Lessons/01-tensor/Provided/Provided.swift"), encoding: .utf8),
                       "public let providedAnswer = 42\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy.appendingPathComponent("Tests/LessonTests/01-tensor/Extra.swift").path))
        XCTAssertEqual(graded.exerciseNotes, [
            .init(path: "Lessons/01-tensor/Exercise/Link.swift", problem: "a symbolic link: not graded (only files are taken)"),
            .init(path: "Lessons/01-tensor/Exercise/More", problem: "a folder: not graded (only Exercise/*.swift is taken)"),
            .init(path: "Lessons/01-tensor/Exercise/notes.txt", problem: "not a .swift file: not graded"),
            .init(path: "Lessons/02-activations/Exercise", problem: "no exercise files: lesson 02 was graded on the course's stubs"),
        ])
        XCTAssertEqual(graded.tampered, [
            .init(path: "Lessons/01-tensor/Provided/Provided.swift", problem: "modified"),
            .init(path: "Tests/LessonTests/01-tensor/Extra.swift", problem: "added"),
        ], "the learner's solution and lesson text are not course files; lesson 02's files were not course files either")
        XCTAssertFalse(graded.origin.tutorFromLearnersCopy)
    }

    /// An exercise folder that is a link out of the learner's repository is not followed.
    func testAnExerciseFolderLeadingOutOfTheRepositoryIsNotTaken() throws {
        let fixture = try TrustedFixture.make(self)
        let elsewhere = try temporaryDirectory(self)
        try write("public var value: Int { 4 }\n", to: elsewhere.appendingPathComponent("Value.swift"))
        let exercise = fixture.learner.appendingPathComponent("Lessons/02-activations/Exercise")
        try FileManager.default.removeItem(at: exercise)
        try FileManager.default.createSymbolicLink(at: exercise, withDestinationURL: elsewhere)

        let folder = try temporaryFolder()
        let source = try TrustedCourseSource(parsing: fixture.course.path, learnerRoot: fixture.learner)
        let graded = try TrustedCourse.prepare(source, as: fixture.course.path, learnerRoot: fixture.learner, in: folder)

        XCTAssertEqual(graded.exerciseNotes, [.init(
            path: "Lessons/02-activations/Exercise",
            problem: "leads out of the learner's repository (\(elsewhere.resolvingSymlinksInPath().path)): "
                + "lesson 02 was graded on the course's stubs")])
        XCTAssertTrue(try String(contentsOf: graded.project.root.appendingPathComponent("Lessons/02-activations/Exercise/Value.swift"),
                                 encoding: .utf8).contains("TODO(lesson 02)"))
    }

    /// The course files a grade takes from the trusted course, and what it leaves to the learner
    /// or does not build.
    func testWhichFilesAreCourseFiles() {
        for path in ["Package.swift", "Lessons/course.json", "Lessons/pristine.json", "Lessons/TinyTorch/TinyTorch.swift",
                     "Lessons/01-tensor/Provided/Random.swift", "Lessons/07-training/Example/main.swift",
                     "Tests/LessonTests/SHA256SUMS", "Tests/LessonTests/Support/Assertions.swift",
                     "Tests/LessonTests/07-training/Fixtures/python-fixture.safetensors", "Checkpoints/01-perceptron/main.swift"] {
            XCTAssertTrue(TrustedCourse.isCourseFile(path), path)
        }
        for path in ["Lessons/01-tensor/Exercise/Tensor.swift", "Lessons/01-tensor/Solution/Tensor.swift",
                     "Lessons/01-tensor/README.md", "Lessons/01-tensor/hints.md", "Lessons/Playground/main.swift",
                     "README.md", "Sources/tutor/GradeCommand.swift", "Tests/TutorCoreTests/ReportsTests.swift", "Tests/run-all.sh"] {
            XCTAssertFalse(TrustedCourse.isCourseFile(path), path)
        }
    }

    /// A tutor built inside the learner's repository is the learner's code: the report warns.
    func testATutorBuiltInTheLearnersRepositoryIsNoticed() throws {
        // This test process was built in this repository's .build folder.
        XCTAssertTrue(TrustedCourse.tutorIsInside(repositoryRoot))
        XCTAssertFalse(TrustedCourse.tutorIsInside(try temporaryDirectory(self)))
    }

    // MARK: Naming the trusted course

    func testSourcesAreReadAndLearnerControlledOnesRefused() throws {
        let root = try temporaryDirectory(self)
        let learner = root.appendingPathComponent("learner")
        let course = root.appendingPathComponent("course")
        try write("x\n", to: learner.appendingPathComponent("Lessons/course.json"))
        try write("x\n", to: course.appendingPathComponent("Lessons/course.json"))
        let commit = String(repeating: "ab", count: 20)
        func read(_ text: String) throws -> TrustedCourseSource {
            try TrustedCourseSource(parsing: text, learnerRoot: learner, currentDirectory: learner)
        }

        XCTAssertEqual(try read("../course"), .folder(course.path))
        XCTAssertEqual(try read(course.path), .folder(course.path))
        XCTAssertEqual(try read("https://example.org/course.git"), .repository("https://example.org/course.git", ref: nil))
        XCTAssertEqual(try read("https://example.org/course.git#v1.0"), .repository("https://example.org/course.git", ref: "v1.0"))
        XCTAssertEqual(try read("git@example.org:org/course.git#main"), .repository("git@example.org:org/course.git", ref: "main"))
        XCTAssertEqual(try read("example.org:course.git"), .repository("example.org:course.git", ref: nil))
        XCTAssertEqual(try read("../course#main"), .repository(course.path, ref: "main"))
        XCTAssertEqual(try read("file://\(course.path)#main"), .repository(course.path, ref: "main"))
        XCTAssertEqual(try read(commit), .repository(learner.path, ref: commit), "a full commit id of the learner's repository")
        XCTAssertEqual(try read(".#\(commit)"), .repository(learner.path, ref: commit))

        let refused: [(String, TrustedCourseError)] = [
            ("", .empty),
            ("main", .notFolderOrCommit("main")),
            ("v1.0", .notFolderOrCommit("v1.0")),
            ("abcdef1", .abbreviatedCommitID("abcdef1")),
            (".", .insideLearnersRepository(learner.path)),
            ("Lessons", .insideLearnersRepository(learner.appendingPathComponent("Lessons").path)),
            (".#main", .learnerControlledRef("main")),
            ("file://\(learner.path)#main", .learnerControlledRef("main")),
            ("../nowhere", .noSuchFolder(root.appendingPathComponent("nowhere").path)),
            ("Lessons/course.json", .notAFolder(learner.appendingPathComponent("Lessons/course.json").path)),
            ("#main", .badRef("#main")),
            ("../course#", .badRef("../course#")),
        ]
        for (text, error) in refused {
            XCTAssertThrowsError(try read(text), text) { XCTAssertEqual($0 as? TrustedCourseError, error, text) }
        }
        XCTAssertTrue(TrustedCourseError.learnerControlledRef("main").localizedDescription
                        .contains("which the learner can point at any commit"))
    }

    /// Each wrong source is refused with a message that says what is wrong, and leaves nothing in
    /// the temporary folder it was fetched into.
    func testBadSourcesSayWhatIsWrong() throws {
        let fixture = try TrustedFixture.make(self)
        let notACourse = try temporaryDirectory(self)
        try write("# not a course\n", to: notACourse.appendingPathComponent("README.md"))
        try git(["init", "-q"], in: notACourse)
        try git(["add", "-A"], in: notACourse)
        try git(["commit", "-qm", "readme"], in: notACourse)
        let missing = String(repeating: "0", count: 40)

        let cases: [(source: String, message: String)] = [
            (notACourse.path, "\(notACourse.path) is not a copy of the course: it has no Package.swift"),
            (notACourse.path + "#main", "\(notACourse.path)#main is not a copy of the course: it has no Package.swift"),
            (fixture.course.path + "#no-such-branch", "could not fetch the trusted course from \(fixture.course.path)#no-such-branch: "
                + "couldn't find remote ref no-such-branch"),
            (fixture.learner.deletingLastPathComponent().path + "#main", "does not appear to be a git repository"),
            ("https://127.0.0.1:1/course.git#v1", "could not fetch the trusted course from https://127.0.0.1:1/course.git#v1: "),
            (missing, "commit \(missing) is not in the learner's repository"),
        ]
        for (source, message) in cases {
            let folder = try temporaryFolder()
            XCTAssertThrowsError(try TrustedCourse.prepare(
                try TrustedCourseSource(parsing: source, learnerRoot: fixture.learner), as: source,
                learnerRoot: fixture.learner, in: folder), source) { error in
                XCTAssertTrue(error.localizedDescription.contains(message), "\(source): \(error.localizedDescription)")
            }
            folder.remove()
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.url.path))
        }
    }

    // MARK: Helpers

    /// A temporary folder removed when the test ends.
    func temporaryFolder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder(prefix: "tutor-tests-trusted")
        addTeardownBlock { folder.remove() }
        return folder
    }

    /// Grades `lessons` of the learner's work against `source`, as `tutor grade --trusted-course`
    /// does, and checks that it leaves nothing behind in the temporary directory.
    func grade(_ fixture: TrustedFixture, against source: String, lessons: String) throws -> GradeReport {
        let folder = try temporaryFolder()
        let parsed = try TrustedCourseSource(parsing: source, learnerRoot: fixture.learner, currentDirectory: fixture.learner)
        let course = try TrustedCourse.prepare(parsed, as: source, learnerRoot: fixture.learner, in: folder)
        let selected = try course.project.course.lessons(selection: lessons)
        let report = try folder.holdingTemporaryFiles {
            Grader(course: course, runner: TestRunner(timeLimit: 10, parallelism: 2)).grade(selected, strict: false)
        }
        folder.remove()
        let name = folder.url.lastPathComponent
        let left = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.contains(name) }
        XCTAssertEqual(left, [], "nothing of the grade is left in the temporary directory")
        return report
    }
}

/// The miniature course as an instructor publishes it — lessons 01 and 02 (which builds on 01),
/// manifests up to date, committed to a git repository — and a learner's clone of it. Each
/// lesson's one test fails on its stub (a `fatalError`) and passes on its solution.
struct TrustedFixture {
    let course: URL
    let learner: URL
    let commit: String

    static let tensorTests = """
        import XCTest
        import TinyTorchTensor

        final class TensorTests: LessonTestCase {
            func test_unit_todo() { XCTAssertEqual(todo(), 1) }
        }
        """

    static func make(_ test: XCTestCase) throws -> TrustedFixture {
        guard ChildProcess.which("git") != nil else { throw XCTSkip("git is not installed") }
        var course = try FixtureCourse.make(test, tests: tensorTests)
        course = try FixtureCourse.addLesson(2, requires: [1], source: "import TinyTorchTensor\npublic var value: Int { double(2) }\n",
                                             to: course)
        try write("import TinyTorchTensor\npublic var value: Int { fatalError(\"TODO(lesson 02): implement value\") }\n",
                  to: course.root.appendingPathComponent("Lessons/02-activations/Exercise/Value.swift"))
        try Manifests(project: course).update()
        try git(["init", "-q"], in: course.root)
        try git(["add", "-A"], in: course.root)
        try git(["commit", "-qm", "the course"], in: course.root)
        let learner = try temporaryDirectory(test).appendingPathComponent("learner")
        try git(["clone", "-q", course.root.path, learner.path], in: course.root)
        return TrustedFixture(course: course.root, learner: learner, commit: try git(["rev-parse", "HEAD"], in: course.root))
    }
}
