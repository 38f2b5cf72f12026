import Foundation

/// Writes grade reports for CI systems and people: JUnit XML (understood by GitHub Actions,
/// GitLab, Jenkins…), JSON, and a Markdown summary (e.g. for `$GITHUB_STEP_SUMMARY`).
public enum Reports {
    public static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func junit(_ report: GradeReport) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="\#(escape(report.course))" \#(counts(report.totals))>"# + "\n"
        for lesson in report.lessons {
            let time = lesson.results.reduce(lesson.buildSeconds) { $0 + $1.seconds }
            xml += #"  <testsuite name="\#(escape("\(lesson.lesson) \(lesson.title)"))" \#(counts(GradeReport.totals(of: lesson))) time="\#(seconds(time))">"# + "\n"
            if let problem = lesson.problem {
                xml += #"    <testcase classname="lesson\#(lesson.lesson)" name="grading" time="0">"# + "\n"
                xml += #"      <error message="\#(escape(problem))"/>"# + "\n    </testcase>\n"
            }
            for result in lesson.results {
                xml += #"    <testcase classname="LessonTests.\#(escape(result.testClass))" name="\#(escape(result.name))" time="\#(seconds(result.seconds))""#
                switch result.status {
                case .passed:
                    xml += "/>\n"
                case .failed:
                    xml += ">\n" + #"      <failure message="\#(escape(firstLine(result.message)))" type="assertion">\#(escape(result.message))</failure>"# + "\n    </testcase>\n"
                case .crashed, .timedOut, .didNotCompile:
                    let detail = result.status == .didNotCompile
                        ? lesson.compileErrors.map(\.description).joined(separator: "\n") : result.message
                    xml += ">\n" + #"      <error message="\#(escape(firstLine(result.message)))" type="\#(result.status.rawValue)">\#(escape(detail))</error>"# + "\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        // The course-files check, and which course the grade was built from.
        xml += #"  <testsuite name="integrity" \#(counts(report.courseFilesTotals)) time="0">"# + "\n    <properties>\n"
        for (name, value) in originProperties(report.origin) {
            xml += #"      <property name="\#(escape(name))" value="\#(escape(value))"/>"# + "\n"
        }
        xml += "    </properties>\n"
        let check = report.origin.isTrusted ? "course files match the trusted course" : "test files match the course manifest"
        xml += #"    <testcase classname="integrity" name="\#(check)" time="0""#
        let list = escape(report.tampered.map { "\($0.path): \($0.problem)" }.joined(separator: "\n"))
        if let problem = report.integrityProblem {
            xml += ">\n" + #"      <error message="\#(escape(problem))" type="integrity"/>"# + "\n    </testcase>\n"
        } else if report.tampered.isEmpty {
            xml += "/>\n"
        } else if report.strict {
            xml += ">\n" + #"      <failure message="course files were changed" type="tampered">\#(list)</failure>"# + "\n    </testcase>\n"
        } else {
            xml += ">\n" + #"      <skipped message="course files were changed: reported only (grade with --strict to fail on this)"/>"#
                + "\n      <system-out>\(list)</system-out>\n    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    public static func markdown(_ report: GradeReport) -> String {
        var text = "# \(report.course): grade\n\n"
        let verdict = report.exitCode == 0 ? "✅ every graded lesson passes"
            : report.exitCode == 1 ? "❌ the grade fails" : "⚠️ grading could not run"
        let courseFiles = report.integrityProblem != nil ? ", and the course files could not be checked."
            : report.tampered.isEmpty ? "; course files unchanged."
            : report.strict ? ", and course files were changed." : "; course files were changed (not failing without --strict)."
        text += "\(verdict) — \(report.totals.passed)/\(report.totals.tests) checks passed: "
            + "\(report.passedCount)/\(report.testCount) lesson tests\(courseFiles)\n\n"
        text += origin(report.origin) + "\n\n"
        text += "| Lesson | Passed | Result |\n| --- | ---: | --- |\n"
        for lesson in report.lessons {
            let result = lesson.problem != nil ? "could not grade"
                : !lesson.compileErrors.isEmpty ? "does not compile"
                : lesson.allPassed ? "passes" : "fails"
            text += "| \(lesson.lesson) \(lesson.title) | \(lesson.passedCount)/\(lesson.results.count) | \(result) |\n"
        }
        if !report.exerciseNotes.isEmpty {
            text += "\n## The learner's exercises\n\n"
            for note in report.exerciseNotes { text += "- `\(note.path)` \(markdownEscape(note.problem))\n" }
        }
        for lesson in report.lessons {
            let failing = lesson.results.filter { !$0.status.isPass }
            guard lesson.problem != nil || !failing.isEmpty || !lesson.compileErrors.isEmpty else { continue }
            text += "\n## \(lesson.lesson) \(lesson.title)\n\n"
            if let problem = lesson.problem { text += "- could not grade: \(markdownEscape(problem))\n" }
            if !lesson.compileErrors.isEmpty {
                text += "Does not compile:\n\n```\n" + lesson.compileErrors.prefix(10).map(\.description).joined(separator: "\n") + "\n```\n"
            } else {
                for result in failing {
                    text += "- `\(result.name)` \(result.status.rawValue): \(markdownEscape(firstLine(result.message)))\n"
                }
            }
        }
        if let problem = report.integrityProblem {
            text += "\n## Course files\n\nCould not check them: \(markdownEscape(problem))\n"
        } else if !report.tampered.isEmpty {
            text += "\n## Course files changed\n\n"
            text += report.origin.isTrusted
                ? "The learner's copies differ from the trusted course; the trusted course's were used. "
                : "The learner's test files differ from Tests/LessonTests/SHA256SUMS. "
            text += report.strict ? "These fail the grade (`--strict`):\n\n" : "Reported only (grade with `--strict` to fail on these):\n\n"
            for file in report.tampered { text += "- `\(file.path)` \(file.problem)\n" }
        }
        for problem in report.problems where report.lessons.isEmpty { text += "\n\(problem)\n" }
        return text
    }

    /// Which course the grade was built from, in a sentence.
    public static func origin(_ origin: CourseOrigin) -> String {
        guard origin.isTrusted else {
            return "Graded against the learner's own copy of the course: its tests, manifests, Package.swift and "
                + "course.json are the learner's and were not verified (grade with `--trusted-course` to use yours)."
        }
        var text = "Graded against the trusted course \(origin.source ?? "?")"
        if let commit = origin.commit {
            text += origin.kind == .folder ? ", a checkout of commit \(commit)" : " at commit \(commit)"
            if origin.uncommittedChanges { text += " with changes not committed" }
        }
        text += "; only the learner's `Lessons/*/Exercise/*.swift` were taken from their repository."
        if origin.tutorFromLearnersCopy {
            text += "\n\n⚠️ This tutor was built from the learner's repository, whose code the learner controls: build it "
                + "from the trusted course (`swift build --package-path COURSE --product tutor`) and grade with that."
        }
        return text
    }

    static func originProperties(_ origin: CourseOrigin) -> [(String, String)] {
        var properties = [("course", origin.kind.rawValue)]
        if let source = origin.source { properties.append(("source", source)) }
        if let commit = origin.commit { properties.append(("commit", commit)) }
        if origin.uncommittedChanges { properties.append(("uncommitted changes", "true")) }
        if origin.tutorFromLearnersCopy { properties.append(("tutor built from the learner's repository", "true")) }
        return properties
    }

    static func counts(_ totals: GradeReport.Totals) -> String {
        #"tests="\#(totals.tests)" failures="\#(totals.failures)" errors="\#(totals.errors)" skipped="\#(totals.skipped)""#
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { out += "?" }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func markdownEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }
}
