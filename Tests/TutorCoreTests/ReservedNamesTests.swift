import XCTest
@testable import TutorCore
import TutorTestSupport

/// Code under test must not declare the names the tests rely on.
final class ReservedNamesTests: XCTestCase {
    func names(_ code: String) -> [String] {
        ReservedNames.findings(in: code, file: "Lessons/01-tensor/Exercise/Zzz.swift").map(\.name)
    }

    func testDeclarationsOfReservedNamesAreFound() {
        XCTAssertEqual(names("public func fatalError(_ m: String = \"\") -> Never { exit(0) }"), ["fatalError"])
        XCTAssertEqual(names("extension Tensor {\n    func precondition(_ c: Bool, _ m: String) {}\n}"), ["precondition"])
        XCTAssertEqual(names("let exit = { (code: Int32) in }"), ["exit"])
        XCTAssertEqual(names("let (fatalError, other) = (f, 1)"), ["fatalError"], "a tuple pattern")
        XCTAssertEqual(names("func f(print: Bool, _ fatalError: (String) -> Never) {}"), ["print", "fatalError"], "parameters")
        XCTAssertEqual(names("func g(\n    exit: Int\n) {}"), ["exit"], "a parameter on its own line")
        XCTAssertEqual(names("func XCTAssertEqual<T>(_ a: T, _ b: T) {}"), ["XCTAssertEqual"], "XCTest's names")
        XCTAssertEqual(names("struct `print` {}"), ["print"], "backticks")
        XCTAssertEqual(names("@_silgen_name(\"swift_x\") func stand() {}"), ["@_silgen_name"])
        let finding = ReservedNames.findings(in: "\n\nfunc abort() {}", file: "Lessons/01-tensor/Exercise/Zzz.swift")
        XCTAssertEqual(finding.map(\.description), ["Lessons/01-tensor/Exercise/Zzz.swift:3 declares `abort`, a name the tests rely on"])
    }

    func testCallsCommentsAndStringsAreNotDeclarations() {
        XCTAssertEqual(names("""
            precondition(a.count == b.count, "func fatalError: sizes differ")
            fatalError("TODO(lesson 01): implement exit()")
            // func exit() {} in a comment
            /* let print = 1 /* nested */ func abort() */
            let text = \"\"\"
                func fatalError() {}
                \"\"\"
            print("a", terminator: "")
            let printed = 1
            func prints(_ value: Int) {}
            """), [])
    }

    /// The course's own code — every exercise stub, solution and provided file — declares none.
    func testTheCoursesOwnCodeDeclaresNone() throws {
        let lessons = repositoryRoot.appendingPathComponent("Lessons")
        var checked = 0
        for folder in try FileManager.default.contentsOfDirectory(atPath: lessons.path) where folder.first?.isNumber == true {
            for part in ["Exercise", "Solution", "Provided"] {
                let directory = lessons.appendingPathComponent("\(folder)/\(part)")
                for file in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where file.hasSuffix(".swift") {
                    let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                    XCTAssertEqual(ReservedNames.findings(in: text, file: "\(folder)/\(part)/\(file)"), [])
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }
}
