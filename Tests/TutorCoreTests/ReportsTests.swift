import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import TutorCore

final class ReportsTests: XCTestCase {
    func report(_ statuses: [TestStatus], problem: String? = nil, tampered: Bool = false, strict: Bool = false) -> GradeReport {
        let results = statuses.enumerated().map {
            TestResult(lesson: "01", testClass: "TensorTests", name: "test_\($0.offset)", status: $0.element,
                       message: $0.element == .passed ? "" : "went <wrong> & \"badly\"\nsecond line", seconds: 0.01)
        }
        return GradeReport(course: "TinyTorch for Swift", date: Date(timeIntervalSince1970: 0),
                           lessons: [LessonReport(lesson: "01", title: "Tensor", results: results, problem: problem)],
                           tampered: tampered ? [.init(path: "Tests/LessonTests/01-tensor/TensorTests.swift", problem: "modified")] : [],
                           strict: strict)
    }

    func testExitCodes() {
        XCTAssertEqual(report([.passed, .passed]).exitCode, 0)
        XCTAssertEqual(report([.passed, .failed]).exitCode, 1)
        XCTAssertEqual(report([.crashed]).exitCode, 1)
        XCTAssertEqual(report([]).exitCode, 1, "zero tests is never a pass")
        XCTAssertEqual(report([.passed], problem: "no swift").exitCode, 2)
        XCTAssertEqual(report([.passed], tampered: true).exitCode, 0, "tampering is reported, not failed, without --strict")
        XCTAssertEqual(report([.passed], tampered: true, strict: true).exitCode, 1)
        XCTAssertEqual(GradeReport(course: "c", date: Date(), lessons: [], tampered: [], strict: false).exitCode, 2)
        var unchecked = report([.passed])
        unchecked.integrityProblem = "could not check the test files: no sha256sum"
        XCTAssertEqual(unchecked.exitCode, 2, "course files that could not be checked are not a pass")
        XCTAssertEqual(unchecked.courseFilesTotals, GradeReport.Totals(tests: 1, errors: 1))
    }

    func testJUnitIsWellFormedAndCountsRight() throws {
        let xml = Reports.junit(report([.passed, .failed, .crashed, .timedOut], tampered: true, strict: true))
        let parser = XMLParser(data: Data(xml.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")\n\(xml)")
        XCTAssertEqual(counter.counts["testcase"], 5)
        XCTAssertEqual(counter.counts["failure"], 2)
        XCTAssertEqual(counter.counts["error"], 2)
        XCTAssertTrue(xml.contains(#"<testsuites name="TinyTorch for Swift" tests="5" failures="2" errors="2" skipped="0">"#), xml)
        try assertRootIsTheSumOfItsSuites(xml)
        XCTAssertTrue(xml.contains("went &lt;wrong&gt; &amp; &quot;badly&quot;"))
    }

    /// The totals count every check the report holds — the lessons' tests, a lesson that could not
    /// be graded, and the course-files check — in every format, and the JUnit root is the sum of
    /// its suites.
    func testTotalsCountIntegrityFailures() throws {
        let tampered = report([.passed, .passed], tampered: true, strict: true)
        XCTAssertEqual(tampered.exitCode, 1)

        let xml = Reports.junit(tampered)
        XCTAssertTrue(xml.contains(#"<testsuites name="TinyTorch for Swift" tests="3" failures="1" errors="0" skipped="0">"#), xml)
        try assertRootIsTheSumOfItsSuites(xml)

        let markdown = Reports.markdown(tampered)
        XCTAssertTrue(markdown.contains("❌ the grade fails — 2/3 checks passed: 2/2 lesson tests, and course files were changed."),
                      markdown)

        let json = try JSONSerialization.jsonObject(with: Data(try Reports.json(tampered).utf8)) as? [String: Any]
        let totals = json?["totals"] as? [String: Int]
        XCTAssertEqual(totals, ["tests": 3, "passed": 2, "failures": 1, "errors": 0, "skipped": 0])
    }

    func testTotalsWithoutStrictSkipTheCourseFilesCheckAndCountAProblem() throws {
        let reported = report([.passed, .passed], tampered: true)
        XCTAssertTrue(Reports.junit(reported).contains(#"tests="3" failures="0" errors="0" skipped="1">"#), Reports.junit(reported))
        XCTAssertTrue(Reports.markdown(reported).contains("✅ every graded lesson passes — 2/3 checks passed: 2/2 lesson tests; "
                                                          + "course files were changed (not failing without --strict)."),
                      Reports.markdown(reported))

        let problem = report([], problem: "could not run `swift build`")
        let xml = Reports.junit(problem)
        XCTAssertTrue(xml.contains(#"<testsuites name="TinyTorch for Swift" tests="2" failures="0" errors="1" skipped="0">"#), xml)
        try assertRootIsTheSumOfItsSuites(xml)
        XCTAssertEqual(problem.totals, GradeReport.Totals(tests: 2, passed: 1, failures: 0, errors: 1, skipped: 0))
    }

    /// Every `testsuite`'s counts add up to the root's, and each suite's `tests` is its test cases.
    func assertRootIsTheSumOfItsSuites(_ xml: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let parser = XMLParser(data: Data(xml.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), xml, file: file, line: line)
        for key in ["tests", "failures", "errors", "skipped"] {
            let sum = counter.suites.reduce(0) { $0 + (Int($1[key] ?? "") ?? 0) }
            XCTAssertEqual(Int(counter.root[key] ?? ""), sum, "root \(key) is the sum of the suites'\n\(xml)", file: file, line: line)
        }
        XCTAssertEqual(counter.suites.reduce(0) { $0 + (Int($1["tests"] ?? "") ?? 0) }, counter.counts["testcase"],
                       "each test case is counted once\n\(xml)", file: file, line: line)
    }

    func testMarkdownSummary() {
        let text = Reports.markdown(report([.passed, .failed]))
        XCTAssertTrue(text.contains("❌ the grade fails — 2/3 checks passed: 1/2 lesson tests; course files unchanged."), text)
        XCTAssertTrue(text.contains("| 01 Tensor | 1/2 | fails |"), text)
        XCTAssertTrue(text.contains("- `test_1` failed: went <wrong> & \"badly\""), text)
    }

    /// Every report says which course it was built from: the learner's own copy (not verified),
    /// or a trusted course with its commit.
    func testReportsNameTheCourseGradedAgainst() throws {
        let own = report([.passed])
        XCTAssertTrue(Reports.markdown(own).contains("Graded against the learner's own copy of the course: its tests, manifests, "
                                                     + "Package.swift and course.json are the learner's and were not verified"),
                      Reports.markdown(own))
        XCTAssertTrue(Reports.junit(own).contains(#"<property name="course" value="learner&apos;s copy"/>"#), Reports.junit(own))

        var trusted = report([.passed])
        trusted.origin = CourseOrigin(kind: .git, source: "https://example.org/course.git#v1.0",
                                      commit: "0123456789abcdef0123456789abcdef01234567")
        let markdown = Reports.markdown(trusted)
        XCTAssertTrue(markdown.contains("Graded against the trusted course https://example.org/course.git#v1.0 at commit "
                                        + "0123456789abcdef0123456789abcdef01234567; only the learner's "
                                        + "`Lessons/*/Exercise/*.swift` were taken from their repository."), markdown)
        XCTAssertFalse(markdown.contains("⚠️"), markdown)
        let xml = Reports.junit(trusted)
        XCTAssertTrue(xml.contains(#"<property name="source" value="https://example.org/course.git#v1.0"/>"#), xml)
        XCTAssertTrue(xml.contains(#"<property name="commit" value="0123456789abcdef0123456789abcdef01234567"/>"#), xml)
        let json = try JSONSerialization.jsonObject(with: Data(try Reports.json(trusted).utf8)) as? [String: Any]
        let origin = json?["origin"] as? [String: Any]
        XCTAssertEqual(origin?["kind"] as? String, "git")
        XCTAssertEqual(origin?["commit"] as? String, "0123456789abcdef0123456789abcdef01234567")

        trusted.origin.tutorFromLearnersCopy = true
        XCTAssertTrue(Reports.markdown(trusted).contains("⚠️ This tutor was built from the learner's repository"),
                      Reports.markdown(trusted))
    }

    func testJSONHasPerTestFields() throws {
        let json = try Reports.json(report([.failed]))
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let lessons = object?["lessons"] as? [[String: Any]]
        let result = (lessons?.first?["results"] as? [[String: Any]])?.first
        XCTAssertEqual(result?["lesson"] as? String, "01")
        XCTAssertEqual(result?["name"] as? String, "test_0")
        XCTAssertEqual(result?["status"] as? String, "failed")
        XCTAssertNotNil(result?["seconds"] as? Double)
        XCTAssertNotNil(result?["message"] as? String)
    }
}

private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var root: [String: String] = [:]
    var suites: [[String: String]] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
        if name == "testsuites" { root = attributes }
        if name == "testsuite" { suites.append(attributes) }
    }
}
