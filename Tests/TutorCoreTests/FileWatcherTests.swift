import Foundation
import XCTest
@testable import TutorCore
import TutorTestSupport

/// The watcher with real files, saved the ways editors save them.
final class FileWatcherTests: XCTestCase {
    /// Records the watcher's reports.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var batches: [[String]] = []
        func add(_ names: [String]) { lock.withLock { batches.append(names) } }
        var all: [[String]] { lock.withLock { batches } }

        /// Waits until a report arrives (or `timeout` passes); returns the reports so far.
        func wait(timeout: Double = 3) -> [[String]] {
            let deadline = Date().addingTimeInterval(timeout)
            while all.isEmpty && Date() < deadline { usleep(10_000) }
            return all
        }
    }

    func watch(_ directory: URL, polling: Bool = false) -> (FileWatcher, Reports) {
        let reports = Reports()
        let watcher = FileWatcher(directories: [directory]) { reports.add($0) }
        let mode = watcher.start(forcePolling: polling ? "asked for in a test" : nil)
        #if os(Linux)
        XCTAssertEqual(mode, polling ? .polling(reason: "asked for in a test") : .inotify)
        #endif
        addTeardownBlock { watcher.stop() }
        return (watcher, reports)
    }

    func folder() throws -> URL {
        let directory = try temporaryDirectory(self)
        try "struct A {}\n".write(to: directory.appendingPathComponent("Tensor.swift"), atomically: false, encoding: .utf8)
        return directory
    }

    /// Editors like VS Code and nano write the file in place.
    func testSavingInPlaceIsSeen() throws {
        for polling in [false, true] {
            let directory = try folder()
            let (_, reports) = watch(directory, polling: polling)
            let handle = try FileHandle(forWritingTo: directory.appendingPathComponent("Tensor.swift"))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data("struct A { var x = 1 }\n".utf8))
            try handle.close()
            XCTAssertEqual(reports.wait(), [["Tensor.swift"]], polling ? "polling" : "inotify")
        }
    }

    /// vim (backupcopy=no) and many IDEs write a new file and rename it over the old one; vim
    /// also moves the old one to a backup first and deletes it after. One save, one report.
    func testSavingByRenameIsSeenOnce() throws {
        for polling in [false, true] {
            let directory = try folder()
            let (_, reports) = watch(directory, polling: polling)
            let file = directory.appendingPathComponent("Tensor.swift")
            let backup = directory.appendingPathComponent("Tensor.swift~")
            let manager = FileManager.default
            try manager.moveItem(at: file, to: backup)
            try "struct A { var y = 2 }\n".write(to: directory.appendingPathComponent("4913"), atomically: false, encoding: .utf8)
            try manager.removeItem(at: directory.appendingPathComponent("4913"))
            try "struct A { var y = 2 }\n".write(to: directory.appendingPathComponent(".Tensor.swift.swp"), atomically: false, encoding: .utf8)
            try "struct A { var y = 2 }\n".write(to: file, atomically: false, encoding: .utf8)
            try manager.removeItem(at: backup)
            XCTAssertEqual(reports.wait(), [["Tensor.swift"]], polling ? "polling" : "inotify")
            // Atomic writes (temporary file + rename), as Foundation and JetBrains IDEs do.
            usleep(300_000)
            try "struct A { var z = 3 }\n".write(to: file, atomically: true, encoding: .utf8)
            let deadline = Date().addingTimeInterval(3)
            while reports.all.count < 2 && Date() < deadline { usleep(10_000) }
            XCTAssertEqual(reports.all.last, ["Tensor.swift"], polling ? "polling" : "inotify")
        }
    }

    func testEditorTemporariesAndOtherFilesAreIgnored() throws {
        let directory = try folder()
        let (_, reports) = watch(directory)
        for name in ["Tensor.swift~", ".Tensor.swift.swp", "#Tensor.swift#", ".#Tensor.swift", "notes.txt"] {
            try "x".write(to: directory.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        XCTAssertEqual(reports.wait(timeout: 0.6), [])
    }

    /// A save that is over (closed after writing, or renamed into place) is reported after the
    /// short settle, not the whole debounce: the learner is waiting for the verdict. A file still
    /// being written (no close yet) waits for the debounce.
    func testACompleteSaveIsReportedWithoutTheDebounce() throws {
        #if os(Linux)
        let directory = try folder()
        let reports = Reports()
        let watcher = FileWatcher(directories: [directory], debounce: 1.0, settle: 0.04) { reports.add($0) }
        XCTAssertEqual(watcher.start(), .inotify)
        defer { watcher.stop() }
        usleep(50_000)
        let saved = Date()
        try "struct A { let v = 1 }\n".write(to: directory.appendingPathComponent("Tensor.swift"), atomically: false, encoding: .utf8)
        XCTAssertEqual(reports.wait(timeout: 0.5), [["Tensor.swift"]])
        XCTAssertLessThan(Date().timeIntervalSince(saved), 0.5, "well before the 1 s debounce")

        // Still open for writing: only the debounce reports it.
        let open = try FileHandle(forWritingTo: directory.appendingPathComponent("Tensor.swift"))
        open.write(Data("// more\n".utf8))
        usleep(400_000)
        XCTAssertEqual(reports.all.count, 1, "no report while the file is open: \(reports.all)")
        try open.close()
        usleep(300_000)
        XCTAssertEqual(reports.all.count, 2, "\(reports.all)")
        #endif
    }

    func testABurstOfSavesIsOneReport() throws {
        let directory = try folder()
        let (_, reports) = watch(directory)
        for index in 0..<5 {
            try "struct A { let v = \(index) }\n".write(to: directory.appendingPathComponent("Tensor.swift"), atomically: false, encoding: .utf8)
            try "// \(index)\n".write(to: directory.appendingPathComponent("Matmul.swift"), atomically: false, encoding: .utf8)
            usleep(20_000)
        }
        usleep(400_000)
        XCTAssertEqual(reports.all.count, 1, "\(reports.all)")
        XCTAssertEqual(Set(reports.all.first ?? []), ["Tensor.swift", "Matmul.swift"])
    }

    func testNothingIsReportedAfterStop() throws {
        let directory = try folder()
        let (watcher, reports) = watch(directory)
        watcher.stop()
        usleep(200_000)
        try "changed".write(to: directory.appendingPathComponent("Tensor.swift"), atomically: false, encoding: .utf8)
        XCTAssertEqual(reports.wait(timeout: 0.5), [])
    }

    #if os(Linux)
    func testNetworkAndWindowsMountsArePolled() {
        XCTAssertNil(NativeWatch.unreliableFileSystem(FileManager.default.temporaryDirectory.path))
        XCTAssertNotNil(NativeWatch.fileSystemType(of: "/"))
    }

    /// When inotify cannot watch (here: a folder that does not exist), polling takes over by itself.
    func testPollingIsChosenWhenInotifyFails() throws {
        let missing = try temporaryDirectory(self).appendingPathComponent("gone")
        let watcher = FileWatcher(directories: [missing]) { _ in }
        guard case .polling(let reason) = watcher.start() else { return XCTFail("expected polling") }
        watcher.stop()
        XCTAssertTrue(reason.contains("cannot watch gone with inotify"), reason)
    }
    #endif
}
