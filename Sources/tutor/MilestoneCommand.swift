import ArgumentParser
import Foundation
import TutorCore

struct MilestoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milestone",
        abstract: "List the milestones, or run one: real models trained with your own code.",
        subcommands: [MilestoneList.self, MilestoneRun.self],
        defaultSubcommand: MilestoneList.self)
}

struct MilestoneList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show each milestone and what it needs.")

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    func run() throws {
        let project = try loadProject()
        let progress = loadProgress(project)
        if json {
            try writeJSON(CourseListing.document(project: project, progress: progress).milestones)
            return
        }
        let status = CourseStatus(course: project.course, progress: progress)
        let style = Style.forStandardOutput()
        for milestone in project.course.milestones {
            let state = status.state(of: milestone)
            print(style.bold("\(milestone.year) \(milestone.title)") + " (\(milestone.slug)) — \(state.text)")
            print("    \(milestone.summary) Goal: \(milestone.goal).")
            if state == .ready {
                print("    Run it: swift run tutor milestone run \(milestone.slug)   (its options: … \(milestone.slug) -- --help)")
            }
        }
    }
}

struct MilestoneRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Build a milestone in release with your lessons, run it and record the result.",
        discussion: """
            Arguments after `--` go to the program, e.g. `tutor milestone run perceptron -- --seed 3`.
            Exit status: 0 when the milestone's goal is reached, 1 when it is not (or the milestone is \
            locked), 2 when it could not run.
            """)

    @Argument(help: "The milestone: its name (perceptron), year (1957) or number (1).")
    var name: String

    @Flag(name: .long, help: "Run it even though the lessons it needs do not pass yet.")
    var force = false

    @Flag(name: .long, help: "Run it on the reference solutions instead of your code (for CI; nothing is recorded).")
    var solutions = false

    @Flag(name: .long, help: "Print one JSON document with the result on standard output (progress still goes to standard error).")
    var json = false

    @Argument(parsing: .postTerminator, help: "Arguments for the milestone program.")
    var programArguments: [String] = []

    func run() throws {
        let project = try loadProject()
        guard let milestone = project.course.milestone(named: name) else {
            let names = project.course.milestones.map(\.slug).joined(separator: ", ")
            throw fail("no milestone called '\(name)'. The milestones are: \(names).")
        }
        guard milestone.written else {
            throw fail("the \(milestone.year) milestone (\(milestone.title)) is not written yet: it is coming in a later version of the course.")
        }
        let progress = loadProgress(project)
        if !solutions, case .locked(let needs) = CourseStatus(course: project.course, progress: progress).state(of: milestone) {
            let list = needs.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ", ")
            if force {
                printError("tutor: warning: lesson\(needs.count == 1 ? "" : "s") \(list) do not pass yet; trying anyway (--force).")
            } else {
                throw fail("\(milestone.title) (\(milestone.year)) is locked: it needs lesson\(needs.count == 1 ? "" : "s") \(list) to pass first "
                           + "(`swift run tutor test \(needs[0] < 10 ? "0\(needs[0])" : "\(needs[0])")`). Use --force to try it anyway.", code: 1)
            }
        }
        stopChildrenOnInterrupt()
        var runner = MilestoneRunner(project: project)
        runner.sources = solutions ? .solutions(project.course) : .learner
        runner.arguments = programArguments
        runner.colors = Style.programColors(isTerminal: isatty(2) == 1)
        let display = MilestoneProgressDisplay(interactive: isatty(2) == 1)
        printError("\(milestone.year) — \(milestone.title)\(solutions ? " (on the reference solutions)" : "")")
        let outcome = runner.run(milestone) { display.show($0) }
        display.finish()

        let recorded = solutions ? nil : outcome.resultToRecord
        if json {
            try writeJSON(RunDocument(milestone: milestone.slug, year: milestone.year, outcome: outcome,
                                      solutions: solutions, recorded: recorded.map { !$0.isQuickCheck } == true))
        }
        if !outcome.compileErrors.isEmpty {
            if !json {
                print(ReportText.compileErrors(outcome.compileErrors, header: "The milestone program", project: project,
                                               style: .forStandardOutput()))
            }
            throw ExitCode(outcome.exitCode)
        }
        if let result = outcome.result {
            if let recorded { saveProgress(project, .milestone(slug: milestone.slug, result: recorded)) }
            let verdict = outcome.couldNotRun ? "✗ could not run: "
                : result.isQuickCheck ? (result.achieved ? "✓ " : "✗ ") : (result.achieved ? "✓ achieved: " : "✗ not achieved: ")
            if !json { print(verdict + result.summary) }
            if let problem = outcome.problem { printError("tutor: \(problem)") }
            throw ExitCode(outcome.exitCode)
        }
        // `-- --help`: the program printed its options and ended, as asked.
        if outcome.problem == MilestoneRunner.noResult,
           programArguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
            return
        }
        throw fail(outcome.problem ?? "the program gave no result.", code: outcome.exitCode)
    }

    /// `--json`: what scripts and CI read of a run.
    struct RunDocument: Encodable {
        var milestone: String
        var year: Int
        var achieved: Bool
        var summary: String?
        var metrics: [String: Double]
        var problem: String?
        /// A crash: its message, its place in the learner's files and where it was called from.
        var crash: SwiftCrash.Report?
        var compileErrors: [CompilerDiagnostic]
        /// Seconds the program ran, and its release build took (null when nothing was built).
        var seconds: Double
        var buildSeconds: Double?
        /// On the reference solutions (`--solutions`).
        var solutions: Bool
        /// Whether the result was saved in the learner's progress (a quick check never is).
        var recorded: Bool

        init(milestone: String, year: Int, outcome: MilestoneRunner.Outcome, solutions: Bool, recorded: Bool) {
            self.milestone = milestone
            self.year = year
            achieved = outcome.result?.achieved ?? false
            summary = outcome.result?.summary
            metrics = outcome.result?.metrics ?? [:]
            problem = outcome.problem
            crash = outcome.crash
            compileErrors = outcome.compileErrors
            seconds = outcome.seconds
            buildSeconds = outcome.buildSeconds
            self.solutions = solutions
            self.recorded = recorded
        }
    }
}

/// Shows a milestone run on standard error: build status, a progress bar per epoch (redrawn in
/// place on a terminal, one line per epoch otherwise), and the program's own words.
final class MilestoneProgressDisplay: @unchecked Sendable {
    private let interactive: Bool
    private let lock = NSLock()
    private var barShown = false
    /// Where training stands (its ETA counts from the program's start, not from the build).
    private var clock = TrainingClock(started: Date())

    init(interactive: Bool) { self.interactive = interactive }

    func show(_ progress: MilestoneRunner.Progress) {
        lock.withLock {
            switch progress {
            case .building: line("Building in release with your lessons (the first build takes a while)…")
            case .built(let seconds): line(String(format: "Built in %.1f s.", seconds))
            case .running: clock = TrainingClock(started: Date())
            case .output(let text): line(text)
            case .event(let event): show(event)
            }
        }
    }

    private func show(_ event: MilestoneEvent) {
        switch event {
        case .epoch(let progress), .step(let progress):
            clock.record(event, at: Date())
            let text = Self.bar(progress, clock: clock, now: Date())
            if interactive {
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
                barShown = true
            } else {
                line(text)
            }
        case .log(let message): line("· " + message)
        case .result: break
        }
    }

    func finish() { lock.withLock { if barShown { FileHandle.standardError.write(Data("\n".utf8)); barShown = false } } }

    private func line(_ text: String) {
        if barShown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)); barShown = false }
        printError(text)
    }

    /// `[██████░░░░░░]` for a fraction from 0 to 1.
    static func meter(_ fraction: Double, width: Int = 24) -> String {
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded())
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
    }

    /// `[██████░░░] epoch 3/8  ETA 12 s  loss 0.4120  accuracy 91.2%`: the meter is the whole
    /// run's share done (`TrainingClock`), the words the latest event.
    static func bar(_ progress: TrainingProgress, clock: TrainingClock, now: Date) -> String {
        var parts: [String] = []
        if let fraction = clock.fraction {
            parts.append(meter(fraction))
        } else if let step = progress.step, let steps = progress.steps, steps > 0 {
            parts.append(meter(Double(step) / Double(steps)))
        }
        if let step = progress.step, let steps = progress.steps, steps > 0 {
            parts.append((progress.epoch.map { "epoch \($0) · " } ?? "") + "batch \(step)/\(steps)")
        } else if let epoch = progress.epoch {
            parts.append("epoch \(epoch)" + (clock.epochs.map { "/\($0)" } ?? ""))
        }
        if let left = clock.secondsLeft(now: now) { parts.append(String(format: "ETA %.0f s", left)) }
        if let loss = progress.loss { parts.append(String(format: "loss %.4f", loss)) }
        if let accuracy = progress.accuracy { parts.append(String(format: "accuracy %.1f%%", accuracy * 100)) }
        return parts.joined(separator: "  ")
    }
}
