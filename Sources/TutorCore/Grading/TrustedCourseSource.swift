import Foundation

/// Where a trusted copy of the course comes from (`tutor grade --trusted-course SOURCE`), and how
/// it is copied into a folder of its own.
///
/// A learner controls everything in their repository, so the rule is about who controls the
/// *name*: a folder or a repository the instructor names is theirs; in the learner's own
/// repository only a full commit id is trusted, because it names content (git checks every
/// object it fetches against its id) — a branch, a tag or an abbreviated id there is the
/// learner's to point anywhere.
public enum TrustedCourseSource: Equatable, Sendable {
    /// A folder holding the course (its full path), copied as it is (without build folders and
    /// `.git`).
    case folder(String)
    /// A git repository — a URL, or a path on this machine — at `ref` (a branch, a tag or a full
    /// commit id; nil: its default branch).
    case repository(String, ref: String?)

    /// Reads `SOURCE`:
    ///
    /// * `URL` or `URL#ref` (`https://…`, `ssh://…`, `git@host:path`, `file://…`): a repository
    ///   (a folder of that name here is taken as a folder);
    /// * `PATH`: a folder holding the course; `PATH#ref`: the git repository there, at `ref`;
    /// * a full commit id (40 or 64 hex digits): that commit of the learner's repository.
    ///
    /// Refused: a branch, tag or abbreviated id of the learner's repository (alone, or by its
    /// path); a folder inside the learner's repository.
    public init(parsing text: String, learnerRoot: URL,
                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw TrustedCourseError.empty }
        var base = text
        var ref: String?
        if let hash = text.lastIndex(of: "#") {
            base = String(text[..<hash])
            ref = String(text[text.index(after: hash)...])
            guard ref?.isEmpty == false, !base.isEmpty else { throw TrustedCourseError.badRef(text) }
        }
        let learner = Self.resolved(learnerRoot)
        if base.contains("://") && !base.hasPrefix("file://") {
            self = .repository(base, ref: ref)
            return
        }
        let path = base.hasPrefix("file://") ? String(base.dropFirst("file://".count)) : base
        let expanded = (path as NSString).expandingTildeInPath
        let local = (expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
            : currentDirectory.appendingPathComponent(expanded)).standardizedFileURL
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: local.path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue {
            let inside = Self.isInside(Self.resolved(local), learner)
            if let ref {
                // The learner's own repository, named by its path: a full commit id only.
                if inside && !Self.isFullCommitID(ref) { throw TrustedCourseError.learnerControlledRef(ref) }
                self = .repository(local.path, ref: ref)
            } else {
                if inside { throw TrustedCourseError.insideLearnersRepository(local.path) }
                self = .folder(local.path)
            }
            return
        }
        if exists { throw TrustedCourseError.notAFolder(local.path) }
        if Self.isURL(base) {
            self = .repository(base, ref: ref)
            return
        }
        if ref == nil && Self.isFullCommitID(text) {
            self = .repository(learner.path, ref: text.lowercased())
            return
        }
        if ref == nil, text.count >= 4, text.count < 40, text.allSatisfy(\.isHexDigit) {
            throw TrustedCourseError.abbreviatedCommitID(text)
        }
        if ref != nil || path.contains("/") || path.hasPrefix(".") || path.hasPrefix("~") {
            throw TrustedCourseError.noSuchFolder(local.path)
        }
        throw TrustedCourseError.notFolderOrCommit(text)
    }

    /// Copies the course into `destination` (which must not exist yet) and says where it came
    /// from. The copy's `Solution/` folders are emptied: grading never uses them.
    public func copy(to destination: URL, learnerRoot: URL, as given: String) throws -> CourseOrigin {
        var origin: CourseOrigin
        switch self {
        case .folder(let path):
            let folder = URL(fileURLWithPath: path)
            // Checked before copying: a folder that is not a course may be anything, and large.
            try TrustedCourse.courseFilesPresent(in: folder, source: folder.path)
            try Self.copyFolder(folder, to: destination, leavingOut: destination)
            origin = CourseOrigin(kind: .folder, source: folder.path)
            if let commit = try? Git.run(["rev-parse", "--verify", "--quiet", "HEAD"], in: folder),
               let top = try? Git.run(["rev-parse", "--show-toplevel"], in: folder),
               Self.resolved(URL(fileURLWithPath: top)).path == Self.resolved(folder).path {
                origin.commit = commit
                origin.uncommittedChanges = !((try? Git.run(["status", "--porcelain"], in: folder)) ?? "").isEmpty
            }
        case .repository(let location, let ref):
            let commit = try Self.fetch(location, ref: ref, into: destination, learnerRoot: learnerRoot)
            origin = CourseOrigin(kind: .git, source: Self.isLearners(location, learnerRoot) ? "the learner's repository" : given,
                                  commit: commit)
        }
        try Self.emptySolutionFolders(in: destination)
        return origin
    }

    // MARK: Reading SOURCE

    /// A URL git reads: `scheme://…`, or scp-like `[user@]host:path` (no slash before the colon).
    static func isURL(_ text: String) -> Bool {
        if text.contains("://") { return true }
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        return text.firstIndex(of: "/").map { colon < $0 } ?? true
    }

    static func isFullCommitID(_ text: String) -> Bool {
        (text.count == 40 || text.count == 64) && text.allSatisfy(\.isHexDigit)
    }

    static func resolved(_ url: URL) -> URL { url.resolvingSymlinksInPath().standardizedFileURL }

    /// Whether a repository `location` is the learner's own repository.
    static func isLearners(_ location: String, _ learnerRoot: URL) -> Bool {
        !isURL(location) && resolved(URL(fileURLWithPath: location)).path == resolved(learnerRoot).path
    }

    static func isInside(_ url: URL, _ folder: URL) -> Bool {
        url.path == folder.path || url.path.hasPrefix(folder.path.hasSuffix("/") ? folder.path : folder.path + "/")
    }

    // MARK: Copying

    /// Names never copied from a folder: build products, the tutor's state, git's own folder.
    static func isLeftOut(_ name: String) -> Bool {
        name.hasPrefix(".build") || name == ".tutor" || name == ".git" || name == ".swiftpm"
    }

    /// Copies `folder` to `destination`, except what `isLeftOut` names and the folder `copy`
    /// (the copy itself, when the course folder holds the temporary directory).
    static func copyFolder(_ folder: URL, to destination: URL, leavingOut copy: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: destination, withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: folder.path) where !isLeftOut(name) {
            let source = folder.appendingPathComponent(name)
            let target = destination.appendingPathComponent(name)
            let type = try manager.attributesOfItem(atPath: source.path)[.type] as? FileAttributeType
            if type == .typeDirectory {
                guard resolved(source).path != resolved(copy).path else { continue }
                try copyFolder(source, to: target, leavingOut: copy)
            } else {
                try manager.copyItem(at: source, to: target)
            }
        }
    }

    /// Fetches `ref` of `location` into a new repository at `destination` and checks it out;
    /// returns the commit. Only objects are fetched, never the other side's replacements, hooks or
    /// configuration.
    static func fetch(_ location: String, ref: String?, into destination: URL, learnerRoot: URL) throws -> String {
        let named = ref.map { "\(location)#\($0)" } ?? location
        do {
            return try fetchAndCheckOut(location, ref: ref, into: destination, learnerRoot: learnerRoot, named: named)
        } catch let failure as Git.Failure {
            throw TrustedCourseError.fetchFailed(named, reason: failure.reason)
        }
    }

    private static func fetchAndCheckOut(_ location: String, ref: String?, into destination: URL, learnerRoot: URL,
                                         named: String) throws -> String {
        try Git.run(["init", "--quiet", destination.path], in: destination.deletingLastPathComponent())
        let wanted = ref ?? "HEAD"
        var target = "FETCH_HEAD"
        do {
            try Git.run(["fetch", "--quiet", "--depth", "1", "--no-tags", "--", location, wanted], in: destination)
        } catch let error as Git.Failure {
            guard let ref, isFullCommitID(ref) else { throw TrustedCourseError.fetchFailed(named, reason: error.reason) }
            // A server may refuse to serve a commit by its id: fetch its branches and tags, then
            // look for the commit among them.
            _ = try? Git.run(["fetch", "--quiet", "--no-tags", "--", location,
                              "+refs/heads/*:refs/trusted/heads/*", "+refs/tags/*:refs/trusted/tags/*"], in: destination)
            guard (try? Git.run(["cat-file", "-e", "\(ref)^{commit}"], in: destination)) != nil else {
                throw isLearners(location, learnerRoot) ? TrustedCourseError.commitNotInLearnersRepository(ref)
                    : TrustedCourseError.fetchFailed(named, reason: error.reason)
            }
            target = ref
        }
        try Git.run(["-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", target], in: destination)
        let commit = try Git.run(["rev-parse", "HEAD"], in: destination)
        if let ref, isFullCommitID(ref), commit.lowercased() != ref.lowercased() {
            throw TrustedCourseError.fetchFailed(named, reason: "asked for commit \(ref), got \(commit)")
        }
        return commit
    }

    /// Grading never uses a reference solution: the trusted copy keeps each `Solution/` folder
    /// (Package.swift names it) but nothing in it.
    static func emptySolutionFolders(in course: URL) throws {
        let lessons = course.appendingPathComponent("Lessons")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: lessons.path)) ?? [] {
            let solution = lessons.appendingPathComponent(name).appendingPathComponent("Solution")
            guard FileManager.default.fileExists(atPath: solution.path) else { continue }
            try FileManager.default.removeItem(at: solution)
            try FileManager.default.createDirectory(at: solution, withIntermediateDirectories: false)
        }
    }
}

/// Mistakes in naming a trusted course, and what to do about each.
public enum TrustedCourseError: LocalizedError, Equatable {
    case empty
    case badRef(String)
    case noSuchFolder(String)
    case notAFolder(String)
    case insideLearnersRepository(String)
    case learnerControlledRef(String)
    case notFolderOrCommit(String)
    case abbreviatedCommitID(String)
    case commitNotInLearnersRepository(String)
    case fetchFailed(String, reason: String)
    case noGit
    case notACourse(String, reason: String)

    static let howToName = "Name a folder, a repository you control (https://…/course.git#v1.0, or its path#ref), "
        + "or a full commit id of the course."

    static func refAdvice(_ name: String) -> String {
        "Name the course's repository with it (https://…/course.git#\(name)), or a full commit id (all 40 hex digits), "
            + "which git checks against the commit's content."
    }

    public var errorDescription: String? {
        switch self {
        case .empty:
            return "--trusted-course needs a source. " + Self.howToName
        case .badRef(let text):
            return "'\(text)': write a repository and a ref as REPOSITORY#REF, e.g. https://example.org/course.git#v1.0."
        case .noSuchFolder(let path):
            return "there is no folder \(path) to take the trusted course from."
        case .notAFolder(let path):
            return "\(path) is a file: the trusted course is a folder or a git repository."
        case .insideLearnersRepository(let path):
            return "\(path) is inside the learner's repository, whose files the learner controls: it cannot be the trusted "
                + "course. Name a folder outside it, a repository you control, or a full commit id."
        case .learnerControlledRef(let name):
            return "'\(name)' names a branch or tag of the learner's own repository, which the learner can point at any "
                + "commit. " + Self.refAdvice(name)
        case .notFolderOrCommit(let name):
            return "'\(name)' is not a folder here, a git URL or a full commit id — and as a branch or tag it would name "
                + "one of the learner's own repository, which the learner can point at any commit. " + Self.refAdvice(name)
        case .abbreviatedCommitID(let id):
            return "'\(id)' is an abbreviated commit id: a learner can make a commit whose id starts the same. Give all 40 "
                + "hex digits (git rev-parse \(id), in the course's own repository)."
        case .commitNotInLearnersRepository(let id):
            return "commit \(id) is not in the learner's repository. It may be a shallow clone (fetch its whole history: "
                + "actions/checkout's fetch-depth: 0), or was made from a template (a new first commit): name the course's "
                + "repository instead, https://…/course.git#\(id)."
        case .fetchFailed(let source, let reason):
            return "could not fetch the trusted course from \(source): \(reason)"
        case .noGit:
            return "git is not on the PATH: install git, or name a folder holding the trusted course."
        case .notACourse(let source, let reason):
            return "\(source) is not a copy of the course: \(reason)"
        }
    }
}

/// The git commands a trusted course needs, run without prompts and without replacement objects.
enum Git {
    struct Failure: Error {
        var reason: String
    }

    /// Runs `git arguments` in `directory`; returns its standard output, trimmed.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL) throws -> String {
        guard let git = ChildProcess.which("git") else { throw TrustedCourseError.noGit }
        let command = Command(
            git, arguments,
            environment: ["GIT_TERMINAL_PROMPT": "0", "GIT_NO_REPLACE_OBJECTS": "1", "LC_ALL": "C"],
            workingDirectory: directory.path, timeLimit: 600, mergeErrorIntoOutput: false)
        let result = try ChildProcess.run(command)
        guard result.termination == .exited(0) else {
            let lines = result.errorOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let fatal = lines.filter { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") }
                .map { $0.replacingOccurrences(of: "fatal: ", with: "").replacingOccurrences(of: "error: ", with: "") }
            let reason = fatal.isEmpty ? (lines.last ?? "\(result.termination)") : fatal.joined(separator: "; ")
            throw Failure(reason: reason)
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
