// The fast path of a lesson's test build: SwiftPM's own build plan, run without SwiftPM.
//
// `swift build --build-tests` spends 0.5–1.5 s on this 2-core machine planning before it compiles
// anything, even when nothing but one exercise file changed. Its plan is an llbuild manifest
// (`<scratch>/debug.yaml`) that the toolchain's `swift-build-tool` can run by itself: then a
// one-line edit of lesson 01 builds in ~0.3 s instead of ~1 s (measured, Tests/Benchmarks/
// edit-latency.sh). The plan is only valid for the package as SwiftPM saw it, so it is captured
// after a SwiftPM build together with a fingerprint of everything planning reads, and used only
// while that fingerprint still matches. Anything else — a changed Package.swift, course.json or
// test file, a new or removed file, another toolchain, environment or lesson set, a missing
// `swift-build-tool`, a build that fails without a compiler error — goes back to SwiftPM.
import Foundation

struct CapturedBuildPlan {
    /// `<scratch>/tutor-plan/`: the manifest, its database and what they were captured for.
    let folder: URL
    let build: SwiftBuild

    init(_ build: SwiftBuild) {
        self.build = build
        folder = build.scratchPath.appendingPathComponent("tutor-plan")
    }

    private var planFile: URL { folder.appendingPathComponent("plan.yaml") }
    private var databaseFile: URL { folder.appendingPathComponent("build.db") }
    private var fingerprintFile: URL { folder.appendingPathComponent("fingerprint.json") }
    private var testListFile: URL { folder.appendingPathComponent("tests.txt") }
    private var objectsFile: URL { folder.appendingPathComponent("objects.json") }
    /// SwiftPM's own manifest and database for this configuration.
    private var swiftPMManifest: URL { build.scratchPath.appendingPathComponent("\(build.configuration).yaml") }
    private var swiftPMDatabase: URL { build.scratchPath.appendingPathComponent("build.db") }

    // MARK: What a plan depends on

    /// Everything SwiftPM's planning reads, as data: two fingerprints are equal only if a plan
    /// made for one is a plan for the other.
    struct Fingerprint: Codable, Equatable {
        /// The build's variables and the tutor's own that a manifest or toolchain can read.
        var environment: [String: String]
        var configuration: String
        /// `swift`, `swift-build-tool`, `swiftc`, `swift-frontend`: path, size, time, inode.
        var toolchain: [String]
        /// SwiftPM's manifest as captured (size, time, inode): SwiftPM rewrites it when it replans.
        var manifest: String
        /// Every file under the folders SwiftPM watches, plus Package.swift, Package.resolved and
        /// course.json, with its `stamp` — except exercise, solution and given sources, which are
        /// compiled, not planned, and count by their path alone ("source": llbuild sees their
        /// edits itself). A folder's entry counts its entries.
        var files: [String: String]
    }

    /// The swift-build-tool next to the `swift` that SwiftPM builds with, if there is one.
    static func buildTool(environment: [String: String?]) -> (tool: String, toolchain: [String])? {
        let path = environment["PATH"].flatMap { $0 } ?? ProcessInfo.processInfo.environment["PATH"]
        guard let swift = ChildProcess.findExecutable(SwiftBuild.swiftExecutable, path: path) else { return nil }
        let folder = URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent()
        let tool = folder.appendingPathComponent("swift-build-tool").path
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let toolchain = ["swift", "swift-build-tool", "swiftc", "swift-frontend", "swift-driver"].map {
            let file = folder.appendingPathComponent($0).path
            return "\($0) \(file) \(Self.stamp(file) ?? "missing")"
        }
        return (tool, toolchain)
    }

    /// Size, modification time (ns) and inode of a file, or nil if it does not exist.
    static func stamp(_ path: String) -> String? {
        guard let (info, time) = Self.status(path) else { return nil }
        return "\(info.st_size) \(time.tv_sec).\(time.tv_nsec) \(info.st_ino)"
    }

    /// `stat` of a file and its modification time (the field's name differs between Darwin and
    /// Glibc), or nil if it does not exist.
    static func status(_ path: String) -> (info: stat, modified: timespec)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        return (info, info.st_mtimespec)
        #else
        return (info, info.st_mtim)
        #endif
    }

    /// The fingerprint of the package as it is now. `manifestText`: SwiftPM's manifest, whose
    /// watched folders are added to the ones any lesson build depends on (the course's lessons and
    /// lesson tests, Package.swift, Package.resolved, course.json).
    func fingerprint(manifestText: String?) -> Fingerprint? {
        guard let (_, toolchain) = Self.buildTool(environment: build.environment) else { return nil }
        var environment: [String: String] = [:]
        // Of the tutor's own variables, those the manifest reads (it names each). Not PATH
        // itself: what it decides is which toolchain builds, and that is `toolchain` (a learner's
        // two terminals, or a script's pyenv shims, differ in PATH alone; measured: the app and
        // `tutor test` run from Python took turns throwing each other's plan away).
        let root = build.packageDirectory.standardizedFileURL.path
        let manifestNames = Self.tutorVariables(in: (try? String(contentsOfFile: root + "/Package.swift", encoding: .utf8)) ?? "")
        for (name, value) in ProcessInfo.processInfo.environment
        where manifestNames.contains(name) || name.hasPrefix("SWIFT") || name.hasPrefix("SDKROOT")
            || name == "DEVELOPER_DIR" || name == "TOOLCHAINS" || name == "CC" || name == "CXX" {
            environment[name] = value
        }
        for (name, value) in build.environment { environment[name] = value ?? "(unset)" }
        var roots = ["Package.swift", "Package.resolved", "Lessons", "Tests/LessonTests"].map { root + "/" + $0 }
        roots += manifestText.map(Self.watchedPaths(in:)) ?? []
        var files: [String: String] = [:]
        for path in Set(roots) { Self.listFiles(at: path, root: root, into: &files) }
        return Fingerprint(environment: environment, configuration: build.configuration, toolchain: toolchain,
                           manifest: Self.stamp(swiftPMManifest.path) ?? "missing", files: files)
    }

    /// The `TUTOR_…` variables a manifest names: those it can read.
    static func tutorVariables(in manifest: String) -> Set<String> {
        var names: Set<String> = []
        var rest = manifest[...]
        while let start = rest.range(of: "TUTOR_") {
            let name = rest[start.lowerBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            names.insert(String(name))
            rest = rest[start.upperBound...]
        }
        return names
    }

    /// The inputs of SwiftPM's "Planning build" command: the folders and files whose change makes
    /// it plan again.
    static func watchedPaths(in manifest: String) -> [String] {
        guard let tool = manifest.range(of: "tool: package-structure-tool") else { return [] }
        let rest = manifest[tool.upperBound...]
        guard let line = rest.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("inputs:") }),
              let data = String(line.drop { $0 != "[" }).data(using: .utf8),
              let inputs = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return inputs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Adds an entry for every file under `path` (or for `path` itself): see `Fingerprint.files`.
    private static func listFiles(at path: String, root: String, into files: inout [String: String]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            files[path] = "missing"
            return
        }
        guard isDirectory.boolValue else {
            files[path] = stamp(path) ?? "unreadable"
            return
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        files[path + "/"] = "folder of \(names.count)"
        for name in names where !name.hasPrefix(".git") && !name.hasPrefix(".build") {
            let child = path + "/" + name
            // The learner's playground is not part of a lesson build (TUTOR_NO_PLAYGROUND).
            if child == root + "/Lessons/Playground" { continue }
            if name.hasSuffix(".swift"), isCompiledSource(child, root: root) {
                files[child] = "source"
            } else {
                listFiles(at: child, root: root, into: &files)
            }
        }
    }

    /// `Lessons/<lesson>/Exercise|Solution|Provided/<name>.swift`.
    static func isCompiledSource(_ path: String, root: String) -> Bool {
        guard path.hasPrefix(root + "/Lessons/") else { return false }
        let parts = path.dropFirst(root.count + "/Lessons/".count).split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && ["Exercise", "Solution", "Provided"].contains(parts[1])
    }

    // MARK: Capture and use

    /// Drops the plan: the next build goes through SwiftPM.
    func discard() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// After a SwiftPM build that got as far as compiling (it succeeded, or failed with compiler
    /// errors in Swift sources), keeps its plan for the next build. `before`: the fingerprint
    /// taken as that build began; if a file changed while SwiftPM built, which version did it
    /// plan? Then nothing is kept.
    func capture(after outcome: BuildOutcome, before: Fingerprint?) {
        discard()
        // A compiler error in a Swift file other than the manifest: SwiftPM planned, then compiled.
        let compiled = outcome.succeeded || outcome.errors.contains { error in
            let name = (error.file as NSString).lastPathComponent
            return name.hasSuffix(".swift") && !name.hasPrefix("Package.swift") && !name.hasPrefix("Package@")
        }
        guard compiled, let before,
              let manifest = try? String(contentsOf: swiftPMManifest, encoding: .utf8),
              manifest.contains("tool: package-structure-tool"),
              let print = fingerprint(manifestText: manifest),
              print.environment == before.environment, print.toolchain == before.toolchain,
              before.files.allSatisfy({ print.files[$0.key] == $0.value }) else { return }
        // SwiftPM's own steps (test discovery, file lists, planning) run only inside SwiftPM;
        // what they produce depends on nothing the fingerprint lets change, so here they are
        // steps with nothing to do.
        var plan = manifest
        for tool in ["test-discovery-tool", "test-entry-point-tool", "write-auxiliary-file", "package-structure-tool"] {
            plan = plan.replacingOccurrences(of: "tool: \(tool)\n", with: "tool: phony\n")
        }
        plan = Self.withoutExecutableLinks(plan)
        // swift-build-tool knows llbuild's "basic" client as "swift-build".
        plan = plan.replacingOccurrences(of: "client:\n  name: basic\n", with: "client:\n  name: swift-build\n  version: 0\n")
        guard plan.hasPrefix("client:\n  name: swift-build\n") else { return }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try plan.write(to: planFile, atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(at: swiftPMDatabase, to: databaseFile)
            try JSONEncoder().encode(Self.objectFiles(in: manifest)).write(to: objectsFile, options: .atomic)
            try JSONEncoder().encode(print).write(to: fingerprintFile, options: .atomic)
        } catch {
            discard()
        }
    }

    /// The plan's `test` target without the package's executables (milestones, examples):
    /// `swift build --build-tests` links each of them on every build, which a lesson's tests never
    /// run (milestones are built for release when they run). Their modules stay, so the plan still
    /// compiles everything SwiftPM would. Measured on lesson 08, where five executables exist:
    /// 0.75 s → 0.4 s after a one-line edit.
    static func withoutExecutableLinks(_ plan: String) -> String {
        var lines = plan.components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.hasPrefix("  \"test\": [") }),
              let data = String(lines[index].drop { $0 != "[" }).data(using: .utf8),
              let nodes = try? JSONSerialization.jsonObject(with: data) as? [String],
              let kept = try? JSONSerialization.data(withJSONObject: nodes.filter { !$0.hasSuffix(".exe>") }, options: [.withoutEscapingSlashes])
        else { return plan }
        lines[index] = "  \"test\": " + String(decoding: kept, as: UTF8.self)
        return lines.joined(separator: "\n")
    }

    /// Runs the captured plan if it is still valid: nil when SwiftPM must build instead.
    func run() -> BuildOutcome? {
        guard let data = try? Data(contentsOf: fingerprintFile),
              let saved = try? JSONDecoder().decode(Fingerprint.self, from: data),
              FileManager.default.fileExists(atPath: planFile.path),
              let manifest = try? String(contentsOf: swiftPMManifest, encoding: .utf8),
              let current = fingerprint(manifestText: manifest), current == saved,
              let (tool, _) = Self.buildTool(environment: build.environment) else {
            if ProcessInfo.processInfo.environment["TUTOR_DEBUG_PLAN"] != nil {
                let saved = (try? Data(contentsOf: fingerprintFile)).flatMap { try? JSONDecoder().decode(Fingerprint.self, from: $0) }
                let current = (try? String(contentsOf: swiftPMManifest, encoding: .utf8)).flatMap { fingerprint(manifestText: $0) }
                FileHandle.standardError.write(Data(("tutor: SwiftPM builds: " + Self.difference(saved, current) + "\n").utf8))
            }
            discard()
            return nil
        }
        guard let objectData = try? Data(contentsOf: objectsFile),
              let objects = try? JSONDecoder().decode([String: String].self, from: objectData) else {
            discard()
            return nil
        }
        let command = Command(tool, ["-f", planFile.path, "--db", databaseFile.path, "test"],
                              environment: build.environment, workingDirectory: build.packageDirectory.path,
                              timeLimit: 3600, captureLimit: 64 << 20)
        guard var result = try? ChildProcess.run(command) else {
            discard()
            return nil
        }
        // The last guard against a stale verdict: after a build that succeeded, no source may be
        // newer than its object file (a save during the build, or a change the incremental build
        // missed: swift-driver skips a file modified before the previous build's recorded time,
        // and this happens here now and then under load). Its object goes, so that the compiler
        // must build it again, once; still stale after a success: SwiftPM builds.
        if result.termination == .exited(0), Self.removeStaleObjects(objects) {
            guard let again = try? ChildProcess.run(command),
                  again.termination != .exited(0) || Self.staleObjects(objects).isEmpty else {
                discard()
                return nil
            }
            result = again
        }
        let log = Self.readableLog(result.output)
        let project = try? Project(root: build.packageDirectory)
        let succeeded = result.termination == .exited(0)
        let diagnostics = CompilerDiagnostics.parse(log, relativeTo: project)
        guard succeeded || diagnostics.contains(where: { $0.severity == .error }) else {
            // In doubt (a tool error, a stopped build): SwiftPM builds and says what is wrong.
            discard()
            return nil
        }
        var outcome = BuildOutcome(succeeded: succeeded, diagnostics: diagnostics, otherErrors: [],
                                   log: log, seconds: result.seconds)
        outcome.route = .capturedPlan
        return outcome
    }

    /// Why a plan was not used, for `TUTOR_DEBUG_PLAN=1`: what differs between the fingerprints.
    static func difference(_ saved: Fingerprint?, _ current: Fingerprint?) -> String {
        guard let saved else { return "no plan was captured" }
        guard let current else { return "no fingerprint now (no swift-build-tool or no SwiftPM manifest)" }
        var found: [String] = []
        for name in Set(saved.environment.keys).union(current.environment.keys) where saved.environment[name] != current.environment[name] {
            found.append("environment \(name): \(saved.environment[name] ?? "unset") -> \(current.environment[name] ?? "unset")")
        }
        if saved.configuration != current.configuration { found.append("configuration") }
        if saved.toolchain != current.toolchain { found.append("toolchain") }
        if saved.manifest != current.manifest { found.append("SwiftPM's manifest") }
        for path in Set(saved.files.keys).union(current.files.keys).sorted() where saved.files[path] != current.files[path] {
            found.append("\(path): \(saved.files[path] ?? "new") -> \(current.files[path] ?? "gone")")
        }
        return found.isEmpty ? "the plan's files are missing" : found.prefix(10).joined(separator: "; ")
    }

    /// Each Swift source of the plan's compile steps, and the object file compiled from it.
    static func objectFiles(in manifest: String) -> [String: String] {
        var pairs: [String: String] = [:]
        var inputs: [String] = []
        for line in manifest.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            func list() -> [String] {
                guard let data = String(text.drop { $0 != "[" }).data(using: .utf8) else { return [] }
                return (try? JSONSerialization.jsonObject(with: data) as? [String]) ?? []
            }
            if text.hasPrefix("inputs:") {
                inputs = list()
            } else if text.hasPrefix("outputs:") {
                for output in list() where output.hasSuffix(".swift.o") {
                    let source = "/" + String((output as NSString).lastPathComponent.dropLast(2))
                    if let input = inputs.first(where: { $0.hasSuffix(source) }) { pairs[input] = output }
                }
                inputs = []
            }
        }
        return pairs
    }

    /// Removes the object files older than their sources (see `staleObjects`); whether there were any.
    static func removeStaleObjects(_ objects: [String: String]) -> Bool {
        let stale = staleObjects(objects)
        for object in stale { try? FileManager.default.removeItem(atPath: object) }
        return !stale.isEmpty
    }

    /// The object files whose source changed after the compiler last compiled it. The object's
    /// own time is not enough: the compiler leaves an object file untouched when its bytes would
    /// not change (measured: a comment appended to Tensor.swift), so the files it writes on every
    /// compile of that source, its dependency file (`.d`) and serialized diagnostics (`.dia`),
    /// count too.
    static func staleObjects(_ objects: [String: String]) -> [String] {
        func modified(_ path: String) -> Double? {
            guard let time = Self.status(path)?.modified else { return nil }
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        return objects.compactMap { source, object in
            guard let sourceTime = modified(source) else { return nil }
            guard let objectTime = modified(object) else { return object }
            let stem = object.hasSuffix(".swift.o") ? String(object.dropLast(".swift.o".count)) : object
            let compiled = [objectTime, modified(stem + ".d"), modified(stem + ".dia")].compactMap { $0 }.max() ?? objectTime
            return sourceTime > compiled ? object : nil
        }
    }

    /// The tests the bundle had when the plan was captured: the plan never rebuilds the list of
    /// tests (test files are part of the fingerprint), so it stays right while the plan is used.
    func savedTestList() -> [TestID]? {
        guard let text = try? String(contentsOf: testListFile, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").compactMap { TestID($0) }
    }

    func saveTestList(_ tests: [TestID]) {
        guard FileManager.default.fileExists(atPath: fingerprintFile.path) else { return }
        try? tests.map(\.identifier).joined(separator: "\n").write(to: testListFile, atomically: true, encoding: .utf8)
    }

    /// swift-build-tool prints each compiler job as swift-driver's parseable output (a length
    /// line, then a JSON message); SwiftPM shows the text of the finished jobs. The same text:
    /// each job's output once (a file's errors come from its compile and its module job alike),
    /// and every other line as it is.
    static func readableLog(_ output: String) -> String {
        var lines: [String] = []
        var seen = Set<String>()
        var rest = Substring(output)
        while !rest.isEmpty {
            let lineEnd = rest.firstIndex(of: "\n") ?? rest.endIndex
            let line = rest[..<lineEnd]
            rest = lineEnd == rest.endIndex ? "" : rest[rest.index(after: lineEnd)...]
            if let length = Int(line), length > 0, rest.utf8.count >= length,
               rest.hasPrefix("{") {
                let end = rest.utf8.index(rest.startIndex, offsetBy: length)
                let message = rest[..<end]
                rest = rest[end...]
                if rest.hasPrefix("\n") { rest = rest.dropFirst() }
                if let object = try? JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any],
                   let text = object["output"] as? String, !text.isEmpty, seen.insert(text).inserted {
                    lines.append(text.hasSuffix("\n") ? String(text.dropLast()) : text)
                }
                continue
            }
            lines.append(String(line))
        }
        return lines.joined(separator: "\n")
    }
}
