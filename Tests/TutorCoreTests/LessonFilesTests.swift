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
