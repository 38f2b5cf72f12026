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
        XCTAssertTrue(xml.contains(#"<testsuites name="TinyTorch for Swift" tests="4" failures="1" errors="2">"#), xml)
        XCTAssertTrue(xml.contains("went &lt;wrong&gt; &amp; &quot;badly&quot;"))
    }

    func testMarkdownSummary() {
        let text = Reports.markdown(report([.passed, .failed]))
        XCTAssertTrue(text.contains("❌ some tests fail — 1/2 tests passed."), text)
        XCTAssertTrue(text.contains("| 01 Tensor | 1/2 | fails |"), text)
        XCTAssertTrue(text.contains("- `test_1` failed: went <wrong> & \"badly\""), text)
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
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
}
