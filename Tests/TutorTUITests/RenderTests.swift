import Foundation
import XCTest
import TutorCore
@testable import TutorTUI

/// `render` compared with literal screens (trailing spaces ignored). Each scene is reached
/// through `update`, as a learner would get there (see RenderScenes.swift).
final class RenderTests: XCTestCase {
    /// Every lesson by phase with its state, the milestones, the next step; details of the selected lesson.
    func testDashboard() throws {
        assertScreen(try Scenes.dashboard(self).screen, #"""
             TinyTorch for Swift  ›  Dashboard
            ────────────────────────────────────────────────────────────────────────────────
              Progress  ░░░░░░░░░░░░░░░░  0 of 2 lessons · 4 coming · 0 of 1 milestone
              Next      → start lesson 01 Tensor (n selects it, ⏎ opens it)

             Phase 1 · Foundations                          │ Lesson 01 · Tensor
              → 01 Tensor       ○ not started               │ Phase 1 · Foundations
                02 Activations  ○ builds on 01              │
                                                            │ N-dimensional arrays:
             Phase 2 · Training                             │ storage and shape,
                03 Autograd     · coming later              │ broadcasting, reductions and
                                                            │ matmul.
             Phase 3 · Architectures · 2 tracks             │
                04 Spatial      · coming later              │ Status    ○ not started
                05 Attention    · coming later              │
                                                            │ Files to edit, in
             Phase 4 · Production                           │ Lessons/01-tensor/Exercise/
                06 Capstone     · coming later              │   Tensor.swift
                                                            │   Matmul.swift
             Milestones                                     │
                1957 The Perceptron  locked · needs 01, 02  │ ⏎ opens the lesson: read it,
                1986 Reading Digits  · coming later         │ run its tests, get hints.
            ────────────────────────────────────────────────────────────────────────────────
             ↑↓ move   ⏎ open   n next step   ? help   q quit
            """#)
    }

    /// Markdown: headings with rules, inline code without backticks, bullets, a Swift code block.
    func testLessonText() throws {
        assertScreen(try Scenes.lesson(self).screen, #"""
             TinyTorch for Swift  ›  Lesson 01 · Tensor               ● watching your files
            ────────────────────────────────────────────────────────────────────────────────
              Lesson text   Tests   tab switches
              Lesson 01: Tensor
              ═════════════════

              Why this matters
              ────────────────

              Every number a network touches lives in a tensor: [60000, 28, 28] for MNIST.

               • storage and shape
               • broadcasting

                │ let x = Tensor.zeros([2, 3]) // a matrix







            ────────────────────────────────────────────────────────────────────────────────
             t test   w watch   h hint   s solution   r reset   esc back   ? help   q quit
            """#)
    }

    /// The verdict, the next step, each test with its message in plain words.
    func testResultsWithFailures() throws {
        assertScreen(try Scenes.results(self).screen, #"""
             TinyTorch for Swift  ›  Lesson 01 · Tensor               ● watching your files
            ────────────────────────────────────────────────────────────────────────────────
              Lesson text   Tests ✗ 1/3   tab switches
              ✗ 1 of 3 tests pass  (just now)
              Next: make test_unit_strides pass. Stuck? Press h for a hint.

              ✓ test_unit_shape
              ✗ test_unit_strides  failed
                  XCTAssertEqual failed: ("[3, 1]") is not equal to ("[12, 4, 1]")
                  (Tests/LessonTests/01-tensor/TensorTests.swift:42)
              ✗ test_unit_matmul  crashed
                  TODO(lesson 01): implement matmul(_:) —
                  Lessons/01-tensor/Exercise/Matmul.swift:12

              Watching Lessons/01-tensor/Exercise/: save a file there and the tests run
              again.

              Your files
                Lessons/01-tensor/Exercise/Tensor.swift
                Lessons/01-tensor/Exercise/Matmul.swift


            ────────────────────────────────────────────────────────────────────────────────
             t test   w watch   h hint   s solution   r reset   esc back   ? help   q quit
            """#)
    }

    /// A compile error as file:line:column, message, the source line and the compiler's notes —
    /// first error first.
    func testResultsWithACompileError() throws {
        assertScreen(try Scenes.compileError(self).screen, #"""
             TinyTorch for Swift  ›  Lesson 01 · Tensor               ● watching your files
            ────────────────────────────────────────────────────────────────────────────────
              Lesson text   Tests ⚠ does not compile   tab switches
              ⚠ Your code does not compile (2 errors, tested just now)                    ┃
              Fix the first error first: later ones often follow from it.                 ┃
                                                                                          ┃
              Lessons/01-tensor/Exercise/Tensor.swift:12:17                               ┃
              error: cannot convert value of type 'String' to specified type 'Int'        ┃
                 12 │ let oops: Int = "text"                                              ┃
                                                                                          ┃
              Lessons/01-tensor/Exercise/Matmul.swift:3:5                                 ┃
              error: cannot find 'y' in scope                                             ┃
                  note: did you mean 'x'?                                                 ┃
                                                                                          ┃
              None of the 3 tests can run until it compiles. Save the fix and they run    ┃
              again.                                                                      ┃
                                                                                          ┃
              Watching Lessons/01-tensor/Exercise/: save a file there and the tests run   ┃
              again.                                                                      ┃
                                                                                          ┃
              Your files                                                                  ┃
                Lessons/01-tensor/Exercise/Tensor.swift                                   │
            ────────────────────────────────────────────────────────────────────────────────
             t test   w watch   h hint   s solution   r reset   esc back   ? help   q quit
            """#)
    }

    /// A spinner, elapsed time and results as they arrive; Esc to stop.
    func testARunInProgress() throws {
        assertScreen(try Scenes.running(self).screen, #"""
             TinyTorch for Swift  ›  Lesson 01 · Tensor         ⠸ Running tests 1/3 · 2.3 s
            ────────────────────────────────────────────────────────────────────────────────
              Lesson text   Tests ⠸   tab switches
              ⠸ Running 3 tests, each in its own process… 1 of 3 done · 2.3 s
              Esc stops the run.

              ✓ test_unit_shape

              Watching Lessons/01-tensor/Exercise/: save a file there and the tests run
              again.

              Your files
                Lessons/01-tensor/Exercise/Tensor.swift
                Lessons/01-tensor/Exercise/Matmul.swift








            ────────────────────────────────────────────────────────────────────────────────
             esc stop the run   ? help   q quit   tab text ⇄ tests   ↑↓ scroll
            """#)
    }

    /// A locked milestone says what it needs, and its footer does not offer ⏎ run (which would do
    /// nothing); once its lessons pass, it does.
    func testALockedMilestoneDoesNotOfferToRun() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.end, .up, .enter)
        XCTAssertEqual(state.route, .milestone("perceptron"))
        var text = Render.render(state, size: state.size).text
        XCTAssertTrue(text.contains("locked"), text)
        XCTAssertFalse(text.contains("⏎ run"), text)

        var passed = LearnerProgress()
        for id in ["01", "02"] { passed.lessons[id, default: .init()].completed = true }
        state = try FixtureCourse.state(self, progress: passed)
        _ = state.press(.end, .up, .enter)
        text = Render.render(state, size: state.size).text
        XCTAssertTrue(text.contains("⏎ run"), text)
    }

    /// t on a locked milestone: its lessons' verdicts, the one being tested, those waiting.
    func testALockedMilestoneTestingItsLessons() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.end, .up, .enter)
        let locked = Render.render(state, size: state.size).text
        XCTAssertTrue(locked.contains("Locked: pass lessons 01, 02 first. Solved them already? Press t to test them"), locked)
        XCTAssertTrue(locked.contains("t test lessons 01, 02"), locked)
        _ = state.press(.character("t"))
        state.send(.testProgress(run: 1, .built(seconds: 1, succeeded: true)), .testProgress(run: 1, .running(count: 3)))
        state.send(.testProgress(run: 1, .finished(sampleReport().results[0])))
        var text = Render.render(state, size: state.size).text
        XCTAssertTrue(text.contains("▸ 01 Tensor         testing: 1 of 3 done"), text)
        XCTAssertTrue(text.contains("02 Activations    waiting"), text)
        XCTAssertTrue(text.contains("esc stop testing"), text)
        state.send(.testsFinished(run: 1, report: sampleReport(), sourceLines: [:]))
        text = Render.render(state, size: state.size).text
        XCTAssertTrue(text.contains("The lessons it needs, tested here\n  ✗ 01 Tensor         1 of 3 tests pass — open it from the dashboard to see\n                        why"), text)
        XCTAssertFalse(text.contains("waiting"), text)
    }

    /// A solution line wider than the box wraps under itself instead of being cut at the edge.
    func testLongSolutionLinesWrap() {
        let text = "func f() {\n    precondition(a.shape[1] == b.shape[0], \"matmul: \\(a.shape) × \\(b.shape) — inner sizes differ\")\n}"
        let lines = OverlayView.solutionLines(text, width: 44).map(\.text)
        XCTAssertEqual(lines, [
            "   1 func f() {",
            "   2     precondition(a.shape[1] ==",
            "   ↳         b.shape[0], \"matmul: \\(a.shape)",
            "   ↳         × \\(b.shape) — inner sizes",
            "   ↳         differ\")",
            "   3 }",
        ])
        XCTAssertTrue(lines.allSatisfy { $0.terminalWidth <= 44 })
    }

    /// An epoch bar with ETA, braille charts of loss and accuracy, the program's output.
    func testMilestoneChart() throws {
        assertScreen(try Scenes.milestone(self).screen, #"""
             TinyTorch for Swift  ›  Milestone 1957 · The Perceptron     ⠦ Training · 2.2 s
            ────────────────────────────────────────────────────────────────────────────────
              1957 · The Perceptron
              Goal     100% on AND and OR
              Status   ready: every lesson it needs passes

              Epoch 4 of 8  ████████░░░░░░░░   50%  ·  training 2.2 s  ·  about 1.8 s left

              Loss                                    Accuracy
              2.300 ┤⠑⢄                               80.0% ┤    ⣀⠤⠤⠒⠒⠒⠉⠉⠁
                    │  ⠑⢄                                   │  ⡠⠊
              0.440 ┤    ⠉⠒⠒⠤⠤⠤⣀⣀⡀                    10.0% ┤⡠⠊
                    └─────────────────────────────          └─────────────────────────────
                     1           epoch           8           1           epoch           8

              Output
              Built in release mode in 12.4 s.
              training for 8 epochs
              epoch 1/8 done
              epoch 2/8 done
              epoch 3/8 done
              epoch 4/8 done
            ────────────────────────────────────────────────────────────────────────────────
             esc stop the run   ? help   q quit
            """#)
    }

    func testWideTerminalShowsTextAndResultsSideBySide() throws {
        assertScreen(try Scenes.results(self, size: Size(width: 150, height: 26)).screen, #"""
             TinyTorch for Swift  ›  Lesson 01 · Tensor                                                                                     ● watching your files
            ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
              Lesson text                                                                              │ Tests ✗ 1/3
              Lesson 01: Tensor                                                                        │ ✗ 1 of 3 tests pass  (just now)
              ═════════════════                                                                        │ Next: make test_unit_strides pass. Stuck? Press h for
                                                                                                       │ a hint.
              Why this matters                                                                         │
              ────────────────                                                                         │ ✓ test_unit_shape
                                                                                                       │ ✗ test_unit_strides  failed
              Every number a network touches lives in a tensor: [60000, 28, 28] for MNIST.             │     XCTAssertEqual failed: ("[3, 1]") is not equal to
                                                                                                       │     ("[12, 4, 1]")
               • storage and shape                                                                     │     (Tests/LessonTests/01-tensor/TensorTests.swift:42)
               • broadcasting                                                                          │ ✗ test_unit_matmul  crashed
                                                                                                       │     TODO(lesson 01): implement matmul(_:) —
                │ let x = Tensor.zeros([2, 3]) // a matrix                                             │     Lessons/01-tensor/Exercise/Matmul.swift:12
                                                                                                       │
                                                                                                       │ Watching Lessons/01-tensor/Exercise/: save a file
                                                                                                       │ there and the tests run again.
                                                                                                       │
                                                                                                       │ Your files
                                                                                                       │   Lessons/01-tensor/Exercise/Tensor.swift
                                                                                                       │   Lessons/01-tensor/Exercise/Matmul.swift
                                                                                                       │
                                                                                                       │
            ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
             t test   w watch   h hint   s solution   r reset   esc back   ? help   q quit   tab text ⇄ tests   ↑↓ scroll
            """#)
    }

    /// Below 80 × 24: a message, not a garbled screen.
    func testTooSmallTerminal() throws {
        var state = try Scenes.dashboard(self)
        state.send(.resize(Size(width: 60, height: 15)))
        assertScreen(state.screen, #"""




                                 Terminal too small

               The tutor needs at least 80 × 24; this one is 60 × 15.

                   Make the window larger (or the font smaller).

                                      q quits
            """#)
    }
}
