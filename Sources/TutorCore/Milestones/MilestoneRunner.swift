import Foundation

/// Runs a milestone's program and turns what it prints into events: JSON lines on standard output
/// become `MilestoneEvent`s, lines on standard error are the program's words for the learner.
///
/// Which program runs is decided in one place, `program(for:)`: normally the milestone's own
/// executable in `Checkpoints/NN-name`, built in release with the learner's lessons; with
/// `TUTOR_MILESTONE_COMMAND` set, that shell command instead (the tests' fixture, or a course
/// author trying a program out).
public struct MilestoneRunner: Sendable {
    /// The problem of a program that exits normally without a result (as it does for `--help`).
    public static let noResult = "the program ended without reporting a result"

    /// Environment variable naming a shell command to run instead of any milestone's program.
    public static let commandOverrideVariable = "TUTOR_MILESTONE_COMMAND"

    public let project: Project
    /// The shell command run instead of the milestone programs (default: from the environment).
    public var commandOverride: String?
    /// Whose code the program is built from: the learner's (default) or the reference solutions.
    public var sources: LessonTester.Sources = .learner
    /// Extra arguments for the program (`tutor milestone run perceptron -- --seed 3`).
    public var arguments: [String] = []
    /// At least this many seconds between two epochs (`TUTOR_MILESTONE_PACE`, read by the
    /// programs' `Report.epoch`): the app sets it so a run of microsecond epochs can be watched.
    public var pace: Double?
    /// What the program may draw its pictures with (`TUTOR_MILESTONE_COLORS`: "24bit", "256" or
    /// "none"): the program writes into a pipe and cannot see where its words are shown, so the
    /// tutor says — by its terminal (`Style.programColors`) or the app's screen. Nil leaves it to
    /// the program (which then draws no colour into a pipe).
    public var colors: String?

    public init(project: Project,
                commandOverride: String? = ProcessInfo.processInfo.environment[MilestoneRunner.commandOverrideVariable]) {
        self.project = project
        self.commandOverride = commandOverride.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What runs for a milestone.
    public enum Program: Sendable, Equatable {
        /// A shell command line, run in the project folder (`TUTOR_MILESTONE_COMMAND`).
        case shellCommand(String)
        /// The milestone's executable product, built in release with `lessons`.
        case checkpoint(product: String, lessons: [Int])
    }

    public func program(for milestone: Course.Milestone) -> Program {
        if let commandOverride { return .shellCommand(commandOverride) }
        return .checkpoint(product: milestone.productName, lessons: project.course.lessonsNeeded(for: milestone))
    }

    /// What a run reports while it goes.
    public enum Progress: Sendable, Equatable {
        /// Building the program in release (can take a while the first time).
        case building
        case built(seconds: Double)
        case running
        case event(MilestoneEvent)
        /// A line the program wrote for people (standard error, or non-event standard output).
        case output(String)
    }

    /// How a run ended.
    public struct Outcome: Sendable, Equatable {
        /// The program's final `result` line, if it printed one.
        public var result: MilestoneResult?
        /// Why there is no result (or the program failed after printing one), in words.
        public var problem: String?
        /// When the program crashed: its message, and where in the learner's files (and from
        /// where in the milestone program) it happened — also in `problem`, in words.
        public var crash: SwiftCrash.Report?
        /// When the build failed on the learner's code.
        public var compileErrors: [CompilerDiagnostic] = []
        public var stopped: Bool = false
        /// How long the program ran (training), not counting its build.
        public var seconds: Double = 0
        /// How long its release build took (nil when nothing was built).
        public var buildSeconds: Double?
        /// The program's exit status, when it exited by itself (nil when it crashed, was stopped
        /// or never ran).
        public var exitStatus: Int32?

        /// The program said it could not run: exit status 2, as for the tutor's own commands (the
        /// MNIST program when it finds no data). A result it printed then is no attempt at the goal.
        public var couldNotRun: Bool { exitStatus == 2 }

        /// The result to keep in the learner's progress: none when the run was stopped or could
        /// not run.
        public var resultToRecord: MilestoneResult? { stopped || couldNotRun ? nil : result }

        /// The exit status of `tutor milestone run`: 0 when the goal is reached; 1 when it is not,
        /// the program did not compile, or the run was stopped; 2 when the program could not run
        /// or ended without a result.
        public var exitCode: Int32 {
            if !compileErrors.isEmpty { return 1 }
            if couldNotRun { return 2 }
            if let result { return result.achieved ? 0 : 1 }
            return stopped ? 1 : 2
        }

        public init(result: MilestoneResult? = nil, problem: String? = nil, compileErrors: [CompilerDiagnostic] = [],
                    stopped: Bool = false, seconds: Double = 0) {
            self.result = result
            self.problem = problem
            self.compileErrors = compileErrors
            self.stopped = stopped
            self.seconds = seconds
        }
    }

    /// Builds (if needed) and runs the milestone's program, calling `onProgress` from this thread.
    /// Cancel it with `ChildProcess.cancelAll()`.
    public func run(_ milestone: Course.Milestone, onProgress: @escaping @Sendable (Progress) -> Void) -> Outcome {
        var outcome: Outcome
        switch program(for: milestone) {
        case .shellCommand(let line):
            outcome = run(Command("/bin/sh", ["-c", line], environment: programEnvironment(milestone),
                                  workingDirectory: project.root.path, captureLimit: 1 << 20),
                          onProgress: onProgress)
        case .checkpoint(let product, let lessons):
            onProgress(.building)
            let build = LessonTester(project: project).swiftBuild(lessons: lessons, sources: sources, configuration: "release")
            let built: BuildOutcome
            do {
                built = try build.build(tests: false, product: product, extraArguments: SwiftBuild.nativeTuning)
            } catch {
                return Outcome(problem: "could not run `swift build`: \(error.localizedDescription)")
            }
            guard built.succeeded else {
                let reason = built.errors.first?.description ?? built.otherErrors.joined(separator: "\n")
                var failed = Outcome(problem: "the milestone program did not build: \(reason)", compileErrors: built.errors,
                               stopped: built.otherErrors == ["the build was stopped"])
            failed.buildSeconds = built.seconds
            return failed
            }
            onProgress(.built(seconds: built.seconds))
            let executable = build.scratchPath.appendingPathComponent("release/\(product)").path
            outcome = run(Command(executable, arguments, environment: programEnvironment(milestone),
                                  workingDirectory: project.root.path, captureLimit: 1 << 20),
                          onProgress: onProgress)
            outcome.buildSeconds = built.seconds
        }
        return outcome
    }

    /// Runs `command`, streaming its output as progress. Its standard error shares one pipe with
    /// its standard output, so the tutor sees the program's words and its events in the order the
    /// program wrote them (two pipes would lose it: a decision map after later epochs).
    ///
    /// Swift's backtracer writes to a temporary file, not into that stream: a crash then shows
    /// its message and the learner's places (`SwiftCrash`), not sixty lines of frames and
    /// registers. Milestones are release builds, where a failed `precondition` or an index out of
    /// range prints nothing: the backtrace is the only place that says where it happened.
    public func run(_ command: Command, onProgress: @escaping @Sendable (Progress) -> Void) -> Outcome {
        onProgress(.running)
        var command = command
        command.mergeErrorIntoOutput = true
        let backtraceFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("tutor-backtrace-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: backtraceFile) }
        command.environment["SWIFT_BACKTRACE"] = SwiftCrash.backtraceSetting(outputTo: backtraceFile.path)
        var lines = LineSplitter()
        var result: MilestoneResult?
        func handle(_ line: String) {
            if let event = MilestoneEvent.decode(line: line) {
                if case .result(let value) = event { result = value }
                onProgress(.event(event))
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty, !SwiftCrash.isBacktracerNotice(line) {
                onProgress(.output(line))
            }
        }
        let finished: ProcessResult
        do {
            finished = try ChildProcess.run(command) { chunk, _ in
                for line in lines.append(chunk) { handle(line) }
            }
        } catch {
            return Outcome(problem: error.localizedDescription)
        }
        for line in lines.finish() { handle(line) }

        var outcome = Outcome(result: result, seconds: finished.seconds)
        if case .exited(let status) = finished.termination { outcome.exitStatus = status }
        switch finished.termination {
        case .exited(0):
            if result == nil { outcome.problem = Self.noResult }
        case .exited(let status):
            outcome.crash = crashReport(finished.output, backtraceFile: backtraceFile)
            outcome.problem = "the program stopped with exit status \(status)" + lastWords(outcome.crash)
        case .signaled(let signal):
            outcome.crash = crashReport(finished.output, backtraceFile: backtraceFile)
            outcome.problem = "the program crashed: \(signalDescription(signal))" + lastWords(outcome.crash)
        case .timedOut:
            outcome.problem = "the program ran out of time and was stopped"
        case .cancelled:
            outcome.stopped = true
            outcome.problem = "stopped before it finished"
        }
        return outcome
    }

    private func programEnvironment(_ milestone: Course.Milestone) -> [String: String?] {
        ["TUTOR_MILESTONE": milestone.slug, "TUTOR_MILESTONE_PACE": pace.map { String($0) },
         "TUTOR_MILESTONE_COLORS": colors]
    }

    /// The crash message a Swift program left (on standard error, merged into its output), if
    /// any, with its place in the learner's files and where it was called from (the backtrace).
    private func crashReport(_ output: String, backtraceFile: URL) -> SwiftCrash.Report? {
        let report = SwiftCrash.report(in: output, project: project, labellingFatalErrors: true)
        guard let backtrace = try? String(contentsOf: backtraceFile, encoding: .utf8) else { return report }
        return SwiftCrash.report(report, completedBy: backtrace, project: project)
    }

    private func lastWords(_ crash: SwiftCrash.Report?) -> String {
        crash.map { " — " + $0.text } ?? ""
    }
}

extension LearnerProgress {
    /// Stores a milestone run's result. A milestone achieved stays achieved; the shown result is
    /// the latest achieved one (or, until one is achieved, the latest attempt).
    public mutating func recordMilestone(_ slug: String, result: MilestoneResult, at date: Date = Date()) {
        guard !result.isQuickCheck else { return }
        var entry = milestones[slug] ?? MilestoneProgress()
        if result.achieved {
            entry.achieved = true
            entry.bestResult = result.summary
        } else if !entry.achieved {
            entry.bestResult = result.summary
        }
        entry.lastRun = date
        milestones[slug] = entry
    }
}
