import Foundation

/// The two checked-in manifests that protect the course's integrity.
///
/// * `Tests/LessonTests/SHA256SUMS` — the SHA-256 of every lesson test file, in `sha256sum`
///   format (so an instructor can also check it with `sha256sum -c`). `tutor grade` reports test
///   files that differ as tampered.
/// * `Lessons/pristine.json` — the git blob id of every shipped exercise file. `tutor reset`
///   restores a file from the course's git history by that id, even after the learner committed
///   their own version over it.
public struct Manifests: Sendable {
    public let project: Project

    public init(project: Project) { self.project = project }

    // MARK: Test files

    /// Every file under `Tests/LessonTests` except the manifest, relative to the project, sorted.
    public func testFiles() -> [String] {
        let base = project.root.appendingPathComponent("Tests/LessonTests")
        return files(under: base).filter { !$0.hasSuffix("SHA256SUMS") }
    }

    /// The manifest as it should be, from the files on disk.
    public func computedTestManifest() throws -> [String: String] {
        let paths = testFiles()
        let digests = try Digests.sha256(of: paths.map { project.root.appendingPathComponent($0) })
        return Dictionary(uniqueKeysWithValues: zip(paths, digests))
    }

    /// The checked-in manifest (empty when missing).
    public func storedTestManifest() -> [String: String] {
        guard let text = try? String(contentsOf: project.testManifest, encoding: .utf8) else { return [:] }
        var entries: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            entries[parts[1].trimmingCharacters(in: .whitespaces)] = String(parts[0])
        }
        return entries
    }

    /// Test files that are new, missing or changed compared with the checked-in manifest.
    public func tamperedTestFiles() throws -> [(path: String, problem: String)] {
        let stored = storedTestManifest()
        let actual = try computedTestManifest()
        var problems: [(String, String)] = []
        for (path, hash) in stored.sorted(by: { $0.key < $1.key }) {
            if let now = actual[path] {
                if now != hash { problems.append((path, "modified")) }
            } else {
                problems.append((path, "deleted"))
            }
        }
        for path in actual.keys.sorted() where stored[path] == nil {
            problems.append((path, "added"))
        }
        return problems
    }

    // MARK: Pristine exercises

    public func storedPristine() -> [String: String] {
        guard let data = try? Data(contentsOf: project.pristineManifest),
              let entries = try? JSONDecoder().decode([String: String].self, from: data) else { return [:] }
        return entries
    }

    public func computedPristine() throws -> [String: String] {
        let paths = project.course.writtenLessons.flatMap(project.exercisePaths)
        for path in paths where !FileManager.default.fileExists(atPath: project.root.appendingPathComponent(path).path) {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let ids = try Digests.gitBlobIDs(of: paths.map { project.root.appendingPathComponent($0) })
        return Dictionary(uniqueKeysWithValues: zip(paths, ids))
    }

    /// Rewrites both manifests from the files on disk (for course authors).
    public func update() throws {
        let tests = try computedTestManifest()
        let text = tests.keys.sorted().map { "\(tests[$0]!)  \($0)" }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: project.testManifest, options: .atomic)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(try computedPristine()) + Data("\n".utf8)).write(to: project.pristineManifest, options: .atomic)
    }

    /// Differences between the checked-in manifests and the files (empty when up to date).
    public func staleEntries() throws -> [String] {
        var problems = try tamperedTestFiles().map { "Tests manifest: \($0.path) \($0.problem)" }
        let stored = storedPristine()
        for (path, id) in try computedPristine().sorted(by: { $0.key < $1.key }) where stored[path] != id {
            problems.append("Pristine manifest: \(path) \(stored[path] == nil ? "missing" : "differs")")
        }
        return problems
    }

    private func files(under directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(
            at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { return [] }
        var paths: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            paths.append(project.relativePath(url.standardizedFileURL.path))
        }
        return paths.sorted()
    }
}
