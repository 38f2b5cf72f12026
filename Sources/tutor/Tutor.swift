import ArgumentParser
import Foundation
import TutorCore
import TutorTUI

@main
struct Tutor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutor",
        abstract: "Learn how deep-learning frameworks work by building one in Swift.",
        discussion: """
            With no command, opens the full-screen tutor. The commands below work without a \
            terminal, for scripts and CI.
            """,
        subcommands: [
            ListCommand.self, TestCommand.self, WatchCommand.self, HintCommand.self, SolutionCommand.self,
            ResetCommand.self, MilestoneCommand.self, DataCommand.self, InspectCommand.self, GradeCommand.self,
            VerifyCommand.self, ManifestCommand.self,
        ]
    )

    func run() throws {
        guard isatty(1) == 1 && isatty(0) == 1 else {
            printError("""
                tutor: the full-screen tutor needs a terminal (standard input and output are not one).
                For scripts and CI use the headless commands: tutor list, tutor test 01, tutor grade … \
                (`tutor --help` lists them).
                """)
            throw ExitCode(2)
        }
        let project = try loadProject()
        let status: Int32
        do {
            status = try TutorApp.run(project: project)
        } catch {
            throw fail(error.localizedDescription)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
