import Foundation
import TutorCore

/// The full-screen tutor: the loop that reads keys, feeds events to `update`, hands effects to
/// the effect runner and draws `render`'s screen.
public enum TutorApp {
    /// How long to wait for a key before animating a spinner (other events end the wait).
    static let frameMilliseconds: Int32 = 50

    /// Runs the app until the learner quits; returns the exit status (0, or 128 + a signal).
    /// The terminal is restored however this returns or throws.
    public static func run(project: Project, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int32 {
        let (progress, warning) = ProgressStore(project: project).load()
        let inbox = EventInbox()
        let terminal = NcursesTerminal()
        try terminal.start()
        defer { terminal.stop() }
        let signals = SignalEvents(post: inbox.post)
        defer { signals.cancel() }
        let runner = EffectRunner(project: project, environment: environment, programColors: terminal.programColors,
                                  post: inbox.post)
        defer { runner.shutdown() }

        var state = AppState(project: project, progress: progress, size: terminal.size,
                             milestoneCommand: environment[MilestoneRunner.commandOverrideVariable].flatMap { $0.isEmpty ? nil : $0 })
        if let warning { state.message = Message(text: warning, tone: .warning, time: state.now) }
        let fault = environment["TUTOR_TUI_TEST_FAULT"]
        var exitStatus: Int32 = 0
        var shown: Screen?
        var lastRender = Date.distantPast
        var frames = 0
        // For Tests/Benchmarks/watch-latency.sh: the time each verdict reached the terminal, to
        // the millisecond, where polling the screen from outside would add its own interval.
        let trace = environment["TUTOR_TRACE_FILE"].flatMap { FileHandle(forWritingAtPath: $0) }
        var verdictToTrace = false

        while !state.shouldQuit {
            var events: [Event] = [.tick(Date())]
            if let input = terminal.read(timeout: frameMilliseconds, wakeUp: inbox.wakeUpDescriptor) {
                events.append(event(for: input))
                // Take keys typed ahead without waiting, so a burst is handled in one frame.
                while events.count < 32, let more = terminal.read(timeout: 0) { events.append(event(for: more)) }
            }
            let size = terminal.size
            if size != state.size { events.append(.resize(size)) }
            events += inbox.takeAll()
            for event in events {
                if case .signal(let number) = event { exitStatus = 128 + number }
                if case .testsFinished = event { verdictToTrace = trace != nil }
                for effect in Update.update(&state, event) { runner.perform(effect) }
            }
            // Only the clock moved: redraw for a spinner at full rate, else twice a second
            // (clocks like "12 s ago", messages fading) — idle, the tutor costs next to nothing.
            let onlyTicked = events.count == 1
            if !onlyTicked || state.activity != nil || Date().timeIntervalSince(lastRender) >= 0.5 {
                lastRender = Date()
                let screen = Render.render(state, size: state.size)
                if screen != shown {
                    terminal.draw(screen)
                    shown = screen
                }
                if verdictToTrace, let trace {
                    trace.seekToEndOfFile()
                    trace.write(Data(String(format: "%.3f verdict drawn\n", Date().timeIntervalSince1970).utf8))
                    verdictToTrace = false
                }
            }
            if frames == 0 { for effect in Update.start(state) { runner.perform(effect) } }
            frames += 1
            if frames == 10 { try injectFault(fault) }
        }
        return exitStatus
    }

    private static func event(for input: TerminalInput) -> Event {
        switch input {
        case .key(let key): return .key(key)
        case .resize(let size): return .resize(size)
        }
    }

    /// For the end-to-end tests of the terminal's restoration: `TUTOR_TUI_TEST_FAULT=throw` throws
    /// from inside the app, `=crash` crashes it, shortly after the first screen.
    private static func injectFault(_ fault: String?) throws {
        switch fault {
        case "throw": throw InjectedFault()
        case "crash": fatalError("TUTOR_TUI_TEST_FAULT=crash: crashing on purpose")
        default: break
        }
    }

    struct InjectedFault: LocalizedError {
        var errorDescription: String? { "an error thrown on purpose (TUTOR_TUI_TEST_FAULT=throw)" }
    }
}
