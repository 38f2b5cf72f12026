import Foundation
import TutorCore

/// Does what `update` asks, off the UI thread, and reports back through `post`. Builds, tests and
/// milestone programs run one at a time on one queue; file reads and progress writes on another.
final class EffectRunner: @unchecked Sendable {
    let project: Project
    private let post: @Sendable (Event) -> Void
    private let tester: LessonTester
    private let milestones: MilestoneRunner
    /// `TUTOR_WATCH=poll`: poll even where inotify works (for tests, or a file system that lies).
    private let forcePolling: String?

    private let runs = DispatchQueue(label: "tutor.runs")
    private let io = DispatchQueue(label: "tutor.io")
    private let lock = NSLock()
    private var activeRun: Int?
    private var stoppedRuns: Set<Int> = []
    private var watcher: FileWatcher?

    /// `programColors`: what milestone programs may draw their pictures with on this screen
    /// ("256" or "none", `NcursesTerminal.programColors`).
    init(project: Project, environment: [String: String] = ProcessInfo.processInfo.environment,
         programColors: String? = nil, post: @escaping @Sendable (Event) -> Void) {
        self.project = project
        self.post = post
        tester = LessonTester(project: project)
        var milestones = MilestoneRunner(project: project, commandOverride: environment[MilestoneRunner.commandOverrideVariable])
        // The charts are drawn live: at most 20 epochs a second, so the perceptron's 60 epochs
        // (15 ms of work) take 3 s to watch.
        milestones.pace = 0.05
        milestones.colors = programColors
        self.milestones = milestones
        forcePolling = environment["TUTOR_WATCH"] == "poll" ? "TUTOR_WATCH=poll is set" : nil
    }

    func perform(_ effect: Effect) {
        switch effect {
        case .loadLesson(let lesson): io.async { self.loadLesson(lesson) }
        case .runTests(let id, let lesson): runs.async { self.runTests(id, lesson) }
        case .stopRun(let id): stop(id)
        case .watch(let lesson): watch(lesson)
        case .stopWatching: stopWatching()
        case .record(let change): io.async { self.record(change) }
        case .loadSolution(let lesson): io.async { self.loadSolution(lesson) }
        case .planReset(let lesson): io.async { self.planReset(lesson) }
        case .reset(let lesson): io.async { self.reset(lesson) }
        case .runMilestone(let id, let milestone): runs.async { self.runMilestone(id, milestone) }
        case .prepareBuild(let lesson): runs.async { self.prepareBuild(lesson) }
        case .quit: break
        }
    }

    /// Stops every run and the watcher and waits (briefly) for them, and for progress writes.
    func shutdown() {
        stopWatching()
        let running = lock.withLock { () -> Int? in
            if let activeRun { stoppedRuns.insert(activeRun) }
            return activeRun
        }
        if running != nil {
            let deadline = Date().addingTimeInterval(3)
            while lock.withLock({ activeRun != nil }) && Date() < deadline {
                ChildProcess.cancelAll()
                usleep(20_000)
            }
        }
        io.sync {}
    }

    // MARK: Runs

    private func begin(_ id: Int) -> Bool {
        lock.withLock {
            guard !stoppedRuns.contains(id) else { return false }
            activeRun = id
            return true
        }
    }

    /// Ends a run; true if it was asked to stop.
    private func end(_ id: Int) -> Bool {
        lock.withLock {
            activeRun = nil
            return stoppedRuns.remove(id) != nil
        }
    }

    private func isStopped(_ id: Int) -> Bool { lock.withLock { stoppedRuns.contains(id) } }

    /// Kills the run's child processes until it ends. A test run starts a process per test, so
    /// one kill is not enough: keep killing until the runner has gone through them all.
    private func stop(_ id: Int) {
        lock.withLock { _ = stoppedRuns.insert(id) }
        DispatchQueue.global().async {
            while self.lock.withLock({ self.activeRun == id }) {
                ChildProcess.cancelAll()
                usleep(20_000)
            }
        }
    }

    private func runTests(_ id: Int, _ lesson: Course.Lesson) {
        guard begin(id) else {
            post(.runStopped(run: id))
            return
        }
        let post = self.post
        let report = tester.test(lesson, sources: .learner) { [weak self] event in
            guard let self, !self.isStopped(id) else { return }
            post(.testProgress(run: id, event))
        }
        if end(id) {
            post(.runStopped(run: id))
            return
        }
        post(.testsFinished(run: id, report: report, sourceLines: sourceLines(for: report.compileErrors)))
    }

    /// The run id of a background build: no screen waits for it, but quitting stops it as it
    /// stops any run, and runs asked for meanwhile queue behind it (then find their build done).
    static let backgroundBuild = -1

    private func prepareBuild(_ lesson: Course.Lesson) {
        guard begin(Self.backgroundBuild) else { return }
        let build = tester.swiftBuild(lessons: [lesson.number], sources: .learner)
        _ = try? build.build(tests: true)
        _ = end(Self.backgroundBuild)
    }

    private func runMilestone(_ id: Int, _ milestone: Course.Milestone) {
        guard begin(id) else {
            post(.runStopped(run: id))
            return
        }
        let post = self.post
        let outcome = milestones.run(milestone) { [weak self] progress in
            guard let self, !self.isStopped(id) else { return }
            post(.milestoneProgress(run: id, progress))
        }
        if end(id) {
            post(.runStopped(run: id))
            return
        }
        post(.milestoneFinished(run: id, outcome))
    }

    /// The source lines the errors point at, keyed by "file:line".
    private func sourceLines(for errors: [CompilerDiagnostic]) -> [String: String] {
        var result: [String: String] = [:]
        for error in errors.prefix(ResultsView.maxCompileErrors) {
            result["\(error.file):\(error.line)"] = ReportText.sourceLine(error.file, line: error.line, project: project)
        }
        return result
    }

    // MARK: Watching

    private func watch(_ lesson: Course.Lesson) {
        stopWatching()
        let directory = project.exerciseDirectory(lesson)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            post(.watchFailed(lesson: lesson.number, reason: "\(project.relativePath(directory.path)) is missing"))
            return
        }
        let post = self.post
        let number = lesson.number
        let watcher = FileWatcher(directories: [directory]) { names in
            post(.filesChanged(lesson: number, files: names))
        }
        lock.withLock { self.watcher = watcher }
        let mode = watcher.start(forcePolling: forcePolling)
        post(.watchStarted(lesson: number, mode: mode))
    }

    private func stopWatching() {
        let current = lock.withLock { () -> FileWatcher? in
            defer { watcher = nil }
            return watcher
        }
        current?.stop()
    }

    // MARK: Files and progress

    private func loadLesson(_ lesson: Course.Lesson) {
        let readme = project.readme(lesson)
        let text = try? String(contentsOf: readme, encoding: .utf8)
        let hints = try? Hints.load(lesson, in: project)
        let problem = text == nil ? "\(project.relativePath(readme.path)) is missing. Is your clone of the course complete?" : nil
        post(.lessonLoaded(lesson: lesson.number, text: text, hints: hints, testNames: project.testNames(of: lesson), problem: problem))
    }

    private func record(_ change: ProgressChange) {
        let store = ProgressStore(project: project)
        do {
            let (progress, warning) = try store.update { change.apply(to: &$0) }
            post(.progressSaved(progress, warning: warning))
        } catch {
            post(.failed("Could not save your progress (\(error.localizedDescription)); your code is safe."))
        }
    }

    private func loadSolution(_ lesson: Course.Lesson) {
        do {
            let files = try LessonFiles(project: project).solution(lesson)
            post(.solutionLoaded(lesson: lesson.number, files: files.map { SolutionOverlay.File(path: $0.path, text: $0.text) }))
        } catch {
            post(.failed(error.localizedDescription))
        }
    }

    private func planReset(_ lesson: Course.Lesson) {
        do {
            let plan = try LessonFiles(project: project).resetPlan(lesson)
            post(.resetPlanned(lesson: lesson.number, changedFiles: plan.filter(\.changed).map(\.path)))
        } catch {
            post(.failed("Cannot reset: \(error.localizedDescription)"))
        }
    }

    private func reset(_ lesson: Course.Lesson) {
        let files = LessonFiles(project: project)
        do {
            let plan = try files.resetPlan(lesson)
            let backup = try files.reset(plan)
            post(.resetDone(lesson: lesson.number, restored: plan.filter(\.changed).count,
                            backup: backup.map { project.relativePath($0.path) }))
        } catch {
            post(.failed("Could not reset: \(error.localizedDescription)"))
        }
    }
}
