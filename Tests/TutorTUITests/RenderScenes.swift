import Foundation
import XCTest
import TutorCore
@testable import TutorTUI

/// The states the render tests draw, built through `update` as a learner would get there.
enum Scenes {
    static func dashboard(_ test: XCTestCase) throws -> AppState {
        try FixtureCourse.state(test)
    }

    static func lesson(_ test: XCTestCase, size: Size = Size(width: 80, height: 24)) throws -> AppState {
        var state = try FixtureCourse.state(test, size: size)
        _ = state.press(.enter)
        state.send(.lessonLoaded(lesson: 1, text: FixtureCourse.readme, hints: Hints(markdown: FixtureCourse.hints), problem: nil),
                   .watchStarted(lesson: 1, mode: .inotify))
        return state
    }

    static func results(_ test: XCTestCase, size: Size = Size(width: 80, height: 24)) throws -> AppState {
        var state = try lesson(test, size: size)
        _ = state.press(.character("t"))
        state.wait(1.5)
        state.send(.testsFinished(run: 1, report: sampleReport(), sourceLines: [:]))
        return state
    }

    static func compileError(_ test: XCTestCase) throws -> AppState {
        var state = try lesson(test)
        _ = state.press(.character("t"))
        let errors = [
            CompilerDiagnostic(file: "Lessons/01-tensor/Exercise/Tensor.swift", line: 12, column: 17, severity: .error,
                               message: "cannot convert value of type 'String' to specified type 'Int'"),
            CompilerDiagnostic(file: "Lessons/01-tensor/Exercise/Matmul.swift", line: 3, column: 5, severity: .error,
                               message: "cannot find 'y' in scope", notes: ["note: did you mean 'x'?"]),
        ]
        let results = sampleReport().results.map {
            TestResult(lesson: "01", testClass: $0.testClass, name: $0.name, status: .didNotCompile, message: errors[0].description, seconds: 0)
        }
        let report = LessonReport(lesson: "01", title: "Tensor", compileErrors: errors, results: results, buildSeconds: 1)
        state.send(.testsFinished(run: 1, report: report,
                                  sourceLines: ["Lessons/01-tensor/Exercise/Tensor.swift:12": "    let oops: Int = \"text\""]))
        return state
    }

    static func running(_ test: XCTestCase) throws -> AppState {
        var state = try lesson(test)
        _ = state.send(.filesChanged(lesson: 1, files: ["Tensor.swift"]))
        state.send(.testProgress(run: 1, .built(seconds: 1.1, succeeded: true)), .testProgress(run: 1, .running(count: 3)),
                   .testProgress(run: 1, .finished(sampleReport().results[0])))
        state.wait(2.34)
        return state
    }

    static func milestone(_ test: XCTestCase, size: Size = Size(width: 80, height: 24)) throws -> AppState {
        var passed = LearnerProgress()
        passed.lessons["01", default: .init()].completed = true
        passed.lessons["02", default: .init()].completed = true
        var state = try FixtureCourse.state(test, size: size, progress: passed)
        _ = state.press(.end, .up, .enter, .enter)
        // The release build first: its time is shown apart from the training's.
        state.send(.milestoneProgress(run: 1, .building))
        state.wait(12.4)
        state.send(.milestoneProgress(run: 1, .built(seconds: 12.4)))
        state.send(.milestoneProgress(run: 1, .running), .milestoneProgress(run: 1, .output("training for 8 epochs")))
        let losses = [2.3, 1.0, 0.62, 0.44]
        let accuracies = [0.1, 0.58, 0.73, 0.8]
        for epoch in 1...4 {
            state.wait(0.5)
            state.send(.milestoneProgress(run: 1, .event(.epoch(TrainingProgress(epoch: epoch, epochs: 8, loss: losses[epoch - 1],
                                                                                 accuracy: accuracies[epoch - 1])))))
            state.send(.milestoneProgress(run: 1, .output("epoch \(epoch)/8 done")))
        }
        state.wait(0.25)
        return state
    }
}
