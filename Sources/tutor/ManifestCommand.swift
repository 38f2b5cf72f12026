import ArgumentParser
import Foundation
import TutorCore

struct ManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "For course authors: check the course against Lessons/course.json, or update what is derived from it.",
        discussion: """
            Lessons/course.json declares every lesson and milestone. Derived from it: the course \
            table in Package.swift and the umbrella Lessons/TinyTorch/TinyTorch.swift. Checked \
            against it: the lesson graph, each written lesson's folders and files, and the package \
            SwiftPM evaluates. Two manifests protect the course's integrity: \
            Tests/LessonTests/SHA256SUMS lets `tutor grade` spot changed tests; \
            Lessons/pristine.json lets `tutor reset` restore exercises from git history. After \
            editing course.json, tests or exercise stubs, run `tutor manifest --update` and commit \
            the result. Exit status: 0 up to date, 1 something disagrees, 2 could not check.
            """)

    @Flag(name: .long, help: "Rewrite Package.swift's course table, the umbrella and both manifests from the files on disk.")
    var update = false

    func run() throws {
        let project = try loadProject()
        let registry = CourseRegistry(project: project)
        let manifests = Manifests(project: project)
        if update {
            do {
                let rewritten = try registry.update()
                try manifests.update()
                for path in rewritten { print("Updated \(path) from Lessons/course.json.") }
            } catch {
                throw fail("could not write the derived files: \(error.localizedDescription)")
            }
            print("Updated Tests/LessonTests/SHA256SUMS and Lessons/pristine.json.")
            // What a rewrite cannot mend (a missing folder, a graph with a cycle) is still wrong.
            let problems = registry.problems()
            for line in problems { print(line) }
            if !problems.isEmpty { throw fail("the course does not agree with Lessons/course.json (above).", code: 1) }
            return
        }
        var problems = registry.problems()
        if problems.isEmpty { problems = registry.buildProblems() }
        do {
            problems += try manifests.staleEntries()
        } catch {
            throw fail("could not read the files to check: \(error.localizedDescription)")
        }
        if problems.isEmpty {
            print("The course agrees with Lessons/course.json, and the manifests are up to date.")
        } else {
            for line in problems { print(line) }
            throw fail("the course is out of date: run `swift run tutor manifest --update`, then fix what remains.", code: 1)
        }
    }
}
