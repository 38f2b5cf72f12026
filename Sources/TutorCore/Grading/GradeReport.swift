import Foundation

/// The result of grading a learner's work: what `Reports` writes as JUnit XML, JSON and Markdown.
public struct GradeReport: Encodable, Sendable {
    /// A file the report names and what was found: `modified`, `added` or `deleted` for a course
    /// file, or why a learner's exercise file was not graded.
    public struct FileNote: Codable, Sendable, Equatable {
        public var path: String
        public var problem: String

        public init(path: String, problem: String) {
            self.path = path
            self.problem = problem
        }
    }

    public var course: String
    /// The copy of the course the lessons were built and tested in.
    public var origin: CourseOrigin
    public var date: Date
    public var lessons: [LessonReport]
    /// Course files (everything but the exercises) that differ from what the grade trusts. With a
    /// trusted course: the learner's copies of the files taken from it (`TrustedCourse`), which
    /// were not used. Without: the test files against `Tests/LessonTests/SHA256SUMS`.
    public var tampered: [FileNote]
    /// Why the course files could not be compared at all (then the grade could not run).
    public var integrityProblem: String?
    /// With a trusted course: the learner's exercise files that were not graded, and lessons
    /// graded on the course's stubs because the learner has no exercise files for them.
    public var exerciseNotes: [FileNote]
    /// With `strict`, changed course files fail the grade.
    public var strict: Bool

    public init(course: String, origin: CourseOrigin = .learnersCopy, date: Date, lessons: [LessonReport],
                tampered: [FileNote], integrityProblem: String? = nil, exerciseNotes: [FileNote] = [], strict: Bool) {
        self.course = course
        self.origin = origin
        self.date = date
        self.lessons = lessons
        self.tampered = tampered
        self.integrityProblem = integrityProblem
        self.exerciseNotes = exerciseNotes
        self.strict = strict
    }

    public var testCount: Int { lessons.reduce(0) { $0 + $1.results.count } }
    public var passedCount: Int { lessons.reduce(0) { $0 + $1.passedCount } }
    /// What stopped grading, for a reason that is not a failing test.
    public var problems: [String] {
        lessons.compactMap { report in report.problem.map { "\(report.lesson) \(report.title): \($0)" } }
            + (integrityProblem.map { ["course files: \($0)"] } ?? [])
    }

    /// 0: every graded lesson passes; 1: some test fails (or, with `strict`, course files were
    /// changed); 2: grading could not run.
    public var exitCode: Int32 {
        if lessons.isEmpty || !problems.isEmpty { return 2 }
        if strict && !tampered.isEmpty { return 1 }
        return lessons.allSatisfy(\.allPassed) ? 0 : 1
    }

    // MARK: Counting

    /// How many checks a report holds and how they came out, in JUnit's terms: a failure is a
    /// check that ran and failed (an assertion, changed course files with `--strict`), an error
    /// one that could not finish (a crash, a time-out, a compile error, a lesson that could not
    /// be graded), skipped a check reported but not enforced (changed files without `--strict`).
    public struct Totals: Codable, Sendable, Equatable {
        public var tests = 0
        public var passed = 0
        public var failures = 0
        public var errors = 0
        public var skipped = 0

        public init(tests: Int = 0, passed: Int = 0, failures: Int = 0, errors: Int = 0, skipped: Int = 0) {
            self.tests = tests
            self.passed = passed
            self.failures = failures
            self.errors = errors
            self.skipped = skipped
        }

        static func + (a: Totals, b: Totals) -> Totals {
            Totals(tests: a.tests + b.tests, passed: a.passed + b.passed, failures: a.failures + b.failures,
                   errors: a.errors + b.errors, skipped: a.skipped + b.skipped)
        }
    }

    /// One lesson's checks: each test, and one error when the lesson could not be graded.
    public static func totals(of lesson: LessonReport) -> Totals {
        var totals = Totals(tests: lesson.results.count)
        for result in lesson.results {
            switch result.status {
            case .passed: totals.passed += 1
            case .failed: totals.failures += 1
            case .crashed, .timedOut, .didNotCompile: totals.errors += 1
            }
        }
        if lesson.problem != nil {
            totals.tests += 1
            totals.errors += 1
        }
        return totals
    }

    /// The course-files check, one check in every report: passed when nothing changed, failed
    /// with `strict`, skipped (reported only) without, an error when it could not run.
    public var courseFilesTotals: Totals {
        if integrityProblem != nil { return Totals(tests: 1, errors: 1) }
        if tampered.isEmpty { return Totals(tests: 1, passed: 1) }
        return strict ? Totals(tests: 1, failures: 1) : Totals(tests: 1, skipped: 1)
    }

    /// Every check of the report: the lessons' and the course-files check.
    public var totals: Totals {
        lessons.map(Self.totals(of:)).reduce(courseFilesTotals, +)
    }

    private enum CodingKeys: String, CodingKey {
        case course, origin, date, lessons, tampered, integrityProblem, exerciseNotes, strict, totals, exitCode
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(course, forKey: .course)
        try container.encode(origin, forKey: .origin)
        try container.encode(date, forKey: .date)
        try container.encode(lessons, forKey: .lessons)
        try container.encode(tampered, forKey: .tampered)
        try container.encodeIfPresent(integrityProblem, forKey: .integrityProblem)
        try container.encode(exerciseNotes, forKey: .exerciseNotes)
        try container.encode(strict, forKey: .strict)
        try container.encode(totals, forKey: .totals)
        try container.encode(exitCode, forKey: .exitCode)
    }
}

/// Where the copy of the course a grade built came from.
public struct CourseOrigin: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The learner's own repository: its tests, manifests, Package.swift and course.json are
        /// the learner's to change, and nothing verified them.
        case learnersCopy = "learner's copy"
        /// A trusted folder, copied.
        case folder
        /// A trusted git repository at a commit.
        case git
    }

    public var kind: Kind
    /// As named to `--trusted-course`: a folder's full path, a URL or repository path with its
    /// `#ref`, or a commit id. Nil for the learner's copy.
    public var source: String?
    /// The commit graded against: the one fetched, or a trusted folder's checked-out commit.
    public var commit: String?
    /// A trusted folder that is a git checkout with changes not committed: the commit alone does
    /// not say what was graded against.
    public var uncommittedChanges: Bool
    /// The tutor that graded was built from the learner's own repository, whose code the learner
    /// controls (a trusted course cannot help then).
    public var tutorFromLearnersCopy: Bool

    public init(kind: Kind, source: String? = nil, commit: String? = nil, uncommittedChanges: Bool = false,
                tutorFromLearnersCopy: Bool = false) {
        self.kind = kind
        self.source = source
        self.commit = commit
        self.uncommittedChanges = uncommittedChanges
        self.tutorFromLearnersCopy = tutorFromLearnersCopy
    }

    public static let learnersCopy = CourseOrigin(kind: .learnersCopy)

    public var isTrusted: Bool { kind != .learnersCopy }
}
