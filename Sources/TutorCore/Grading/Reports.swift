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
        let failures = report.lessons.reduce(0) { $0 + $1.results.filter { $0.status == .failed }.count }
        let errors = report.lessons.reduce(0) { $0 + $1.results.filter { $0.status != .failed && !$0.status.isPass }.count }
        xml += #"<testsuites name="\#(escape(report.course))" tests="\#(report.testCount)" failures="\#(failures)" errors="\#(errors)">"# + "\n"
        for lesson in report.lessons {
            let lessonFailures = lesson.results.filter { $0.status == .failed }.count
            let lessonErrors = lesson.results.filter { $0.status != .failed && !$0.status.isPass }.count
                + (lesson.problem == nil ? 0 : 1)
            let time = lesson.results.reduce(lesson.buildSeconds) { $0 + $1.seconds }
            xml += #"  <testsuite name="\#(escape("\(lesson.lesson) \(lesson.title)"))" tests="\#(lesson.results.count)" failures="\#(lessonFailures)" errors="\#(lessonErrors)" time="\#(seconds(time))">"# + "\n"
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
        if !report.tampered.isEmpty {
            xml += #"  <testsuite name="integrity" tests="1" failures="\#(report.strict ? 1 : 0)" errors="0">"# + "\n"
            let list = report.tampered.map { "\($0.path): \($0.problem)" }.joined(separator: "\n")
            xml += #"    <testcase classname="integrity" name="test files match the course manifest">"# + "\n"
            if report.strict {
                xml += #"      <failure message="test files were changed" type="tampered">\#(escape(list))</failure>"# + "\n"
            } else {
                xml += "      <system-out>\(escape("tampered (not failing without --strict):\n" + list))</system-out>\n"
            }
            xml += "    </testcase>\n  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    public static func markdown(_ report: GradeReport) -> String {
        var text = "# \(report.course): grade\n\n"
        let verdict = report.exitCode == 0 ? "✅ every graded lesson passes"
            : report.exitCode == 1 ? "❌ some tests fail" : "⚠️ grading could not run"
        text += "\(verdict) — \(report.passedCount)/\(report.testCount) tests passed.\n\n"
        text += "| Lesson | Passed | Result |\n| --- | ---: | --- |\n"
        for lesson in report.lessons {
            let result = lesson.problem != nil ? "could not grade"
                : !lesson.compileErrors.isEmpty ? "does not compile"
                : lesson.allPassed ? "passes" : "fails"
            text += "| \(lesson.lesson) \(lesson.title) | \(lesson.passedCount)/\(lesson.results.count) | \(result) |\n"
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
        if !report.tampered.isEmpty {
            text += "\n## Test files changed\n\n"
            text += report.strict ? "These fail the grade (`--strict`):\n\n" : "Reported only (grade with `--strict` to fail on these):\n\n"
            for file in report.tampered { text += "- `\(file.path)` \(file.problem)\n" }
        }
        for problem in report.problems where report.lessons.isEmpty { text += "\n\(problem)\n" }
        return text
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
