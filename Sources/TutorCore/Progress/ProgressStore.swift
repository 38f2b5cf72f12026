import Foundation

/// What the learner has done: test results per lesson, hints seen, milestone results.
public struct LearnerProgress: Codable, Sendable, Equatable {
    /// 2: hints seen as a set (`hintsSeen`); version 1 counted them (`hintsShown`), read as the first N.
    public static let currentVersion = 2

    public var version: Int = LearnerProgress.currentVersion
    public var lessons: [String: LessonProgress] = [:]
    public var milestones: [String: MilestoneProgress] = [:]

    public init() {}

    public struct LessonProgress: Codable, Sendable, Equatable {
        /// Test name → status of the latest run.
        public var tests: [String: TestStatus] = [:]
        public var lastRun: Date?
        /// True once a full run passed every test (stays true: a lesson passed is passed).
        public var completed: Bool = false
        /// The first compiler error of the latest run, when the code did not compile: a hint may
        /// foresee it.
        public var compileError: String?
        /// The hints shown so far, by number (1 is the first hint), ascending.
        public var hintsSeen: [Int] = []
        public var solutionViewed: Bool = false

        public init() {}

        /// The hints seen, 0-based, as `Hints.pick` takes them.
        public var seenHintIndices: Set<Int> { Set(hintsSeen.map { $0 - 1 }) }

        /// The tests that did not pass in the latest runs, in lesson order (`declared`: the test
        /// names as written, `Project.testNames(of:)`).
        public func failingTests(declared: [String]) -> [String] {
            Project.inLessonOrder(tests.filter { !$0.value.isPass }.map(\.key), declared: declared)
        }

        private enum CodingKeys: String, CodingKey { case tests, lastRun, completed, compileError, hintsSeen, hintsShown, solutionViewed }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tests = try container.decode([String: TestStatus].self, forKey: .tests)
            lastRun = try container.decodeIfPresent(Date.self, forKey: .lastRun)
            compileError = try container.decodeIfPresent(String.self, forKey: .compileError)
            completed = try container.decode(Bool.self, forKey: .completed)
            solutionViewed = try container.decode(Bool.self, forKey: .solutionViewed)
            if let seen = try container.decodeIfPresent([Int].self, forKey: .hintsSeen) {
                hintsSeen = Array(Set(seen)).sorted()
            } else if let count = try container.decodeIfPresent(Int.self, forKey: .hintsShown) {
                hintsSeen = count > 0 ? Array(1...min(count, 10_000)) : []  // version 1: the first `count` hints
            }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tests, forKey: .tests)
            try container.encodeIfPresent(lastRun, forKey: .lastRun)
            try container.encodeIfPresent(compileError, forKey: .compileError)
            try container.encode(completed, forKey: .completed)
            try container.encode(hintsSeen, forKey: .hintsSeen)
            try container.encode(solutionViewed, forKey: .solutionViewed)
        }

        public var passedCount: Int { tests.values.filter(\.isPass).count }
    }

    public struct MilestoneProgress: Codable, Sendable, Equatable {
        public var achieved: Bool = false
        /// The best result, in words: "97.8% test accuracy".
        public var bestResult: String?
        public var lastRun: Date?
        public init() {}
    }

    public func lesson(_ id: String) -> LessonProgress { lessons[id] ?? LessonProgress() }

    /// Records a full or partial run of a lesson's tests.
    public mutating func record(_ report: LessonReport, fullRun: Bool, at date: Date = Date()) {
        var entry = lesson(report.lesson)
        for result in report.results { entry.tests[result.name] = result.status }
        if fullRun {
            // Forget tests that no longer exist.
            let names = Set(report.results.map(\.name))
            entry.tests = entry.tests.filter { names.contains($0.key) }
            if report.allPassed { entry.completed = true }
        }
        entry.lastRun = date
        entry.compileError = report.compileErrors.first { $0.severity == .error }?.message
        lessons[report.lesson] = entry
    }
}

/// Reads and writes `.tutor/progress.json`. Writes are atomic (temporary file + rename), so a
/// kill at any moment leaves either the old or the new file. A corrupt or hand-edited file, or one
/// written by a newer tutor, is moved aside (never deleted, never over another file) and the
/// learner is told; the tutor carries on with fresh progress.
public struct ProgressStore: Sendable {
    public let file: URL

    public init(file: URL) { self.file = file }
    public init(project: Project) { self.init(file: project.progressFile) }

    /// Why `update` did not save.
    public enum SaveError: LocalizedError, Equatable {
        /// The file could not be read and could not be moved aside: saving would replace it.
        case unreadableFileInTheWay(path: String)

        public var errorDescription: String? {
            switch self {
            case .unreadableFileInTheWay(let path):
                return "progress was not saved: \(path) could not be read or moved aside, and saving would "
                    + "replace it. Move it away yourself to keep it, or delete it to start fresh progress."
            }
        }
    }

    /// The stored progress, and a warning when the file could not be read and was moved aside.
    /// Also removes temporary files that an interrupted save left (`removeLeftoverTemporaryFiles`):
    /// every tutor command and the app load progress first.
    public func load(now: Date = Date()) -> (progress: LearnerProgress, warning: String?) {
        let (progress, warning, _) = read(now: now)
        return (progress, warning)
    }

    /// Writes `progress` atomically.
    public func save(_ progress: LearnerProgress) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(progress)
        // Data.write(options: .atomic) writes a temporary file in the same folder and renames it.
        try data.write(to: file, options: .atomic)
    }

    /// Loads, changes and saves, returning what it saved and the load warning if any. Throws
    /// `SaveError` rather than save over a file that could not be read or moved aside.
    @discardableResult
    public func update(_ change: (inout LearnerProgress) -> Void) throws -> (progress: LearnerProgress, warning: String?) {
        var (progress, warning, fileInTheWay) = read(now: Date())
        if fileInTheWay { throw SaveError.unreadableFileInTheWay(path: file.path) }
        change(&progress)
        try save(progress)
        return (progress, warning)
    }

    /// How old a temporary file must be to count as left behind: a save takes milliseconds, so
    /// a younger one may belong to a save going on in another tutor process right now.
    static let leftoverAge: TimeInterval = 60

    /// Removes the temporary files (`.dat.nosync…`, Foundation's name for them) that a save
    /// interrupted by a kill left beside the progress file, if they are older than `leftoverAge`.
    public func removeLeftoverTemporaryFiles(now: Date = Date()) {
        let folder = file.deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".dat.nosync") {
            let url = folder.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
            if let modified, now.timeIntervalSince(modified) > Self.leftoverAge {
                try? FileManager.default.removeItem(at: url)
            }
        }
    }

    /// The progress, a warning, and whether an unreadable file is still where progress is saved.
    private func read(now: Date) -> (LearnerProgress, warning: String?, fileInTheWay: Bool) {
        removeLeftoverTemporaryFiles(now: now)
        guard let data = try? Data(contentsOf: file) else { return (LearnerProgress(), nil, false) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // The version first: a newer tutor's file may have a shape this one cannot decode.
        if let version = (try? decoder.decode(VersionOnly.self, from: data))?.version,
           version > LearnerProgress.currentVersion {
            return moveAside(reason: "it was written by a newer tutor (progress version \(version); this tutor "
                             + "reads version \(LearnerProgress.currentVersion)) — update this copy of the course "
                             + "to use it again", now: now)
        }
        do {
            var progress = try decoder.decode(LearnerProgress.self, from: data)
            progress.version = LearnerProgress.currentVersion  // older versions are read into this one
            return (progress, nil, false)
        } catch {
            return moveAside(reason: "it is not valid progress JSON (\(Self.describe(error)))", now: now)
        }
    }

    /// Moves `source` to `destination`, throwing `CocoaError.fileWriteFileExists` rather than
    /// replace a file there: a hard link (which the system refuses to make over a file, even one
    /// another process makes at the same moment), then the old name removed. Where the file
    /// system has no hard links (some network and USB drives), a move, which Foundation refuses
    /// over an existing file (checked just before, so not against a race).
    private func moveWithoutReplacing(_ source: URL, to destination: URL) throws {
        do {
            try FileManager.default.linkItem(at: source, to: destination)
        } catch CocoaError.fileWriteFileExists {
            throw CocoaError(.fileWriteFileExists)
        } catch {
            try FileManager.default.moveItem(at: source, to: destination)
            return
        }
        try FileManager.default.removeItem(at: source)
    }

    private struct VersionOnly: Decodable {
        var version: Int?
    }

    /// Moves the unreadable file to `progress.corrupt-<time>.json`, or `…-2.json`, `…-3.json` if
    /// that name is taken, never over another file.
    private func moveAside(reason: String, now: Date) -> (LearnerProgress, warning: String?, fileInTheWay: Bool) {
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "-")
        let folder = file.deletingLastPathComponent()
        var failure = ""
        for attempt in 1...1000 {
            let suffix = attempt == 1 ? "" : "-\(attempt)"
            let aside = folder.appendingPathComponent("progress.corrupt-\(stamp)\(suffix).json")
            do {
                try moveWithoutReplacing(file, to: aside)
                let warning = "Your progress file \(file.lastPathComponent) could not be read: \(reason). "
                    + "It was moved to \(aside.path) and the tutor starts fresh progress "
                    + "(your code is untouched; run the tests again to restore your results)."
                return (LearnerProgress(), warning, false)
            } catch CocoaError.fileWriteFileExists {
                continue
            } catch {
                failure = error.localizedDescription
                break
            }
        }
        let warning = "Your progress file \(file.path) could not be read: \(reason), and could not be moved aside "
            + "(\(failure.isEmpty ? "every name was taken" : failure)). The tutor uses fresh progress for now "
            + "and saves none until the file is moved."
        return (LearnerProgress(), warning, true)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.keyNotFound(_, let context),
             DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return error.localizedDescription
        }
    }
}
