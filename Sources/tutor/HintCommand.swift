import ArgumentParser
import Foundation
import TutorCore

struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint", abstract: "Show the next hint for a lesson (the tutor remembers which you have seen).",
        discussion: """
            Hints come in the order of the lesson's exercises. Stuck on a later one? \
            `tutor hint 05 --list` shows every hint's topic; `tutor hint 05 loss` (words of a \
            topic) or `tutor hint 05 7` (its number) shows that hint alone.
            """)

    @OptionGroup var lessonArgument: LessonArgument

    @Argument(help: "A hint's number, or words of its topic (see --list), to show that hint alone.")
    var topic: [String] = []

    @Flag(name: .long, help: "List the topics of the lesson's hints (which you have seen is marked).")
    var list = false

    @Flag(name: .long, help: "Show again every hint you have already seen.")
    var seen = false

    @Flag(name: .long, help: "Start the hints of this lesson over.")
    var reset = false

    func run() throws {
        let project = try loadProject()
        let lesson = try lessonArgument.resolve(in: project)
        let hints: Hints
        do { hints = try Hints.load(lesson, in: project) } catch { throw fail(error.localizedDescription) }
        guard !hints.hints.isEmpty else { throw fail("lesson \(lesson.id) has no hints.") }
        let progress = loadProgress(project)
        let shown = min(progress.lesson(lesson.id).hintsShown, hints.hints.count)
        if reset {
            saveProgress(project, .hintsShown(lesson: lesson.id, count: 0))
            print("Hints of lesson \(lesson.id) start over: `tutor hint \(lesson.id)` shows the first one.")
            return
        }
        let style = Style.forStandardOutput()
        func show(_ index: Int) {
            let hint = hints.hints[index]
            print(style.bold("Hint \(index + 1) of \(hints.hints.count) — \(hint.title)") + "\n\n" + hint.body + "\n")
        }
        if list {
            for (index, hint) in hints.hints.enumerated() {
                let mark = index < shown ? "seen" : "    "
                print("\(String(format: "%3d", index + 1))  \(style.dim(mark))  \(hint.title)")
            }
            print(style.dim("`tutor hint \(lesson.id) <number or words>` shows one of them."))
            return
        }
        if !topic.isEmpty {
            let asked = topic.joined(separator: " ")
            guard let index = hints.index(forTopic: asked) else {
                throw fail("lesson \(lesson.id) has no hint about “\(asked)”. Its hints are:\n"
                    + hints.hints.enumerated().map { "  \($0.offset + 1)  \($0.element.title)" }.joined(separator: "\n"))
            }
            show(index)
            return
        }
        if seen {
            guard shown > 0 else { print("You have not seen any hint of lesson \(lesson.id) yet."); return }
            for index in 0..<shown { show(index) }
            return
        }
        guard let next = hints.next(seen: shown), !next.allSeen else {
            print("You have seen all \(hints.hints.count) hints of lesson \(lesson.id). "
                  + "`tutor hint \(lesson.id) --seen` shows them again; `tutor solution \(lesson.id)` once the lesson passes.")
            return
        }
        show(next.index)
        saveProgress(project, .hintsShown(lesson: lesson.id, count: next.seenAfter))
        if next.seenAfter < hints.hints.count {
            print(style.dim("(\(hints.hints.count - next.seenAfter) more: run `tutor hint \(lesson.id)` again when you need the next one, "
                            + "or `tutor hint \(lesson.id) --list` to pick one by topic.)"))
        }
    }
}
