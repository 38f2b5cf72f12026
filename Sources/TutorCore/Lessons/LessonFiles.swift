import Foundation

/// Restoring a lesson's exercise files and showing its solution.
public struct LessonFiles: Sendable {
    public let project: Project

    public init(project: Project) { self.project = project }

    /// One exercise file's state compared with how the course shipped it.
    public struct ResetPlan: Sendable {
        public var path: String
        public var pristine: Data
        public var changed: Bool
    }

    /// Finds the shipped version of every exercise file of `lesson`. Throws (and so changes
    /// nothing) if any of them cannot be found.
    public func resetPlan(_ lesson: Course.Lesson) throws -> [ResetPlan] {
        let manifest = Manifests(project: project).storedPristine()
        return try project.exercisePaths(lesson).map { path in
            guard let blob = manifest[path] else {
                throw LessonFileError.pristineUnavailable(file: path, reason: "it is not listed in Lessons/pristine.json")
            }
            let pristine = try gitBlob(blob, for: path)
            let current = try? Data(contentsOf: project.root.appendingPathComponent(path))
            return ResetPlan(path: path, pristine: pristine, changed: current != pristine)
        }
    }

    /// Restores the files of `plan` that changed, first copying each into
    /// `.tutor/backups/<time>/<path>`. Returns the backup folder (nil when nothing changed).
    @discardableResult
    public func reset(_ plan: [ResetPlan], now: Date = Date()) throws -> URL? {
        let changed = plan.filter(\.changed)
        guard !changed.isEmpty else { return nil }
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "-")
        let backup = project.stateDirectory.appendingPathComponent("backups/\(stamp)")
        let fileManager = FileManager.default
        for item in changed {
            let file = project.root.appendingPathComponent(item.path)
            if fileManager.fileExists(atPath: file.path) {
                let copy = backup.appendingPathComponent(item.path)
                try fileManager.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fileManager.copyItem(at: file, to: copy)
            }
        }
        for item in changed {
            let file = project.root.appendingPathComponent(item.path)
            try fileManager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try item.pristine.write(to: file, options: .atomic)
        }
        return backup
    }

    /// The reference solution's files, path and text, in the order of the exercises.
    public func solution(_ lesson: Course.Lesson) throws -> [(path: String, text: String)] {
        try lesson.exercises.map { name in
            let url = project.solutionDirectory(lesson).appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw LessonFileError.missing(project.relativePath(url.path))
            }
            return (project.relativePath(url.path), text)
        }
    }

    /// Reads a blob from the course's git history and checks it is the one asked for.
    private func gitBlob(_ id: String, for path: String) throws -> Data {
        guard ChildProcess.which("git") != nil else {
            throw LessonFileError.pristineUnavailable(file: path, reason: "git is not installed (the originals come from the course's git history)")
        }
        let result = try ChildProcess.run(Command(
            "git", ["-C", project.root.path, "cat-file", "blob", id], timeLimit: 30, mergeErrorIntoOutput: false))
        guard result.termination == .exited(0) else {
            throw LessonFileError.pristineUnavailable(
                file: path,
                reason: "git has no object \(id) (\(result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines))). "
                    + "Is this a git clone of the course (not a downloaded archive)?")
        }
        let data = Data(result.output.utf8)
        guard (try? Digests.gitBlobID(of: data)) == id else {
            throw LessonFileError.pristineUnavailable(file: path, reason: "git returned different contents for \(id)")
        }
        return data
    }
}
