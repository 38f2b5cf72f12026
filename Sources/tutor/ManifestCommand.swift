import ArgumentParser
import Foundation
import TutorCore

struct ManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "For course authors: check or update the manifests of test and exercise files.",
        discussion: """
            Tests/LessonTests/SHA256SUMS lets `tutor grade` spot changed tests; Lessons/pristine.json \
            lets `tutor reset` restore exercises from git history. Update both after editing tests \
            or exercise stubs, and commit them.
            """)

    @Flag(name: .long, help: "Rewrite the manifests from the files on disk.")
    var update = false

    func run() throws {
        let project = try loadProject()
        let manifests = Manifests(project: project)
        if update {
            do { try manifests.update() } catch { throw fail("could not write the manifests: \(error.localizedDescription)") }
            print("Updated Tests/LessonTests/SHA256SUMS and Lessons/pristine.json.")
            return
        }
        let stale = (try? manifests.staleEntries()) ?? ["could not read the files"]
        if stale.isEmpty {
            print("Manifests are up to date.")
        } else {
            for line in stale { print(line) }
            throw fail("the manifests are out of date: run `swift run tutor manifest --update`.", code: 1)
        }
    }
}
