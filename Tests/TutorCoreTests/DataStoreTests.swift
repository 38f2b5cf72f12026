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
        let payloadSHA = try Digests.sha256(of: mirror.appendingPathComponent("numbers.bin"))
        let gzip = try ChildProcess.run(Command("gzip", ["-n", mirror.appendingPathComponent("numbers.bin").path]))
        XCTAssertEqual(gzip.termination, .exited(0))
        let gz = mirror.appendingPathComponent("numbers.bin.gz")
        let set = DataSet(name: "tiny", title: "Tiny", files: [
            DataFile(name: "notes.txt", bytes: plain.count, sha256: try Digests.sha256(of: mirror.appendingPathComponent("notes.txt")),
                     urls: ["http://127.0.0.1:9/notes.txt"]),
            DataFile(name: "numbers.bin.gz", bytes: Int(DataStore.size(of: gz)), sha256: try Digests.sha256(of: gz),
                     urls: ["http://127.0.0.1:9/numbers.bin.gz"],
                     decompressed: ExpectedFile(name: "numbers.bin", bytes: payload.count, sha256: payloadSHA)),
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
        XCTAssertEqual(try store.verify(set).files.map(\.name), ["notes.txt", "numbers.bin.gz", "numbers.bin"])
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
            XCTAssertEqual(error as? DataFetchError, .rejected(file: "notes.txt", problem: .size(expected: 12, found: 5)))
            XCTAssertTrue(error.localizedDescription.contains("cut off"), error.localizedDescription)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.folder(set).appendingPathComponent("notes.txt").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.folder(set).path), [], "no partial file left")

        try Data("hello, DATA\n".utf8).write(to: notes)   // same size, other bytes
        XCTAssertThrowsError(try store.fetch(set, mirror: mirror)) { error in
            guard case .rejected(let file, .checksum)? = error as? DataFetchError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "notes.txt")
            XCTAssertTrue(error.localizedDescription.contains("damaged or not the official file"))
        }
    }

    func testVerifyFindsASameSizeDamagedFileAndFetchDecompressesItAgain() throws {
        let directory = try temporaryDirectory(self)
        let (set, mirror) = try makeDataSet(in: directory)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        try store.fetch(set, mirror: mirror)
        let numbers = store.folder(set).appendingPathComponent("numbers.bin")
        var bytes = try Data(contentsOf: numbers)
        bytes[0] ^= 0xFF   // a damaged header, the same size
        try bytes.write(to: numbers)

        XCTAssertThrowsError(try store.verify(set)) { error in
            guard case .damaged(let file, let folder, let dataSet, .checksum)? = error as? DataFetchError else {
                return XCTFail("expected .damaged with a checksum problem, got \(error)")
            }
            XCTAssertEqual([file, folder, dataSet], ["numbers.bin", store.folder(set).path, "tiny"])
            XCTAssertTrue(error.localizedDescription.contains("right size but its SHA-256"), error.localizedDescription)
            XCTAssertTrue(error.localizedDescription.contains("Run `swift run tutor data fetch tiny` to replace it."),
                          error.localizedDescription)
        }
        var events: [DataStore.FileEvent] = []
        try store.fetch(set, mirror: mirror) { events.append($0) }
        XCTAssertEqual(events, [.alreadyThere("notes.txt"), .alreadyThere("numbers.bin.gz"), .decompressed("numbers.bin")],
                       "the damaged file is decompressed again from the verified gzip file")
        XCTAssertEqual(try Data(contentsOf: numbers)[0], 0)
        XCTAssertEqual(try store.verify(set).files.count, 3)
    }

    func testVerifySaysADamagedFileIsStillInTheCache() throws {
        let directory = try temporaryDirectory(self)
        let (set, mirror) = try makeDataSet(in: directory)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        try store.fetch(set, mirror: mirror)
        let notes = store.folder(set).appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: notes)

        XCTAssertThrowsError(try store.verify(set)) { error in
            XCTAssertEqual(error as? DataFetchError, .damaged(file: "notes.txt", folder: store.folder(set).path, dataSet: "tiny",
                                                              problem: .size(expected: 12, found: 5)))
            XCTAssertEqual(error.localizedDescription,
                           "notes.txt in \(store.folder(set).path) has 5 bytes, expected 12: it was damaged or changed after "
                           + "it was fetched. Run `swift run tutor data fetch tiny` to replace it.")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: notes.path), "verify leaves the file where it is")
    }

    func testAGzipBombIsCutOffAtTheOfficialSize() throws {
        // 100 gzip members of 10 MB of zeros each, one after another: 1 MB that decompresses to
        // 1 GB. Its SHA-256 is in the catalogue here, so only the decompressed size can stop it.
        let directory = try temporaryDirectory(self)
        let mirror = directory.appendingPathComponent("mirror")
        try FileManager.default.createDirectory(at: mirror, withIntermediateDirectories: true)
        let zeros = mirror.appendingPathComponent("zeros")
        try Data(count: 10_000_000).write(to: zeros)
        XCTAssertEqual(try ChildProcess.run(Command("gzip", ["-n", zeros.path])).termination, .exited(0))
        let member = try Data(contentsOf: mirror.appendingPathComponent("zeros.gz"))
        let bomb = mirror.appendingPathComponent("bomb.bin.gz")
        try Data((0..<100).flatMap { _ in member }).write(to: bomb)
        let set = DataSet(name: "bomb", title: "Bomb", files: [
            DataFile(name: "bomb.bin.gz", bytes: DataStore.size(of: bomb), sha256: try Digests.sha256(of: bomb),
                     urls: ["http://127.0.0.1:9/bomb.bin.gz"],
                     decompressed: ExpectedFile(name: "bomb.bin", bytes: 5000, sha256: String(repeating: "0", count: 64))),
        ], credit: "tests")
        let store = DataStore(directory: directory.appendingPathComponent("cache"))

        XCTAssertThrowsError(try store.fetch(set, mirror: mirror)) { error in
            XCTAssertEqual(error as? DataFetchError, .rejected(file: "bomb.bin", problem: .larger(than: 5000)))
            XCTAssertTrue(error.localizedDescription.contains("more than 5,000 bytes"), error.localizedDescription)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.folder(set).path), ["bomb.bin.gz"],
                       "nothing decompressed is kept; the verified download is")
    }

    func testFetchAndVerifySayWhichFilesTheyCheck() {
        XCTAssertEqual(DataCatalog.mnist.checkedFiles, "8 files (4 as downloaded, 4 decompressed)")
        XCTAssertEqual(DataCatalog.shakespeare.checkedFiles, "1 file")
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
        XCTAssertEqual(try store.verify(DataCatalog.mnist).files.count, 8, "4 files as downloaded, 4 decompressed")
        let header = try Data(contentsOf: store.folder(DataCatalog.mnist).appendingPathComponent("train-images-idx3-ubyte")).prefix(16)
        XCTAssertEqual(Array(header), [0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28])
    }
}
