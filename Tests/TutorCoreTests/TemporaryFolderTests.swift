import XCTest
@testable import TutorCore
import TutorTestSupport

/// The tutor's temporary folders go when their work is done, when the tutor is stopped, and —
/// after a SIGKILL — when the next tutor makes one of the same kind.
final class TemporaryFolderTests: XCTestCase {
    func testAFolderIsRemovedOnceAndHoldsTheTemporaryFilesOfItsWork() throws {
        let prefix = "tutor-tests-folder-\(UUID().uuidString.prefix(8))"
        let folder = try TemporaryFolder(prefix: prefix)
        let before = ProcessInfo.processInfo.environment["TMPDIR"]
        let inside = try folder.holdingTemporaryFiles { FileManager.default.temporaryDirectory.standardizedFileURL.path }
        XCTAssertTrue(inside.hasPrefix(folder.url.standardizedFileURL.path), inside)
        XCTAssertEqual(ProcessInfo.processInfo.environment["TMPDIR"], before, "TMPDIR is put back")

        TemporaryFolder.removeAll()
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.url.path), "removeAll, as on Ctrl-C")
        folder.remove()
    }

    func testFoldersOfAKilledTutorAreRemovedByTheNextOne() throws {
        let prefix = "tutor-tests-folder-\(UUID().uuidString.prefix(8))"
        let alive = try TemporaryFolder(prefix: prefix)
        XCTAssertTrue(alive.url.lastPathComponent.hasPrefix("\(prefix)-\(getpid())-"), alive.url.lastPathComponent)
        let temporary = FileManager.default.temporaryDirectory
        // No process has this id (Linux and macOS cap them far lower): its tutor is gone.
        let abandoned = temporary.appendingPathComponent("\(prefix)-2000000000-0123abcd")
        let unknown = temporary.appendingPathComponent("\(prefix)-unknown")
        for folder in [abandoned, unknown] {
            try write("left behind\n", to: folder.appendingPathComponent("course/Package.swift"))
        }
        addTeardownBlock {
            alive.remove()
            for folder in [abandoned, unknown] { try? FileManager.default.removeItem(at: folder) }
        }

        let next = try TemporaryFolder(prefix: prefix)
        defer { next.remove() }

        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned.path), "its tutor is gone")
        XCTAssertTrue(FileManager.default.fileExists(atPath: alive.url.path), "its tutor (this process) runs")
        XCTAssertTrue(FileManager.default.fileExists(atPath: unknown.path), "no process named: left alone")
    }
}
