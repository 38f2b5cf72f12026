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
            let seen = min(state.progress.lesson(lesson.id).hintsShown, hints.count)
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
                state.overlay = .hint(hint)
                let seenAfter = Hints.seen(afterShowing: hint.index, seen: seen)
                if seenAfter > seen { return Update.record(.hintsShown(lesson: lesson.id, count: seenAfter), &state) }
                return []
            case .character("p"), .left:
                guard hint.index > 0 else { return [] }
                hint.index -= 1
                hint.scroll = 0
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

    /// `h` in a lesson: the next hint not seen yet (remembered in progress), or the last one.
    static func showNextHint(_ lesson: Course.Lesson, _ state: inout AppState) -> [Effect] {
        guard let hints = state.lessons[lesson.number]?.hints else {
            Update.say("Lesson \(lesson.id) has no hints file.", .normal, &state)
            return []
        }
        let seen = state.progress.lesson(lesson.id).hintsShown
        guard let next = hints.next(seen: seen) else {
            Update.say("Lesson \(lesson.id) has no hints.", .normal, &state)
            return []
        }
        state.overlay = .hint(HintOverlay(lesson: lesson.number, index: next.index))
        return next.seenAfter > seen ? Update.record(.hintsShown(lesson: lesson.id, count: next.seenAfter), &state) : []
    }
}
