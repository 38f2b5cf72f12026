import TutorCore

/// Boxes over a screen: help, a hint, the reference solution, a yes/no question.
enum OverlayUpdate {
    static func handleKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let overlay = state.overlay else { return [] }
        switch overlay {
        case .help(var scroll):
            switch key {
            case .escape, .backspace, .enter, .character("?"): state.overlay = nil
            case .character("q"): return Update.quit(&state)
            default:
                let box = OverlayView.box(state.size)
                guard let delta = Update.scrollDelta(key, page: box.height - 3) else { break }
                Update.scroll(&scroll, by: delta, maximum: HelpView.lines(width: box.width - 5).count - (box.height - 3))
                state.overlay = .help(scroll: scroll)
            }
            return []

        case .confirm(let question):
            switch key {
            case .character("y"), .character("Y"):
                state.overlay = nil
                switch question {
                case .reset(let lesson, _):
                    return state.lesson(lesson).map { [.reset($0)] } ?? []
                case .solution(let lesson):
                    return state.lesson(lesson).map { [.loadSolution($0)] } ?? []
                }
            case .character("n"), .character("N"), .escape, .backspace:
                state.overlay = nil
                Update.say("Nothing changed.", .normal, &state)
            case .character("q"):
                return Update.quit(&state)
            default:
                break
            }
            return []

        case .hint(var hint):
            guard let lesson = state.lesson(hint.lesson) else { return [] }
            let hints = state.lessons[hint.lesson]?.hints?.hints ?? []
            switch key {
            case .escape, .backspace, .enter:
                state.overlay = nil
                return []
            case .character("q"):
                return Update.quit(&state)
            case .character("h"), .character("n"), .right, .character("l"):
                guard hint.index + 1 < hints.count else { return [] }
                hint.index += 1
                hint.scroll = 0
                hint.reason = .nextInOrder
                state.overlay = .hint(hint)
                return recordSeen(hint.index, of: lesson, &state)
            case .character("p"), .left:
                guard hint.index > 0 else { return [] }
                hint.index -= 1
                hint.scroll = 0
                hint.reason = .nextInOrder
                state.overlay = .hint(hint)
                return []
            default:
                let box = OverlayView.box(state.size)
                if let delta = Update.scrollDelta(key, page: box.height - 4) {
                    let count = OverlayView.hintLines(hint, state: state, width: box.width - 5).count
                    Update.scroll(&hint.scroll, by: delta, maximum: count - (box.height - 4))
                    state.overlay = .hint(hint)
                }
                return []
            }

        case .solution(var solution):
            switch key {
            case .escape, .backspace, .enter:
                state.overlay = nil
            case .character("q"):
                return Update.quit(&state)
            case .tab, .right, .character("l"):
                solution.file = (solution.file + 1) % max(1, solution.files.count)
                solution.scroll = 0
                state.overlay = .solution(solution)
            case .backTab, .left, .character("h"):
                solution.file = (solution.file + solution.files.count - 1) % max(1, solution.files.count)
                solution.scroll = 0
                state.overlay = .solution(solution)
            default:
                let box = OverlayView.box(state.size)
                if let delta = Update.scrollDelta(key, page: box.height - 4), solution.files.indices.contains(solution.file) {
                    let count = OverlayView.solutionLines(solution.files[solution.file].text, width: box.width - 5).count
                    Update.scroll(&solution.scroll, by: delta, maximum: count - (box.height - 4))
                    state.overlay = .solution(solution)
                }
            }
            return []
        }
    }

    /// `h` in a lesson: the hint `Hints.pick` chooses from the learner's progress — about the
    /// compiler error or the first failing test of the latest run, else the next not seen.
    static func showNextHint(_ lesson: Course.Lesson, _ state: inout AppState) -> [Effect] {
        guard let page = state.lessons[lesson.number], let hints = page.hints else {
            Update.say("Lesson \(lesson.id) has no hints file.", .normal, &state)
            return []
        }
        guard let pick = hints.pick(for: state.progress.lesson(lesson.id), declaredTests: page.testNames) else {
            Update.say("Lesson \(lesson.id) has no hints.", .normal, &state)
            return []
        }
        state.overlay = .hint(HintOverlay(lesson: lesson.number, index: pick.index, reason: pick.reason))
        return recordSeen(pick.index, of: lesson, &state)
    }

    private static func recordSeen(_ index: Int, of lesson: Course.Lesson, _ state: inout AppState) -> [Effect] {
        state.progress.lesson(lesson.id).seenHintIndices.contains(index)
            ? [] : Update.record(.hintShown(lesson: lesson.id, index: index), &state)
    }
}
