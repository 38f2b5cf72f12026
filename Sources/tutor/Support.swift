import ArgumentParser
import Foundation
import TutorCore

// Small helpers shared by the commands: finding the project, progress, errors, Ctrl-C.

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A user-facing failure: printed without a stack trace, with this exit code.
struct TutorFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32 = 2
    var description: String { message }
}

/// Prints `error` in plain words and exits with `code`.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
    printError("tutor: " + message)
    return ExitCode(code)
}

func loadProject() throws -> Project {
    do {
        return try Project.locate()
    } catch {
        throw fail(error.localizedDescription)
    }
}

/// LearnerProgress, telling the learner (once, on stderr) if a corrupt file was moved aside.
func loadProgress(_ project: Project) -> LearnerProgress {
    let (progress, warning) = ProgressStore(project: project).load()
    if let warning { printError("tutor: " + warning) }
    return progress
}

/// Changes the learner's progress and saves it; returns what was saved (nil when it could not be).
@discardableResult
func saveProgress(_ project: Project, _ change: ProgressChange) -> LearnerProgress? {
    do {
        let (progress, warning) = try ProgressStore(project: project).update { change.apply(to: &$0) }
        if let warning { printError("tutor: " + warning) }
        return progress
    } catch {
        printError("tutor: could not save your progress (\(error.localizedDescription)); your code is safe.")
        return nil
    }
}

/// Ctrl-C, SIGTERM or SIGHUP (the terminal closed) while tests or builds run: stop every child
/// process group, then exit (128 + the signal). A SIGKILL cannot be caught: then the watchdog of
/// each child (ChildProcess) ends its group.
/// Children run in their own process groups (so a time limit can kill a whole build), which also
/// means the terminal's Ctrl-C does not reach them: the tutor must pass it on.
func stopChildrenOnInterrupt() {
    for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler {
            ChildProcess.cancelAll()
            TemporaryFolder.removeAll()
            printError("\ntutor: stopped.")
            exit(128 + signalNumber)
        }
        source.resume()
        InterruptSources.keep(source)
    }
}

private enum InterruptSources {
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []
    static func keep(_ source: DispatchSourceSignal) { sources.append(source) }
}

/// Options shared by the commands that run tests.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "Seconds before a test is stopped as timed out.")
    var timeout: Double = TestRunner.defaultTimeLimit

    @Option(name: .long, help: "How many tests run at once (the default is this machine's number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
        guard jobs > 0 else { throw ValidationError("--jobs must be at least 1") }
    }

    var runner: TestRunner { TestRunner(timeLimit: timeout, parallelism: jobs) }

    func tester(_ project: Project) -> LessonTester {
        LessonTester(project: project, runner: runner)
    }
}

/// Prints build and test progress to standard error (standard output stays for results).
func progressPrinter(enabled: Bool) -> @Sendable (TestEvent) -> Void {
    guard enabled else { return { _ in } }
    return { event in
        switch event {
        case .building(let lesson): printError("Building (lesson \(lesson))…")
        case .built(let seconds, let succeeded):
            printError(String(format: succeeded ? "Built in %.1f s." : "The build failed after %.1f s.", seconds))
        case .running(let count): printError("Running \(count) tests…")
        case .finished: break
        }
    }
}

func writeJSON<T: Encodable>(_ value: T) throws {
    print(try Reports.json(value))
}

/// The `<lesson>` argument of the commands that act on one lesson.
struct LessonArgument: ParsableArguments {
    @Argument(help: "The lesson: a number (01) or a name (tensor).")
    var lesson: String

    /// The written lesson named, or a clear error (exit 2).
    func resolve(in project: Project) throws -> Course.Lesson {
        do { return try project.course.writtenLesson(named: lesson) } catch { throw fail(error.localizedDescription) }
    }
}
