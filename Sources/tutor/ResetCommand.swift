import ArgumentParser
import Foundation
import TutorCore

struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Restore a lesson's exercise files as shipped (your versions are backed up first).")

    @OptionGroup var lessonArgument: LessonArgument

    @Flag(name: .long, help: "Do not ask for confirmation (for scripts).")
    var yes = false

    func run() throws {
        let project = try loadProject()
        let lesson = try lessonArgument.resolve(in: project)
        let files = LessonFiles(project: project)
        let plan: [LessonFiles.ResetPlan]
        do { plan = try files.resetPlan(lesson) } catch { throw fail(error.localizedDescription) }
        let changed = plan.filter(\.changed)
        guard !changed.isEmpty else {
            print("Lesson \(lesson.id)'s exercise files are already as shipped; nothing to do.")
            return
        }
        print("These files of lesson \(lesson.id) will be replaced by the originals:")
        for item in changed { print("  \(item.path)") }
        if !yes {
            guard isatty(0) == 1 else {
                throw fail("reset asks for confirmation; run it in a terminal, or pass --yes.")
            }
            print("Your versions are copied to .tutor/backups/ first. Go ahead? [y/N] ", terminator: "")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                print("Nothing changed.")
                return
            }
        }
        do {
            if let backup = try files.reset(plan) {
                print("Restored \(changed.count) file\(changed.count == 1 ? "" : "s"). Your versions are in \(project.relativePath(backup.path))/.")
            }
        } catch {
            throw fail("could not restore the files: \(error.localizedDescription)")
        }
    }
}
