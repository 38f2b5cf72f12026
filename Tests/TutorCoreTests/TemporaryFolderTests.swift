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
        let abandoned = try TemporaryFolder(prefix: prefix)
        let alive = try TemporaryFolder(prefix: prefix)
        let unknown = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-unknown")
        try FileManager.default.createDirectory(at: unknown, withIntermediateDirectories: true)
        addTeardownBlock {
            for folder in [abandoned, alive] { folder.remove() }
            try? FileManager.default.removeItem(at: unknown)
        }
        // No process has this id (Linux and macOS cap them far lower): its tutor is gone.
        try Data("2000000000\n".utf8).write(to: abandoned.url.appendingPathComponent(TemporaryFolder.ownerFile))

        let next = try TemporaryFolder(prefix: prefix)
        defer { next.remove() }

        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned.url.path), "its owner is gone")
        XCTAssertTrue(FileManager.default.fileExists(atPath: alive.url.path), "its owner (this process) runs")
        XCTAssertTrue(FileManager.default.fileExists(atPath: unknown.path), "no owner named: left alone")
    }
}
