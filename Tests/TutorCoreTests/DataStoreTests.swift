import XCTest
@testable import TutorCore
import TutorTestSupport

/// The data command's store against small real files: a mirror folder, gzip, every failure named.
final class DataStoreTests: XCTestCase {
    /// A two-file data set whose files are made here: one plain, one gzip.
    func makeDataSet(in directory: URL) throws -> (DataSet, mirror: URL) {
        let mirror = directory.appendingPathComponent("mirror/tiny")
        try FileManager.default.createDirectory(at: mirror, withIntermediateDirectories: true)
        let plain = Data("hello, data\n".utf8)
        try plain.write(to: mirror.appendingPathComponent("notes.txt"))
        let payload = Data((0..<5000).map { UInt8($0 % 251) })
        try payload.write(to: mirror.appendingPathComponent("numbers.bin"))
        let gzip = try ChildProcess.run(Command("gzip", ["-n", mirror.appendingPathComponent("numbers.bin").path]))
        XCTAssertEqual(gzip.termination, .exited(0))
        let gz = mirror.appendingPathComponent("numbers.bin.gz")
        let set = DataSet(name: "tiny", title: "Tiny", files: [
            DataFile(name: "notes.txt", bytes: plain.count, sha256: try Digests.sha256(of: mirror.appendingPathComponent("notes.txt")),
                     urls: ["http://127.0.0.1:9/notes.txt"]),
            DataFile(name: "numbers.bin.gz", bytes: Int(DataStore.size(of: gz)), sha256: try Digests.sha256(of: gz),
                     urls: ["http://127.0.0.1:9/numbers.bin.gz"], decompressedName: "numbers.bin", decompressedBytes: payload.count),
        ], credit: "tests")
        return (set, directory.appendingPathComponent("mirror"))
    }

    func testFetchFromAMirrorVerifiesAndDecompresses() throws {
        let directory = try temporaryDirectory(self)
        let (set, mirror) = try makeDataSet(in: directory)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        var events: [DataStore.FileEvent] = []

        try store.fetch(set, mirror: mirror) { events.append($0) }

        XCTAssertEqual(events.count, 3)
        XCTAssertEqual(events.last, .decompressed("numbers.bin"))
        let numbers = try Data(contentsOf: store.folder(set).appendingPathComponent("numbers.bin"))
        XCTAssertEqual(numbers.count, 5000)
        XCTAssertEqual(numbers[300], UInt8(300 % 251))
        XCTAssertEqual(try store.verify(set).count, 2)
        // A second fetch finds everything in place.
        var again: [DataStore.FileEvent] = []
        try store.fetch(set, mirror: mirror) { again.append($0) }
        XCTAssertEqual(again, [.alreadyThere("notes.txt"), .alreadyThere("numbers.bin.gz")])
    }

    func testTruncatedAndCorruptFilesAreRejectedAndNotKept() throws {
        let directory = try temporaryDirectory(self)
        let (set, mirror) = try makeDataSet(in: directory)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        let notes = mirror.appendingPathComponent("tiny/notes.txt")

        try Data("hello".utf8).write(to: notes)   // truncated
        XCTAssertThrowsError(try store.fetch(set, mirror: mirror)) { error in
            XCTAssertEqual(error as? DataFetchError, .wrongSize(file: "notes.txt", expected: 12, found: 5))
            XCTAssertTrue(error.localizedDescription.contains("cut off"), error.localizedDescription)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.folder(set).appendingPathComponent("notes.txt").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.folder(set).path), [], "no partial file left")

        try Data("hello, DATA\n".utf8).write(to: notes)   // same size, other bytes
        XCTAssertThrowsError(try store.fetch(set, mirror: mirror)) { error in
            guard case .wrongChecksum(let file, _, _)? = error as? DataFetchError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "notes.txt")
            XCTAssertTrue(error.localizedDescription.contains("damaged or not the official file"))
        }
    }

    func testMissingMirrorFileSaysWhereItLooked() throws {
        let directory = try temporaryDirectory(self)
        let (set, mirror) = try makeDataSet(in: directory)
        try FileManager.default.removeItem(at: mirror.appendingPathComponent("tiny/notes.txt"))
        XCTAssertThrowsError(try DataStore(directory: directory.appendingPathComponent("cache")).fetch(set, mirror: mirror)) { error in
            XCTAssertTrue(error.localizedDescription.contains("not in the mirror folder"), error.localizedDescription)
            XCTAssertTrue(error.localizedDescription.contains("mirror/tiny/notes.txt"), error.localizedDescription)
        }
    }

    func testAFailedDownloadExplainsAndLeavesNothing() throws {
        guard ChildProcess.which("curl") != nil else { throw XCTSkip("curl is not installed") }
        let directory = try temporaryDirectory(self)
        let (set, _) = try makeDataSet(in: directory)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        XCTAssertThrowsError(try store.fetch(set)) { error in
            guard case .downloadFailed(let file, let reasons)? = error as? DataFetchError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "notes.txt")
            XCTAssertEqual(reasons.count, 1)
            XCTAssertTrue(error.localizedDescription.contains("--mirror"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.folder(set).path), [])
    }

    func testVerifyNamesTheMissingFile() throws {
        let directory = try temporaryDirectory(self)
        let (set, _) = try makeDataSet(in: directory)
        XCTAssertThrowsError(try DataStore(directory: directory).verify(set)) { error in
            XCTAssertEqual(error.localizedDescription, "notes.txt is missing: run `swift run tutor data fetch tiny`.")
        }
    }

    /// The catalogue's checksums against the real files, where the shared mirror is present.
    func testCatalogueMatchesTheRealMNISTAndShakespeare() throws {
        let mirror = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        guard FileManager.default.fileExists(atPath: mirror.appendingPathComponent("mnist").path) else {
            throw XCTSkip("no ../shared/data mirror on this machine")
        }
        let store = DataStore(directory: try temporaryDirectory(self))
        try store.fetch(DataCatalog.mnist, mirror: mirror)
        try store.fetch(DataCatalog.shakespeare, mirror: mirror)
        XCTAssertEqual(try store.verify(DataCatalog.mnist).count, 4)
        let header = try Data(contentsOf: store.folder(DataCatalog.mnist).appendingPathComponent("train-images-idx3-ubyte")).prefix(16)
        XCTAssertEqual(Array(header), [0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28])
    }
}
