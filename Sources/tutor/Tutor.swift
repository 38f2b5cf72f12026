import ArgumentParser
import Foundation
import TutorCore

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
            ListCommand.self, TestCommand.self, HintCommand.self, SolutionCommand.self,
            ResetCommand.self, MilestoneCommand.self, DataCommand.self, GradeCommand.self, VerifyCommand.self,
            ManifestCommand.self,
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
        // The full-screen app is not part of this version yet: show the course and the commands.
        let project = try loadProject()
        print(CourseListing.text(project: project, progress: loadProgress(project), style: .forStandardOutput()))
        print("""
            The full-screen tutor is not in this version yet. Meanwhile:
              swift run tutor test 01      run lesson 01's tests
              swift run tutor hint 01      show the next hint
              swift run tutor --help       every command
            """)
    }
}
