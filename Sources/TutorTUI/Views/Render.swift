import Foundation
import TutorCore

/// Draws the whole app for a size: pure, so tests compare its text with literal screens.
public enum Render {
    public static func render(_ state: AppState, size: Size) -> Screen {
        var screen = Screen(width: size.width, height: size.height)
        if size.isTooSmall {
            TooSmallView.draw(size, on: &screen)
            return screen
        }
        var state = state
        state.size = size
        switch state.route {
        case .dashboard: DashboardView.draw(state, on: &screen)
        case .lesson(let number): LessonView.draw(state, number: number, on: &screen)
        case .milestone(let slug): MilestoneView.draw(state, slug: slug, on: &screen)
        }
        if let overlay = state.overlay { OverlayView.draw(overlay, state: state, on: &screen) }
        return screen
    }
}
