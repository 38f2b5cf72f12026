import Foundation

/// Grading against a trusted copy of the course (`tutor grade --trusted-course SOURCE`).
///
/// The learner controls every file of their repository: its tests and their manifest, Package.swift
/// (which picks `Exercise/` or `Solution/`), course.json (which lessons are graded). So the grade
/// is built from a copy of the course the instructor controls, with nothing of the learner's in it
/// but `Lessons/*/Exercise/*.swift`:
///
/// 1. the trusted course is copied into a temporary folder (`TrustedCourseSource.copy`), its
///    `Solution/` folders emptied;
/// 2. each lesson the *trusted* course.json declares written gets the learner's exercise files in
///    place of the stubs — regular `.swift` files only; a lesson the learner has none for keeps
///    the stubs, and fails (`exerciseNotes` say so);
/// 3. every other course file of the learner's that differs from the trusted copy is named
///    (`tampered`): it was not used, and `--strict` fails the grade on it.
public enum TrustedCourse {
    /// Copies the trusted course into `folder`, lays the learner's exercises into it and compares
    /// the learner's course files with it: the course to build and test.
    public static func prepare(
        _ source: TrustedCourseSource, as given: String, learnerRoot: URL, in folder: TemporaryFolder
    ) throws -> GradedCourse {
        let copy = folder.url.appendingPathComponent("course", isDirectory: true)
        var origin = try source.copy(to: copy, learnerRoot: learnerRoot, as: given)
        origin.tutorFromLearnersCopy = tutorIsInside(learnerRoot)
        let project = try course(at: copy, source: origin.source ?? given)
        let notes = try layExercises(from: learnerRoot, into: project)
        return GradedCourse(project: project, origin: origin,
                            tampered: changedCourseFiles(learnerRoot: learnerRoot, course: copy), exerciseNotes: notes)
    }

    /// Throws unless `folder` holds the files that make a course.
    static func courseFilesPresent(in folder: URL, source: String) throws {
        for file in ["Package.swift", "Lessons/course.json"]
        where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) {
            throw TrustedCourseError.notACourse(source, reason: "it has no \(file)")
        }
    }

    /// The course in `folder`, or why it is not one.
    static func course(at folder: URL, source: String) throws -> Project {
        try courseFilesPresent(in: folder, source: source)
        do {
            return try Project(root: folder)
        } catch {
            throw TrustedCourseError.notACourse(source, reason: error.localizedDescription)
        }
    }

    // MARK: The learner's exercises

    /// Replaces each written lesson's `Exercise/` files in `course` by the learner's
    /// `Lessons/<lesson>/Exercise/*.swift`. Returns what was not taken, and the lessons left on
    /// the course's stubs.
    static func layExercises(from learnerRoot: URL, into course: Project) throws -> [GradeReport.FileNote] {
        let manager = FileManager.default
        var notes: [GradeReport.FileNote] = []
        for lesson in course.course.writtenLessons {
            let folder = "Lessons/\(lesson.folder)/Exercise"
            let theirs = learnerRoot.appendingPathComponent(folder)
            var files: [String] = []
            let resolved = TrustedCourseSource.resolved(theirs)
            if FileManager.default.fileExists(atPath: theirs.path),
               !TrustedCourseSource.isInside(resolved, TrustedCourseSource.resolved(learnerRoot)) {
                notes.append(.init(path: folder, problem: "leads out of the learner's repository (\(resolved.path)): "
                                   + "lesson \(lesson.id) was graded on the course's stubs"))
                continue
            }
            for name in ((try? manager.contentsOfDirectory(atPath: theirs.path)) ?? []).sorted() where !name.hasPrefix(".") {
                let type = (try? manager.attributesOfItem(atPath: theirs.appendingPathComponent(name).path))?[.type]
                    as? FileAttributeType
                let problem: String?
                switch type {
                case .typeRegular?: problem = name.hasSuffix(".swift") ? nil : "not a .swift file: not graded"
                case .typeSymbolicLink?: problem = "a symbolic link: not graded (only files are taken)"
                case .typeDirectory?: problem = "a folder: not graded (only Exercise/*.swift is taken)"
                default: problem = "not a regular file: not graded"
                }
                if let problem { notes.append(.init(path: "\(folder)/\(name)", problem: problem)) } else { files.append(name) }
            }
            guard !files.isEmpty else {
                notes.append(.init(path: folder, problem: "no exercise files: lesson \(lesson.id) was graded on the course's stubs"))
                continue
            }
            let ours = course.exerciseDirectory(lesson)
            try? manager.removeItem(at: ours)
            try manager.createDirectory(at: ours, withIntermediateDirectories: true)
            for name in files {
                try Data(contentsOf: theirs.appendingPathComponent(name)).write(to: ours.appendingPathComponent(name))
            }
        }
        return notes
    }

    // MARK: The learner's other course files

    /// Whether a grade takes `path` (relative to the course) from the trusted course: what the
    /// build reads — Package.swift, course.json and the manifests, the lesson tests and their
    /// fixtures, `Provided/` and `Example/` code, the umbrella, the milestones — except the
    /// exercises (the learner's), the solutions (never used), the playground (not built) and
    /// Markdown (lesson texts and hints are read, not built).
    public static func isCourseFile(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        guard let top = parts.first, !path.hasSuffix(".md") else { return false }
        switch top {
        case "Package.swift": return parts.count == 1
        case "Checkpoints": return true
        case "Tests": return parts.count > 2 && parts[1] == "LessonTests"
        case "Lessons":
            if parts.count > 1 && parts[1] == "Playground" { return false }
            return !(parts.count > 3 && ["Exercise", "Solution"].contains(parts[2]))
        default: return false
        }
    }

    /// The course files (`isCourseFile`) under `root`, relative to it.
    static func courseFiles(under root: URL) -> Set<String> {
        var paths: Set<String> = []
        let prefix = root.standardizedFileURL.path + "/"
        for top in ["Package.swift", "Lessons", "Tests/LessonTests", "Checkpoints"] {
            let start = root.appendingPathComponent(top)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: start.path, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else {
                if isCourseFile(top) { paths.insert(top) }
                continue
            }
            guard let walk = FileManager.default.enumerator(
                at: start, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles]) else { continue }
            for case let url as URL in walk {
                let path = String(url.standardizedFileURL.path.dropFirst(prefix.count))
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
                    if url.lastPathComponent.hasPrefix(".build") { walk.skipDescendants() }
                } else if isCourseFile(path) {
                    paths.insert(path)
                }
            }
        }
        return paths
    }

    /// The learner's course files that differ from the trusted copy: `modified`, `added` (not in
    /// the course) or `deleted` (the learner has no such file), sorted by path.
    static func changedCourseFiles(learnerRoot: URL, course: URL) -> [GradeReport.FileNote] {
        let theirs = courseFiles(under: learnerRoot)
        let ours = courseFiles(under: course)
        return theirs.union(ours).sorted().compactMap { path in
            if !ours.contains(path) { return .init(path: path, problem: "added") }
            if !theirs.contains(path) { return .init(path: path, problem: "deleted") }
            let same = FileManager.default.contentsEqual(
                atPath: learnerRoot.appendingPathComponent(path).path, andPath: course.appendingPathComponent(path).path)
            return same ? nil : .init(path: path, problem: "modified")
        }
    }

    /// Whether the running tutor was built inside the learner's repository: then its own code is
    /// the learner's, and no trusted course can make its verdict trustworthy.
    static func tutorIsInside(_ learnerRoot: URL) -> Bool {
        guard let executable = Bundle.main.executableURL else { return false }
        return TrustedCourseSource.isInside(TrustedCourseSource.resolved(executable), TrustedCourseSource.resolved(learnerRoot))
    }
}
