import TutorCore

/// The dashboard: move through lessons and milestones, open one.
enum DashboardUpdate {
    static func handleKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        let items = state.dashboardItems
        guard !items.isEmpty else { return [] }
        switch key {
        case .enter, .right, .character("l"), .character("o"):
            return open(items[min(state.dashboard.selection, items.count - 1)], &state)
        case .character("n"):
            state.dashboard.selection = items.firstIndex(of: state.nextItem) ?? 0
            return []
        case .escape, .backspace:
            return []
        default:
            let page = DashboardView.listHeight(state.size)
            guard let delta = Update.scrollDelta(key, page: page) else { return [] }
            Update.scroll(&state.dashboard.selection, by: delta, maximum: items.count - 1)
            return []
        }
    }

    static func open(_ item: DashboardItem, _ state: inout AppState) -> [Effect] {
        switch item {
        case .lesson(let number): return LessonUpdate.open(number, &state)
        case .milestone(let slug): return MilestoneUpdate.open(slug, &state)
        }
    }
}
