import ArgumentParser
import Foundation
import TutorCore

struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint", abstract: "Show a hint for a lesson: about the test that fails first (the tutor remembers which you have seen).",
        discussion: """
            With your latest `tutor test` in mind, a hint opens about the compiler error it \
            stopped at, or else about the first test that fails; if neither has one, the next hint \
            in the lesson's order. `tutor hint 05 --list` shows every hint's topic; \
            `tutor hint 05 loss` (words of a topic) or `tutor hint 05 7` (its number) shows that hint.
            """)

    @OptionGroup var lessonArgument: LessonArgument

    @Argument(help: "A hint's number, or words of its topic (see --list), to show that hint.")
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
        let entry = loadProgress(project).lesson(lesson.id)
        let seenHints = entry.seenHintIndices
        if reset {
            saveProgress(project, .hintsReset(lesson: lesson.id))
            print("Hints of lesson \(lesson.id) start over: none counts as seen.")
            return
        }
        let style = Style.forStandardOutput()
        func show(_ index: Int, because reason: Hints.Reason = .nextInOrder) {
            var text = style.bold(hints.heading(index))
            if let because = Hints.because(reason) { text += "\n" + style.dim(because) }
            print(text + "\n\n" + hints.hints[index].body + "\n")
        }
        if list {
            for (index, hint) in hints.hints.enumerated() {
                let mark = seenHints.contains(index) ? "seen" : "    "
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
            if !seenHints.contains(index) { saveProgress(project, .hintShown(lesson: lesson.id, index: index)) }
            return
        }
        if seen {
            guard !seenHints.isEmpty else { print("You have not seen any hint of lesson \(lesson.id) yet."); return }
            for index in seenHints.sorted() { show(index) }
            return
        }
        guard let pick = hints.pick(for: entry, declaredTests: project.testNames(of: lesson)) else { return }
        if pick.allSeen, pick.reason == .nextInOrder {
            print("You have seen all \(hints.hints.count) hints of lesson \(lesson.id). "
                  + "`tutor hint \(lesson.id) --seen` shows them again; `tutor solution \(lesson.id)` once the lesson passes.")
            return
        }
        show(pick.index, because: pick.reason)
        if !seenHints.contains(pick.index) { saveProgress(project, .hintShown(lesson: lesson.id, index: pick.index)) }
        let left = hints.hints.count - seenHints.union([pick.index]).count
        if pick.allSeen {
            print(style.dim("(You have seen every hint about this before. `tutor hint \(lesson.id) --list` lists the others.)"))
        } else if left > 0 {
            print(style.dim("(\(left) more: run `tutor hint \(lesson.id)` again when you need the next one, "
                            + "or `tutor hint \(lesson.id) --list` to pick one by topic.)"))
        }
    }
}
