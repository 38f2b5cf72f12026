import Foundation

/// The course at a glance: phases, lessons and milestones with the learner's status (`tutor list`).
public enum CourseListing {
    public struct Document: Codable, Sendable {
        public struct Lesson: Codable, Sendable {
            public var number: Int
            public var id: String
            public var slug: String
            public var title: String
            public var phase: Int
            public var summary: String
            public var status: String
            public var testsPassed: Int?
            public var testsTotal: Int?
            public var exercises: [String]
            /// The lessons it builds on directly.
            public var requires: [Int]
            /// "Vision", "Language": after Phase 2, tracks a learner may take in either order.
            public var track: String?
        }
        public struct Milestone: Codable, Sendable {
            public var slug: String
            public var year: Int
            public var title: String
            public var goal: String
            public var status: String
            public var needs: [Int]
            public var bestResult: String?
        }
        public var course: String
        public var lessons: [Lesson]
        public var milestones: [Milestone]
    }

    public static func document(project: Project, progress: LearnerProgress) -> Document {
        let status = CourseStatus(course: project.course, progress: progress)
        let lessons = project.course.lessons.map { lesson -> Document.Lesson in
            let state = status.state(of: lesson)
            var passed: Int?
            var total: Int?
            switch state {
            case .inProgress(let p, let t): passed = p; total = t
            case .passed: let entry = progress.lesson(lesson.id); passed = entry.passedCount; total = entry.tests.count
            default: break
            }
            let name: String
            switch state {
            case .coming: name = "coming"
            case .notStarted: name = "not started"
            case .inProgress: name = "in progress"
            case .passed: name = "passed"
            }
            return Document.Lesson(number: lesson.number, id: lesson.id, slug: lesson.slug, title: lesson.title,
                                   phase: lesson.phase, summary: lesson.summary, status: name,
                                   testsPassed: passed, testsTotal: total,
                                   exercises: lesson.written ? project.exercisePaths(lesson) : [],
                                   requires: lesson.requires, track: lesson.track)
        }
        let milestones = project.course.milestones.map { milestone -> Document.Milestone in
            let state = status.state(of: milestone)
            var needs: [Int] = []
            var best: String?
            let name: String
            switch state {
            case .coming: name = "coming"
            case .locked(let missing): name = "locked"; needs = missing
            case .ready: name = "ready"
            case .achieved(let result): name = "achieved"; best = result
            }
            return Document.Milestone(slug: milestone.slug, year: milestone.year, title: milestone.title,
                                      goal: milestone.goal, status: name, needs: needs, bestResult: best)
        }
        return Document(course: project.course.title, lessons: lessons, milestones: milestones)
    }

    public static func text(project: Project, progress: LearnerProgress, style: Style) -> String {
        let course = project.course
        let status = CourseStatus(course: course, progress: progress)
        var out = style.bold(course.title) + " — " + status.counts.text + "\n"
        let next = status.nextLesson
        for phase in course.phases {
            out += "\n" + style.bold("Phase \(phase.number): \(phase.title)")
            let trackNames = course.tracks(inPhase: phase.number)
            if trackNames.count > 1 {
                out += " — " + style.dim("\(trackNames.count) tracks, \(trackNames.joined(separator: " and ")): take either first, or both")
            }
            out += "\n"
            var lastTrack: String?
            for lesson in course.lessons where lesson.phase == phase.number {
                if trackNames.count > 1, let track = lesson.track, track != lastTrack {
                    out += "   " + style.bold("\(track) track") + "\n"
                }
                lastTrack = lesson.track
                let state = status.state(of: lesson)
                let marker = lesson.number == next?.number ? style.cyan("→") : " "
                let title = lesson.title.padding(toLength: 14, withPad: " ", startingAt: 0)
                var stateText = state.text
                switch state {
                case .passed: stateText = style.green(stateText)
                case .coming: stateText = style.dim(stateText)
                default: break
                }
                out += " \(marker) \(lesson.id) \(title) \(stateText)\n"
                // Where a lesson does not simply follow the one before it, say what it builds on.
                let buildsOn = lesson.requires == [lesson.number - 1] || lesson.requires.isEmpty
                    ? "" : " Builds on " + lesson.requires.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ", ") + "."
                out += "      " + style.dim(lesson.summary + buildsOn) + "\n"
            }
        }
        out += "\n" + style.bold("Milestones") + "\n"
        for milestone in course.milestones {
            let state = status.state(of: milestone)
            let title = "\(milestone.year) \(milestone.title)".padding(toLength: 32, withPad: " ", startingAt: 0)
            out += "   \(title) \(state == .coming ? style.dim(state.text) : state.text)\n"
            out += "      " + style.dim("\(milestone.summary) Goal: \(milestone.goal).") + "\n"
        }
        if let next {
            let choice = status.trackChoice(startingWith: next)
            if choice.count > 1 {
                out += "\nNext, choose a track (you can take both, in either order): "
                    + choice.map { "\($0.track ?? $0.title), lesson \($0.id) \($0.title) (`swift run tutor test \($0.id)`)" }.joined(separator: "; or ")
                    + ".\n"
            } else {
                out += "\nNext: lesson \(next.id) \(next.title). Read Lessons/\(next.folder)/README.md, then `swift run tutor test \(next.id)`.\n"
            }
        }
        return out
    }
}
