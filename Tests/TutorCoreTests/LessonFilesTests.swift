import XCTest
@testable import TutorCore
import TutorTestSupport

final class LessonFilesTests: XCTestCase {
    func testHintsAreSectionsInOrder() {
        let hints = Hints(markdown: """
            # Hints — Lesson 01

            Intro text is not a hint.

            ## Storage
            Think row-major.

            ```swift
            ## not a heading inside code
            ```

            ## Strides
            The last axis has stride 1.
            """)
        XCTAssertEqual(hints.hints.map(\.title), ["Storage", "Strides"])
        XCTAssertTrue(hints.hints[0].body.contains("## not a heading inside code"))
        XCTAssertEqual(hints.hints[1].body, "The last axis has stride 1.")
    }

    func testHintsReadWhichTestsAndErrorsTheyAreAbout() {
        let hints = Hints(markdown: """
            ## flatIndex and the subscript
            <!-- tests: flatIndex subscript -->
            <!-- compile error: cannot call value of non-function type -->
            Walk the axes.
            ```
            <!-- tests: inCode -->
            ```

            ## When a recording test fails
            <!-- tests: *records* safetensors_encode* -->
            Check the saved inputs.
            """)
        XCTAssertEqual(hints.hints[0].tests, ["flatIndex", "subscript"])
        XCTAssertEqual(hints.hints[0].compileErrors, ["cannot call value of non-function type"])
        XCTAssertEqual(hints.hints[0].body, "Walk the axes.\n```\n<!-- tests: inCode -->\n```",
                       "the annotations are not shown; inside code a comment is text")
        XCTAssertEqual(hints.hints[1].tests, ["*records*", "safetensors_encode*"])
        XCTAssertEqual(hints.indices(forTest: "test_unit_flatIndex_errorNamesIndexAndShape"), [0], "a subject")
        XCTAssertEqual(hints.indices(forTest: "test_unit_flatIndexer_other"), [], "a subject is a whole word")
        XCTAssertEqual(hints.indices(forTest: "test_unit_subscript"), [0], "a topic of one word")
        XCTAssertEqual(hints.indices(forTest: "test_unit_mse_recordsOpWithTargets"), [1], "a pattern")
        XCTAssertEqual(hints.indices(forTest: "test_unit_safetensors_encodeWritesBytes"), [1], "a longer start")
        XCTAssertEqual(hints.indices(forTest: "test_unit_safetensors_load"), [])
        XCTAssertEqual(hints.indices(forCompileError: "Cannot call value of non-function type 'Int'"), [0])
        XCTAssertEqual(hints.indices(forCompileError: "cannot find 'x' in scope"), [])
        XCTAssertEqual(hints.unknownTestEntries(testNames: ["test_unit_flatIndex_a", "test_unit_x_recordsOp"]).map(\.entry),
                       ["subscript", "safetensors_encode*"], "entries that match no test are typos to report")
    }

    func testTheHintPickedIsAboutTheErrorThenTheFirstFailingTest() {
        let hints = Hints(markdown: """
            ## Creating a tensor
            <!-- tests: init -->
            A.
            ## Strides
            <!-- tests: strides -->
            B.
            ## Strides, faster
            <!-- tests: strides -->
            C.
            ## flatIndex
            <!-- tests: flatIndex -->
            <!-- compile error: cannot call value of non-function type -->
            D.
            """)
        let failing = ["test_unit_strides_rowMajor", "test_unit_flatIndex_errors"]
        XCTAssertEqual(hints.pick(seen: [], failingTests: failing),
                       .init(index: 1, reason: .failingTest("test_unit_strides_rowMajor"), allSeen: false),
                       "the first failing test's first hint, not hint 1 of the course order")
        XCTAssertEqual(hints.pick(seen: [1], failingTests: failing)?.index, 2, "then its next hint")
        XCTAssertEqual(hints.pick(seen: [1, 2], failingTests: failing),
                       .init(index: 2, reason: .failingTest("test_unit_strides_rowMajor"), allSeen: true),
                       "all seen: its last hint again, said so")
        XCTAssertEqual(hints.pick(seen: [], failingTests: ["test_module", "test_unit_flatIndex_errors"])?.index, 3,
                       "a failing test without a hint gives way to the next that has one")
        XCTAssertEqual(hints.pick(seen: [], failingTests: failing, compileErrors: ["cannot call value of non-function type 'Int'"]),
                       .init(index: 3, reason: .compileError("cannot call value of non-function type 'Int'"), allSeen: false),
                       "a compiler error a hint foresees comes first")
        XCTAssertEqual(hints.pick(seen: [0], failingTests: [], compileErrors: ["cannot find 'x' in scope"]),
                       .init(index: 1, reason: .nextInOrder, allSeen: false), "nothing to point at: the next unseen in order")
        XCTAssertEqual(hints.pick(seen: [0, 1, 2, 3]), .init(index: 3, reason: .nextInOrder, allSeen: true))
        XCTAssertNil(Hints(hints: []).pick(seen: []))

        var progress = LearnerProgress.LessonProgress()
        progress.tests = ["test_module": .failed, "test_unit_flatIndex_errors": .crashed, "test_unit_init_a": .passed,
                          "test_unit_strides_rowMajor": .failed]
        XCTAssertEqual(progress.failingTests(declared: ["test_unit_init_a", "test_unit_strides_rowMajor", "test_unit_flatIndex_errors", "test_module"]),
                       ["test_unit_strides_rowMajor", "test_unit_flatIndex_errors", "test_module"], "lesson order, test_module last")
        XCTAssertEqual(hints.pick(for: progress, declaredTests: ["test_unit_flatIndex_errors", "test_unit_strides_rowMajor"])?.index, 3,
                       "the order the tests are written in decides which fails first")
    }

    func testHintsAreFoundByNumberOrWordsOfTheirTitle() {
        let hints = Hints(markdown: "## Storage and shape\nA.\n\n## The losses\nB.\n\n## Loss of precision\nC.\n")
        XCTAssertEqual(hints.index(forTopic: "2"), 1, "a number is the hint's position, from 1")
        XCTAssertNil(hints.index(forTopic: "0"), "there is no hint 0")
        XCTAssertNil(hints.index(forTopic: "4"), "there are 3 hints")
        XCTAssertEqual(hints.index(forTopic: "SHAPE"), 0, "words match without regard to case")
        XCTAssertEqual(hints.index(forTopic: "loss"), 1, "the first title containing the word wins")
        XCTAssertEqual(hints.index(forTopic: "loss precision"), 2, "every word must be in the title")
        XCTAssertNil(hints.index(forTopic: "gradient"), "no title has it")
        XCTAssertNil(hints.index(forTopic: "  "), "blank asks for nothing")
    }

    func testGitBlobIDMatchesGit() {
        // `printf 'hello\n' | git hash-object --stdin`
        XCTAssertEqual(try Digests.gitBlobID(of: Data("hello\n".utf8)), "ce013625030ba8dba906f756967f9e9ca394464a")
    }

    func testTheRepositoryManifestsAreUpToDate() throws {
        let stale = try Manifests(project: Project(root: repositoryRoot)).staleEntries()
        XCTAssertEqual(stale, [], "run `swift run tutor manifest --update` and commit the manifests")
    }

    func testResetRestoresFromGitHistoryAndBacksUp() throws {
        guard ChildProcess.which("git") != nil else { throw XCTSkip("git is not installed") }
        let fixture = try FixtureCourse.make(self)
        try Manifests(project: fixture).update()
        for arguments in [["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "course"]] {
            let result = try ChildProcess.run(Command("git", ["-C", fixture.root.path] + arguments))
            XCTAssertEqual(result.termination, .exited(0), result.output)
        }
        let file = fixture.root.appendingPathComponent("Lessons/01-tensor/Exercise/Tensor.swift")
        let original = try String(contentsOf: file, encoding: .utf8)
        try write("// my work in progress\n", to: file)
        // Even once the learner commits their version, the original is found.
        _ = try ChildProcess.run(Command("git", ["-C", fixture.root.path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "mine"]))

        let files = LessonFiles(project: fixture)
        let lesson = try fixture.course.writtenLesson(named: "01")
        let plan = try files.resetPlan(lesson)
        XCTAssertEqual(plan.filter(\.changed).map(\.path), ["Lessons/01-tensor/Exercise/Tensor.swift"])
        let backup = try XCTUnwrap(try files.reset(plan))

        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), original)
        let saved = backup.appendingPathComponent("Lessons/01-tensor/Exercise/Tensor.swift")
        XCTAssertEqual(try String(contentsOf: saved, encoding: .utf8), "// my work in progress\n")
        XCTAssertTrue(try files.resetPlan(lesson).allSatisfy { !$0.changed })
    }

    func testResetWithoutHistoryChangesNothing() throws {
        let project = try FixtureCourse.make(self)
        try write(#"{"Lessons/01-tensor/Exercise/Tensor.swift": "0000000000000000000000000000000000000000"}"#,
                  to: project.pristineManifest)
        let lesson = project.course.lessons[0]
        XCTAssertThrowsError(try LessonFiles(project: project).resetPlan(lesson)) { error in
            XCTAssertTrue(error.localizedDescription.contains("Nothing was changed"), error.localizedDescription)
        }
    }
}
