import ArgumentParser
import Foundation
import TutorCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the lessons and milestones with your progress.")

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    func run() throws {
        let project = try loadProject()
        let progress = loadProgress(project)
        if json {
            try writeJSON(CourseListing.document(project: project, progress: progress))
        } else {
            print(CourseListing.text(project: project, progress: progress, style: .forStandardOutput()), terminator: "")
        }
    }
}
