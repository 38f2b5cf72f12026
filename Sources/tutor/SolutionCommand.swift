import ArgumentParser
import Foundation
import TutorCore

struct SolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution", abstract: "Show a lesson's reference solution, once your code passes.")

    @OptionGroup var lessonArgument: LessonArgument

    @Flag(name: .long, help: "Show it even though the lesson does not pass yet.")
    var force = false

    func run() throws {
        let project = try loadProject()
        let lesson = try lessonArgument.resolve(in: project)
        let progress = loadProgress(project)
        let passed = progress.lesson(lesson.id).completed
        if !passed && !force {
            throw fail(LessonFileError.notPassedYet(lesson: lesson.displayName).localizedDescription, code: 1)
        }
        let files: [(path: String, text: String)]
        do { files = try LessonFiles(project: project).solution(lesson) } catch { throw fail(error.localizedDescription) }
        if !passed {
            printError("tutor: warning: lesson \(lesson.id) does not pass yet — reading the solution now skips the part where you learn most.")
        }
        let style = Style.forStandardOutput()
        for file in files {
            print(style.bold("── \(file.path) ──"))
            print(file.text)
        }
        saveProgress(project, .solutionViewed(lesson: lesson.id))
    }
}
