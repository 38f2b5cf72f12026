import ArgumentParser
import Foundation
import TutorCore

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Test a lesson now and again every time you save one of its exercise files (Ctrl-C stops).",
        discussion: "The full-screen tutor (`tutor` with no command) has the same watch mode; this one prints plain text.")

    @OptionGroup var lessonArgument: LessonArgument

    @Flag(name: .long, help: "Look for changes by polling instead of inotify (for folders where saves go unseen).")
    var poll = false

    @OptionGroup var options: RunOptions

    func run() throws {
        let project = try loadProject()
        let lesson = try lessonArgument.resolve(in: project)
        stopChildrenOnInterrupt()
        let tester = options.tester(project)
        let style = Style.forStandardOutput()
        let folder = project.relativePath(project.exerciseDirectory(lesson).path) + "/"

        // Written unbuffered, so `tutor watch 01 | tee log` shows each verdict as it comes.
        func say(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
        func test(_ why: String) {
            say(style.bold("── \(why): testing lesson \(lesson.id) ──") + "\n")
            let report = tester.test(lesson, onEvent: progressPrinter(enabled: true))
            let saved = report.problem == nil ? saveProgress(project, .testReport(report)) : nil
            let status = saved.map { CourseStatus(course: project.course, progress: $0) }
            say(ReportText.lessonReport(report, project: project, style: style, status: status))
            say(style.dim("Watching \(folder): save a file there to test again. Ctrl-C stops.") + "\n\n")
        }

        let saves = Saves()
        let watcher = FileWatcher(directories: [project.exerciseDirectory(lesson)]) { saves.add($0) }
        let forced = poll ? "--poll" : (ProcessInfo.processInfo.environment["TUTOR_WATCH"] == "poll" ? "TUTOR_WATCH=poll" : nil)
        if case .polling(let reason) = watcher.start(forcePolling: forced) {
            printError("tutor: watching by polling (\(reason)).")
        }
        test("Started")
        while true {
            // Saves during a run are kept and start the next run (SavedFiles).
            test(saves.wait())
        }
    }
}

/// Files saved since the last `wait`, handed over from the watcher's thread.
private final class Saves: @unchecked Sendable {
    private let condition = NSCondition()
    private var saved = SavedFiles()

    func add(_ names: [String]) {
        condition.withLock {
            saved.add(names)
            condition.signal()
        }
    }

    /// Waits for a save; returns what started the next run.
    func wait() -> String {
        condition.withLock {
            while !saved.runsAgain { condition.wait() }
            defer { saved.clear() }
            return saved.trigger ?? "Saved"
        }
    }
}
