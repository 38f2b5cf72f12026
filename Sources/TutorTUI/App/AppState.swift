import Foundation
import TutorCore

/// A terminal size in columns and rows.
public struct Size: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    /// Below this the app shows a "please enlarge" message instead of its screens.
    public static let minimum = Size(width: 80, height: 24)
    public var isTooSmall: Bool { width < Size.minimum.width || height < Size.minimum.height }
}

/// Which screen is showing.
public enum Route: Equatable, Sendable {
    case dashboard
    case lesson(Int)
    case milestone(String)
}

/// Everything the app shows, as a value. Only `update` changes it; `render` reads it.
public struct AppState {
    public var project: Project
    public var progress: LearnerProgress
    public var size: Size
    /// The time of the latest tick: spinners, elapsed times and ETAs are computed from it.
    public var now: Date
    public var route: Route = .dashboard
    public var dashboard = DashboardState()
    /// Lesson pages keep their scroll position and results while you look elsewhere.
    public var lessons: [Int: LessonPage] = [:]
    public var milestones: [String: MilestonePage] = [:]
    public var overlay: Overlay?
    /// The one build, test run or milestone run going on (they run one at a time).
    public var activity: Activity?
    public var watch = WatchState()
    public var message: Message?
    /// `TUTOR_MILESTONE_COMMAND`: a program run instead of any milestone's own (for tests).
    public var milestoneCommand: String?
    public var nextRunID = 1
    public var shouldQuit = false

    public init(project: Project, progress: LearnerProgress, size: Size, now: Date = Date(), milestoneCommand: String? = nil) {
        self.project = project
        self.progress = progress
        self.size = size
        self.now = now
        self.milestoneCommand = milestoneCommand
        dashboard.selection = dashboardItems.firstIndex(of: nextItem) ?? 0
    }

    public var course: Course { project.course }
    public var status: CourseStatus { CourseStatus(course: course, progress: progress) }
}

public struct DashboardState: Equatable, Sendable {
    /// Index into `AppState.dashboardItems`.
    public var selection = 0
}

/// A row of the dashboard that can be selected and opened.
public enum DashboardItem: Equatable, Sendable {
    case lesson(Int)
    case milestone(String)
}

public struct LessonPage {
    public enum Pane: Equatable, Sendable { case text, results }

    public var number: Int
    /// The lesson text (README.md), laid out for the current width.
    public var text: LessonText?
    /// Why the text could not be read.
    public var textProblem: String?
    public var hints: Hints?
    /// The lesson's test names as written (`Project.testNames(of:)`): the order that picks a hint.
    public var testNames: [String] = []
    public var focus: Pane = .text
    public var textScroll = 0
    public var resultsScroll = 0
    /// The latest finished run.
    public var report: LessonReport?
    public var reportTime: Date?
    /// Source lines quoted under compile errors, keyed by "file:line".
    public var sourceLines: [String: String] = [:]
    /// Results arriving during a run.
    public var live: [TestResult] = []
    /// Why the latest run did not finish (stopped, could not start).
    public var runNote: String?

    public init(number: Int) { self.number = number }
}

/// Lesson text parsed once and wrapped for one width (re-wrapped when the width changes).
public struct LessonText {
    public var blocks: [MarkdownBlock]
    public var width: Int
    public var lines: [StyledLine]

    public init(markdown: String, width: Int) {
        blocks = MarkdownParser.parse(markdown)
        self.width = width
        lines = MarkdownRenderer.render(blocks, width: width)
    }

    public mutating func layout(width: Int) {
        guard width != self.width else { return }
        self.width = width
        lines = MarkdownRenderer.render(blocks, width: width)
    }
}

public struct MilestonePage {
    public var slug: String
    /// The latest run (kept when it ends, so its charts stay on screen).
    public var run: MilestoneRun?
    /// How many lines the output pane is scrolled up from its latest line.
    public var outputScroll = 0
    /// `t` on a locked milestone: the lessons it still needs, tested here one after another.
    public var lessonCheck: LessonCheck?
    public init(slug: String) { self.slug = slug }
}

/// A locked milestone's lessons tested from its page, so that lessons already solved on disk (in
/// an editor, or before the progress file was lost) count without opening each one. It stops at
/// the first lesson that does not pass.
public struct LessonCheck: Equatable {
    public struct Tested: Equatable {
        public var lesson: Int
        public var passed: Int
        public var total: Int
        public var allPassed: Bool
        /// Why the tests could not run, or "does not compile".
        public var problem: String?
    }
    /// Lessons still to test, in course order.
    public var waiting: [Int]
    /// The lesson being tested and its run.
    public var current: (lesson: Int, run: Int)?
    public var tested: [Tested] = []
    public var stopped = false

    public init(waiting: [Int]) { self.waiting = waiting }

    public static func == (a: LessonCheck, b: LessonCheck) -> Bool {
        a.waiting == b.waiting && a.current?.lesson == b.current?.lesson && a.current?.run == b.current?.run
            && a.tested == b.tested && a.stopped == b.stopped
    }
}

/// What a milestone run has reported so far.
public struct MilestoneRun {
    public struct Point: Equatable, Sendable {
        public var epoch: Int
        public var loss: Double?
        public var accuracy: Double?
        public var time: Date
        /// The loss on held-out data, when the program reports one (`val_loss`: the 2017 GPT).
        public var validationLoss: Double? = nil
    }

    /// When the learner pressed ⏎ (the release build comes first).
    public var started: Date
    /// How long the release build took, once it is done.
    public var buildSeconds: Double?
    /// Where training stands, from the program's start (nil while it builds).
    public var clock: TrainingClock?
    public var points: [Point] = []
    /// The program's own words (standard error and log events), latest last.
    public var output: [String] = []
    public var building = false
    public var outcome: MilestoneRunner.Outcome?
    public var finished: Date?

    public init(started: Date) { self.started = started }
}

public enum Overlay {
    case help(scroll: Int)
    case hint(HintOverlay)
    case solution(SolutionOverlay)
    case confirm(Confirmation)
}

public struct HintOverlay: Equatable, Sendable {
    public var lesson: Int
    /// Which hint is showing (0-based).
    public var index: Int
    /// Why `h` opened this hint; shown over it until the learner moves to another hint.
    public var reason: Hints.Reason = .nextInOrder
    public var scroll = 0
}

public struct SolutionOverlay: Equatable, Sendable {
    public struct File: Equatable, Sendable {
        public var path: String
        public var text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }
    public var lesson: Int
    public var files: [File]
    public var file = 0
    public var scroll = 0
}

public enum Confirmation: Equatable, Sendable {
    /// Restore these changed exercise files as shipped.
    case reset(lesson: Int, files: [String])
    /// Show the solution of a lesson that does not pass yet.
    case solution(lesson: Int)
}

/// The run going on: a lesson's tests or a milestone's program.
public struct Activity: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case tests(lesson: Int)
        case milestone(String)
    }
    public enum Phase: Equatable, Sendable {
        case building
        case running(total: Int)
        /// Asked to stop; waiting for the child processes to go.
        case stopping
    }

    public var id: Int
    public var kind: Kind
    public var started: Date
    public var phase: Phase = .building
    /// Watched files saved during the run: test again when it ends (`SavedFiles`).
    public var savedDuringRun = SavedFiles()
    /// What started it, for the status line ("Tensor.swift saved").
    public var trigger: String?
}

public struct WatchState: Equatable, Sendable {
    /// The learner's choice (`w` toggles it); on by default.
    public var enabled = true
    /// The lesson whose files are being watched, once the watcher runs.
    public var lesson: Int?
    public var mode: WatchMode?
    public var problem: String?
}

/// A short note in the status line, cleared after a few seconds.
public struct Message: Equatable, Sendable {
    public var text: String
    public var tone: TextStyle.Tone
    public var time: Date
    public static let lifetime: TimeInterval = 6
}

extension AppState {
    /// The dashboard's selectable rows, in order: every lesson, then every milestone.
    public var dashboardItems: [DashboardItem] {
        course.lessons.map { .lesson($0.number) } + course.milestones.map { .milestone($0.slug) }
    }

    /// The next thing to do: a milestone that just unlocked (the reward for its lessons), else the
    /// first lesson that does not pass.
    public var nextItem: DashboardItem {
        let status = self.status
        if let milestone = course.milestones.first(where: { status.state(of: $0) == .ready }) { return .milestone(milestone.slug) }
        if let lesson = status.nextLesson { return .lesson(lesson.number) }
        return .lesson(course.lessons.first?.number ?? 1)
    }

    public func lesson(_ number: Int) -> Course.Lesson? { course.lesson(number: number) }
    public func milestone(_ slug: String) -> Course.Milestone? { course.milestones.first { $0.slug == slug } }

    public var isBusy: Bool { activity != nil }
}
