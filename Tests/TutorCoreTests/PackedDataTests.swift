import XCTest
@testable import TutorCore
import TutorTestSupport

/// `tutor data fetch` of a packed data set (CIFAR-10's shape: an archive of record files) against
/// small real archives and folders: a record format of 4 records of 5 bytes stands in for 10,000 of
/// 3,073, so every check runs on a few hundred bytes. The archives are written byte by byte
/// (`TarBuilder`) to make the hostile ones, gzipped by gzip, and put in the test's catalogue with
/// their real SHA-256 — so each reaches the tar reader, as only a hash collision could in real use.
final class PackedDataTests: XCTestCase {
    static let format = RecordFormat(recordSize: 5, recordCount: 4, labels: 0...9)
    static let names = ["a.bin", "b.bin"]

    /// A good file: 4 records, labels 0–3, pixels that differ between files (`seed`).
    func records(seed: UInt8) -> [UInt8] {
        (0..<4).flatMap { record in [UInt8(record)] + (0..<4).map { UInt8(record) &* 16 &+ $0 &+ seed } }
    }

    /// The canonical-looking archive: a folder entry, the two files, a readme and class names.
    func goodTar() -> TarBuilder {
        var tar = TarBuilder()
        tar.add("tiny-batches-bin/", type: "5")
        tar.add("tiny-batches-bin/a.bin", data: records(seed: 1))
        tar.add("tiny-batches-bin/readme.html", data: Array("<p>hello</p>".utf8))
        tar.add("tiny-batches-bin/b.bin", data: records(seed: 2))
        tar.add("tiny-batches-bin/batches.meta.txt", data: Array("cat\ndog\n".utf8))
        tar.end()
        return tar
    }

    /// A data set whose one file is the archive at `archive` (its real size and SHA-256).
    func dataSet(archive: URL, maximumTarSize: Int = 1_000_000,
                 rebuild: PackedFiles.Rebuild? = nil) throws -> DataSet {
        DataSet(name: "tiny", title: "Tiny packed", files: [DataFile(
            name: "tiny.tar.gz", bytes: DataStore.size(of: archive), sha256: try Digests.sha256(of: archive),
            urls: ["http://127.0.0.1:9/tiny.tar.gz"],
            unpacked: PackedFiles(folder: "tiny-batches-bin", names: Self.names, format: Self.format,
                                  maximumTarSize: maximumTarSize, rebuild: rebuild))],
            credit: "tests")
    }

    func contents(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    // MARK: - From an archive

    func testUnpacksOnlyTheFilesAskedForAndRecordsThem() throws {
        let directory = try temporaryDirectory(self)
        let archive = try goodTar().writeGzipped(to: directory.appendingPathComponent("mirror/tiny/tiny.tar"))
        let set = try dataSet(archive: archive)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        var events: [DataStore.FileEvent] = []

        let check = try store.fetch(set, mirror: directory.appendingPathComponent("mirror")) { events.append($0) }

        XCTAssertEqual(events, [.copied("tiny.tar.gz", from: archive.path),
                                .unpacked("a.bin", from: "tiny.tar.gz"), .unpacked("b.bin", from: "tiny.tar.gz")])
        XCTAssertEqual(contents(store.folder(set)), ["a.bin", "b.bin", "fetched.json"],
                       "only the files asked for; no readme, no partial files; the archive removed once unpacked")
        XCTAssertEqual(Array(try Data(contentsOf: store.folder(set).appendingPathComponent("b.bin"))), records(seed: 2))
        XCTAssertEqual(check.kind, .unpacked(archive: "tiny.tar.gz", format: Self.format))
        XCTAssertEqual(check.fetchSummary, "verified the size and published SHA-256 of tiny.tar.gz, then unpacked 2 files "
                       + "from it, each checked: 20 bytes: 4 records of 5 bytes, labels 0–9")
        let verified = try store.verify(set)
        XCTAssertEqual(verified.files.map(\.name), Self.names)
        XCTAssertEqual(verified.verifySummary, "2 files, each as fetched (size, labels and SHA-256), unpacked from "
                       + "tiny.tar.gz after its published SHA-256 was checked")

        var again: [DataStore.FileEvent] = []
        let second = try store.fetch(set, mirror: directory.appendingPathComponent("mirror")) { again.append($0) }
        XCTAssertEqual(again, [.alreadyThere("a.bin"), .alreadyThere("b.bin")], "a second fetch finds them in place")
        XCTAssertTrue(second.fetchSummary.hasPrefix("in place: 2 files, each as fetched"), second.fetchSummary)
    }

    func testTheArchiveIsFoundBesideTheSetsFoldersAndAVerifiedOneInTheCacheIsUsed() throws {
        let directory = try temporaryDirectory(self)
        let archive = try goodTar().writeGzipped(to: directory.appendingPathComponent("mirror/tiny.tar"))
        let set = try dataSet(archive: archive)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        try store.fetch(set, mirror: directory.appendingPathComponent("mirror"))
        XCTAssertEqual(contents(store.folder(set)), ["a.bin", "b.bin", "fetched.json"], "<mirror>/<archive> works too")

        // A fetch stopped after the download was verified leaves the archive: the next one
        // unpacks it without downloading (no mirror, and the URL here answers nothing).
        let other = DataStore(directory: directory.appendingPathComponent("other"))
        try FileManager.default.createDirectory(at: other.folder(set), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: archive, to: other.folder(set).appendingPathComponent("tiny.tar.gz"))
        var events: [DataStore.FileEvent] = []
        try other.fetch(set) { events.append($0) }
        XCTAssertEqual(events.first, .alreadyThere("tiny.tar.gz"))
        XCTAssertEqual(contents(other.folder(set)), ["a.bin", "b.bin", "fetched.json"])
    }

    func testATruncatedOrCorruptArchiveIsRejectedBeforeUnpacking() throws {
        let directory = try temporaryDirectory(self)
        let archive = try goodTar().writeGzipped(to: directory.appendingPathComponent("mirror/tiny/tiny.tar"))
        let set = try dataSet(archive: archive)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        let good = try Data(contentsOf: archive)

        try good.prefix(good.count - 10).write(to: archive)
        XCTAssertThrowsError(try store.fetch(set, mirror: directory.appendingPathComponent("mirror"))) { error in
            XCTAssertEqual(error as? DataFetchError,
                           .rejected(file: "tiny.tar.gz", problem: .size(expected: good.count, found: good.count - 10)))
            XCTAssertTrue(error.localizedDescription.contains("it was cut off"), error.localizedDescription)
        }
        XCTAssertEqual(contents(store.folder(set)), [], "nothing kept")

        var damaged = good
        damaged[damaged.count / 2] ^= 0x55
        try damaged.write(to: archive)
        XCTAssertThrowsError(try store.fetch(set, mirror: directory.appendingPathComponent("mirror"))) { error in
            guard case .rejected("tiny.tar.gz", .checksum)? = error as? DataFetchError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.localizedDescription.contains("SHA-256"), error.localizedDescription)
        }
        XCTAssertEqual(contents(store.folder(set)), [], "nothing kept")
    }

    /// Archives with the right SHA-256 (this test's catalogue) that must still not be unpacked:
    /// each is refused with its problem named, and nothing at all is written — inside the cache
    /// or anywhere else.
    func testHostileArchivesAreRefusedAndWriteNothing() throws {
        let a = records(seed: 1), b = records(seed: 2)
        var badLabel = a
        badLabel[10] = 12  // record 2's label
        func files(_ tar: inout TarBuilder) {
            tar.add("tiny-batches-bin/a.bin", data: a)
            tar.add("tiny-batches-bin/b.bin", data: b)
        }
        // Each archive: a folder entry, then these members, then the end.
        let cases: [(String, (inout TarBuilder) -> Void, ArchiveProblem)] = [
            ("a ../ path", { $0.add("../escaped.bin", data: a); files(&$0) }, .unsafePath("../escaped.bin")),
            ("an absolute path", { files(&$0); $0.add("/tmp/escaped.bin", data: a) }, .unsafePath("/tmp/escaped.bin")),
            ("a .. inside the path", { $0.add("tiny-batches-bin/../a.bin", data: a); files(&$0) },
             .unsafePath("tiny-batches-bin/../a.bin")),
            ("a .. in the ustar prefix", { $0.add("a.bin", data: a, prefix: "tiny-batches-bin/.."); files(&$0) },
             .unsafePath("tiny-batches-bin/../a.bin")),
            ("a symbolic link with a wanted name", { $0.add("tiny-batches-bin/a.bin", type: "2", link: "/etc/passwd"); files(&$0) },
             .forbiddenEntry(name: "tiny-batches-bin/a.bin", kind: "a symbolic link")),
            ("a symbolic link elsewhere", { files(&$0); $0.add("tiny-batches-bin/link", type: "2", link: "../../..") },
             .forbiddenEntry(name: "tiny-batches-bin/link", kind: "a symbolic link")),
            ("a hard link", { files(&$0); $0.add("tiny-batches-bin/hard", type: "1", link: "tiny-batches-bin/a.bin") },
             .forbiddenEntry(name: "tiny-batches-bin/hard", kind: "a hard link")),
            ("a device", { $0.add("tiny-batches-bin/null", type: "3"); files(&$0) },
             .forbiddenEntry(name: "tiny-batches-bin/null", kind: "a character device")),
            ("a folder with a wanted name", { $0.add("tiny-batches-bin/a.bin", type: "5"); files(&$0) },
             .notAFile(name: "tiny-batches-bin/a.bin", kind: "a folder")),
            ("a member twice", { files(&$0); $0.add("tiny-batches-bin/a.bin", data: b) }, .duplicate("tiny-batches-bin/a.bin")),
            ("a member larger than it must be", { $0.add("tiny-batches-bin/a.bin", data: a + a); files(&$0) },
             .memberSize(name: "tiny-batches-bin/a.bin", expected: 20, found: 40)),
            ("a label out of range", { $0.add("tiny-batches-bin/a.bin", data: badLabel); $0.add("tiny-batches-bin/b.bin", data: b) },
             .member("tiny-batches-bin/a.bin", .label(record: 2, value: 12, allowed: 0...9))),
            ("a ../ path in a pax header", {
                $0.add("PaxHeaders/a.bin", type: "x", data: Self.pax(["path": "../../../etc/cron.d/x"]))
                $0.add("innocent.bin", data: a)
                files(&$0)
            }, .unsafePath("../../../etc/cron.d/x")),
            ("a ../ path in a GNU long name", {
                $0.add("././@LongLink", type: "L", data: Array("tiny-batches-bin/../../x\0".utf8))
                $0.add("innocent.bin", data: a)
                files(&$0)
            }, .unsafePath("tiny-batches-bin/../../x")),
            ("a pax size larger than the member", {
                $0.add("PaxHeaders/a.bin", type: "x", data: Self.pax(["size": "40"]))
                files(&$0)
            }, .memberSize(name: "tiny-batches-bin/a.bin", expected: 20, found: 40)),
            ("a malformed pax header", {
                $0.add("PaxHeaders/a.bin", type: "x", data: Array("99 path=x\n".utf8))
                files(&$0)
            }, .badExtendedHeader(offset: 512)),
            ("a global pax header that renames", {
                $0.add("pax_global_header", type: "g", data: Self.pax(["path": "tiny-batches-bin/a.bin"]))
                files(&$0)
            }, .badExtendedHeader(offset: 512)),
            ("a missing member", { $0.add("tiny-batches-bin/a.bin", data: a) }, .missing(["tiny-batches-bin/b.bin"])),
        ]
        for (name, build, expected) in cases {
            let directory = try temporaryDirectory(self)
            var tar = TarBuilder()
            tar.add("tiny-batches-bin/", type: "5")
            build(&tar)
            tar.end()
            let mirror = directory.appendingPathComponent("deep/down/mirror")
            let archive = try tar.writeGzipped(to: mirror.appendingPathComponent("tiny.tar"))
            let set = try dataSet(archive: archive)
            let store = DataStore(directory: directory.appendingPathComponent("deep/down/cache"))

            XCTAssertThrowsError(try store.fetch(set, mirror: mirror), name) { error in
                XCTAssertEqual(error as? DataFetchError, .badArchive(file: "tiny.tar.gz", problem: expected), name)
                XCTAssertTrue(error.localizedDescription.hasPrefix("tiny.tar.gz cannot be unpacked: "), error.localizedDescription)
            }
            XCTAssertEqual(contents(store.folder(set)), [], "\(name): nothing kept, not even the archive")
            XCTAssertEqual(contents(directory.appendingPathComponent("deep/down")), ["cache", "mirror"], "\(name): nothing beside")
            XCTAssertEqual(contents(directory.appendingPathComponent("deep")), ["down"], "\(name): nothing above")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/escaped.bin"))
    }

    /// Extended headers as tar applies them: a pax path and size, a GNU long name, a global
    /// comment (git archive writes one) — and archives written by the system's own `tar` in each
    /// of its formats.
    func testExtendedHeadersAreAppliedAndRealTarArchivesRead() throws {
        var tar = TarBuilder()
        tar.add("pax_global_header", type: "g", data: Self.pax(["comment": "0123abcd"]))
        tar.add("PaxHeaders/a.bin", type: "x", data: Self.pax(["path": "tiny-batches-bin/a.bin", "mtime": "1244000000.5"]))
        tar.add("renamed-by-pax", data: records(seed: 1))
        tar.add("././@LongLink", type: "L", data: Array("tiny-batches-bin/b.bin\0".utf8))
        // Its header says 0 bytes; the pax size before it, 20.
        tar.add("PaxHeaders/b", type: "x", data: Self.pax(["size": "20"]))
        tar.add("truncated-long-na", declaredSize: 0)
        tar.bytes += records(seed: 2) + [UInt8](repeating: 0, count: 512 - 20)
        tar.end()
        let directory = try temporaryDirectory(self)
        let archive = try tar.writeGzipped(to: directory.appendingPathComponent("mirror/tiny.tar"))
        let set = try dataSet(archive: archive)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        try store.fetch(set, mirror: directory.appendingPathComponent("mirror"))
        XCTAssertEqual(Array(try Data(contentsOf: store.folder(set).appendingPathComponent("a.bin"))), records(seed: 1))
        XCTAssertEqual(Array(try Data(contentsOf: store.folder(set).appendingPathComponent("b.bin"))), records(seed: 2))

        guard ChildProcess.which("tar") != nil else { throw XCTSkip("no tar on this machine") }
        let help = try ChildProcess.run(Command("tar", ["--help"], mergeErrorIntoOutput: true)).output
        // GNU tar's formats; bsdtar (macOS) writes its default and pax.
        let formats = help.contains("--format") && help.contains("gnu") ? ["gnu", "ustar", "posix", "v7"] : ["pax"]
        for format in formats {
            let work = try temporaryDirectory(self)
            let folder = work.appendingPathComponent("tiny-batches-bin")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(records(seed: 1)).write(to: folder.appendingPathComponent("a.bin"))
            try Data(records(seed: 2)).write(to: folder.appendingPathComponent("b.bin"))
            try write("<p>readme</p>", to: folder.appendingPathComponent("readme.html"))
            try FileManager.default.createDirectory(at: work.appendingPathComponent("mirror"), withIntermediateDirectories: true)
            let archive = work.appendingPathComponent("mirror/tiny.tar.gz")
            let made = try ChildProcess.run(Command("tar", ["--format=\(format)", "-czf", archive.path, "tiny-batches-bin"],
                                                    workingDirectory: work.path, mergeErrorIntoOutput: true))
            XCTAssertEqual(made.termination, .exited(0), made.output)
            let set = try dataSet(archive: archive)
            let store = DataStore(directory: work.appendingPathComponent("cache"))
            XCTAssertNoThrow(try store.fetch(set, mirror: work.appendingPathComponent("mirror")), "tar --format=\(format)")
            XCTAssertEqual(contents(store.folder(set)), ["a.bin", "b.bin", "fetched.json"], "tar --format=\(format)")
        }
    }

    func testADamagedOrCutTarAndAGzipBombAreNamed() throws {
        let good = goodTar()
        // A header whose checksum does not add up: byte 2 of the second header (a.bin's name).
        var damaged = good.bytes
        damaged[512 + 2] ^= 0x20
        // Cut inside b.bin's data: it says 20 bytes, 7 are there.
        let bOffset = 512 * 5   // after the folder, a.bin and its data, the readme and its data
        let cut = Array(good.bytes.prefix(bOffset + 512 + 7))
        XCTAssertEqual(String(decoding: good.bytes[bOffset..<(bOffset + 22)], as: UTF8.self), "tiny-batches-bin/b.bin")
        for (name, bytes, maximum, expected) in [
            ("damaged header", damaged, 1_000_000, ArchiveProblem.badHeader(offset: 512)),
            ("cut inside a member", cut, 1_000_000, .truncated(member: "tiny-batches-bin/b.bin")),
            ("cut inside a header", Array(good.bytes.prefix(512 + 100)), 1_000_000, .truncated(member: nil)),
            ("more than the limit", good.bytes, 4096, .tooLarge(limit: 4096)),
        ] {
            let directory = try temporaryDirectory(self)
            let mirror = directory.appendingPathComponent("mirror")
            try FileManager.default.createDirectory(at: mirror, withIntermediateDirectories: true)
            let archive = try Self.gzip(bytes, to: mirror.appendingPathComponent("tiny.tar"))
            let set = try dataSet(archive: archive, maximumTarSize: maximum)
            let store = DataStore(directory: directory.appendingPathComponent("cache"))
            XCTAssertThrowsError(try store.fetch(set, mirror: mirror), name) { error in
                XCTAssertEqual(error as? DataFetchError, .badArchive(file: "tiny.tar.gz", problem: expected), name)
            }
            XCTAssertEqual(contents(store.folder(set)), [], "\(name): nothing kept")
        }
    }

    func testAnArchiveThatIsNotGzipSaysSo() throws {
        let directory = try temporaryDirectory(self)
        let archive = directory.appendingPathComponent("mirror/tiny.tar.gz")
        try write("this is not gzip", to: archive)
        let set = try dataSet(archive: archive)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        XCTAssertThrowsError(try store.fetch(set, mirror: directory.appendingPathComponent("mirror"))) { error in
            guard case .decompressionFailed("tiny.tar.gz", let reason)? = error as? DataFetchError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("not in gzip format"), reason)
        }
        XCTAssertEqual(contents(store.folder(set)), [])
    }

    // MARK: - From a folder of the files

    func testAFolderOfTheFilesIsCheckedForStructureAndSaysSo() throws {
        for layout in ["mirror/tiny/tiny-batches-bin", "mirror/tiny", "mirror/tiny-batches-bin", "mirror"] {
            let directory = try temporaryDirectory(self)
            let folder = directory.appendingPathComponent(layout)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(records(seed: 1)).write(to: folder.appendingPathComponent("a.bin"))
            try Data(records(seed: 2)).write(to: folder.appendingPathComponent("b.bin"))
            let set = try dataSet(archive: folder.appendingPathComponent("a.bin"))   // no archive: any SHA-256
            let store = DataStore(directory: directory.appendingPathComponent("cache"))
            var events: [DataStore.FileEvent] = []

            let check = try store.fetch(set, mirror: directory.appendingPathComponent("mirror")) { events.append($0) }

            XCTAssertEqual(events, Self.names.map { .copied($0, from: folder.appendingPathComponent($0).path) }, layout)
            XCTAssertEqual(check.kind, .structure(folder: folder.path, format: Self.format))
            XCTAssertTrue(check.fetchSummary.contains("checked the structure of 2 files"), check.fetchSummary)
            XCTAssertTrue(check.fetchSummary.contains("Not checked: their SHA-256"), check.fetchSummary)
            XCTAssertEqual(contents(store.folder(set)), ["a.bin", "b.bin", "fetched.json"])
            XCTAssertTrue(try store.verify(set).verifySummary.contains("with their structure checked (no published SHA-256"))
        }
    }

    func testAFolderMissingAFileOrWithAWrongFileIsRefused() throws {
        let directory = try temporaryDirectory(self)
        let folder = directory.appendingPathComponent("mirror/tiny")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(records(seed: 1)).write(to: folder.appendingPathComponent("a.bin"))
        let set = try dataSet(archive: folder.appendingPathComponent("a.bin"))
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        let mirror = directory.appendingPathComponent("mirror")

        XCTAssertThrowsError(try store.fetch(set, mirror: mirror)) { error in
            XCTAssertEqual(error as? DataFetchError, .incompleteMirrorFolder(folder: folder.path, missing: ["b.bin"]))
            XCTAssertTrue(error.localizedDescription.contains("lacks b.bin"), error.localizedDescription)
        }
        try Data(records(seed: 2).dropLast()).write(to: folder.appendingPathComponent("b.bin"))
        XCTAssertThrowsError(try store.fetch(set, mirror: mirror)) { error in
            XCTAssertEqual(error as? DataFetchError, .badInMirror(file: "b.bin", folder: folder.path,
                                                                  problem: .size(expected: 20, found: 19), format: Self.format))
            XCTAssertTrue(error.localizedDescription.contains("has 19 bytes, expected 20: each file must be 20 bytes: "
                                                              + "4 records of 5 bytes, labels 0–9"), error.localizedDescription)
        }
        var labels = records(seed: 2)
        labels[15] = 10  // record 3
        try Data(labels).write(to: folder.appendingPathComponent("b.bin"))
        XCTAssertThrowsError(try store.fetch(set, mirror: mirror)) { error in
            XCTAssertEqual(error as? DataFetchError, .badInMirror(file: "b.bin", folder: folder.path,
                                                                  problem: .label(record: 3, value: 10, allowed: 0...9),
                                                                  format: Self.format))
            XCTAssertTrue(error.localizedDescription.contains("has label 10 in record 3"), error.localizedDescription)
        }
        XCTAssertEqual(contents(store.folder(set)), [], "nothing kept, not even a.bin")
    }

    // MARK: - Mirrors without the files

    func testAMirrorOfJPEGsGetsTheCommandThatRebuildsTheFiles() throws {
        let directory = try temporaryDirectory(self)
        let folder = directory.appendingPathComponent("my mirror/tiny")
        try write("xz", to: folder.appendingPathComponent("tiny-jpeg.tar.xz"))
        try write("print()", to: folder.appendingPathComponent("rebuild.py"))
        let set = try dataSet(archive: folder.appendingPathComponent("rebuild.py"),
                              rebuild: PackedFiles.Rebuild(source: "tiny-jpeg.tar.xz", script: "rebuild.py",
                                                           needs: "Python 3"))
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        XCTAssertThrowsError(try store.fetch(set, mirror: directory.appendingPathComponent("my mirror"))) { error in
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-bin").path
            XCTAssertEqual(error as? DataFetchError, .needsRebuild(
                folder: folder.path, source: "tiny-jpeg.tar.xz",
                command: "python3 '\(folder.path)/rebuild.py' \(output)", needs: "Python 3",
                fetch: "swift run tutor data fetch tiny --mirror \(output)"))
            XCTAssertTrue(error.localizedDescription.contains("checks their structure (sizes, records, labels), not a SHA-256"))
        }
    }

    func testAWrongMirrorPathAndAnEmptyMirrorAreNamed() throws {
        let directory = try temporaryDirectory(self)
        let set = try dataSet(archive: try goodTar().writeGzipped(to: directory.appendingPathComponent("elsewhere/tiny.tar")))
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        XCTAssertThrowsError(try store.fetch(set, mirror: directory.appendingPathComponent("no-such-folder"))) { error in
            XCTAssertEqual(error as? DataFetchError, .mirrorNotFound(directory.appendingPathComponent("no-such-folder").path))
            XCTAssertTrue(error.localizedDescription.contains("does not exist"), error.localizedDescription)
        }
        let empty = directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try store.fetch(set, mirror: empty)) { error in
            guard case .packedNotInMirror(let archive, let files, _, let looked)? = error as? DataFetchError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(archive, "tiny.tar.gz")
            XCTAssertEqual(files, Self.names)
            XCTAssertEqual(looked.first, empty.appendingPathComponent("tiny/tiny.tar.gz").path)
            XCTAssertEqual(looked.count, 6, "two places for the archive, four for a folder of the files")
        }
    }

    // MARK: - verify

    func testVerifyFindsDamageAfterTheFetchAndFetchRepairsIt() throws {
        let directory = try temporaryDirectory(self)
        let archive = try goodTar().writeGzipped(to: directory.appendingPathComponent("mirror/tiny.tar"))
        let set = try dataSet(archive: archive)
        let store = DataStore(directory: directory.appendingPathComponent("cache"))
        let mirror = directory.appendingPathComponent("mirror")
        try store.fetch(set, mirror: mirror)
        let b = store.folder(set).appendingPathComponent("b.bin")
        let folder = store.folder(set).path

        var pixels = records(seed: 2)
        pixels[7] ^= 1   // a pixel: size and labels still right
        try Data(pixels).write(to: b)
        XCTAssertThrowsError(try store.verify(set)) { error in
            guard case .damaged("b.bin", folder, "tiny", .checksum)? = error as? DataFetchError else { return XCTFail("\(error)") }
        }
        var labels = records(seed: 2)
        labels[5] = 200
        try Data(labels).write(to: b)
        XCTAssertThrowsError(try store.verify(set)) { error in
            XCTAssertEqual(error as? DataFetchError, .damaged(file: "b.bin", folder: folder, dataSet: "tiny",
                                                              problem: .label(record: 1, value: 200, allowed: 0...9)))
        }
        try FileManager.default.removeItem(at: store.folder(set).appendingPathComponent("fetched.json"))
        XCTAssertThrowsError(try store.verify(set)) { error in
            XCTAssertEqual(error as? DataFetchError, .unrecorded(folder: folder, dataSet: "tiny"))
        }
        try FileManager.default.removeItem(at: b)
        XCTAssertThrowsError(try store.verify(set)) { error in
            XCTAssertEqual(error as? DataFetchError, .missing(file: "b.bin", dataSet: "tiny"))
        }
        try store.fetch(set, mirror: mirror)
        XCTAssertEqual(Array(try Data(contentsOf: b)), records(seed: 2), "fetch unpacked it again")
        XCTAssertEqual(try store.verify(set).files.count, 2)
    }

    // MARK: - The real catalogue

    func testTheCatalogueHoldsTheCanonicalCIFAR10Archive() throws {
        let set = DataCatalog.cifar10
        let (archive, contents) = try XCTUnwrap(set.packed)
        XCTAssertEqual(archive.name, "cifar-10-binary.tar.gz")
        XCTAssertEqual(archive.bytes, 170_052_171)
        XCTAssertEqual(archive.sha256, "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd")
        XCTAssertEqual(archive.urls, ["https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"])
        XCTAssertEqual(contents.pathInArchive("test_batch.bin"), "cifar-10-batches-bin/test_batch.bin")
        XCTAssertEqual(contents.names, ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                                        "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"])
        XCTAssertEqual(contents.format.fileSize, 30_730_000)
        XCTAssertGreaterThan(contents.maximumTarSize, 6 * 30_730_000)
        XCTAssertEqual(DataCatalog.all.map(\.name), ["mnist", "shakespeare", "cifar10"])
        XCTAssertTrue(DataCatalog.all.filter { $0.files.contains { $0.unpacked != nil } }.allSatisfy { $0.files.count == 1 },
                      "a packed data set has its archive as its only file")
    }

    /// The real format on full-size files: sparse, so they cost no disk and read fast.
    func testTheRealFormatOnFullSizeFiles() throws {
        let directory = try temporaryDirectory(self)
        let format = try XCTUnwrap(DataCatalog.cifar10.packed).contents.format
        let file = directory.appendingPathComponent("data_batch_1.bin")
        XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 30_730_000)
        try handle.seek(toOffset: 3073 * 9_999)
        try handle.write(contentsOf: Data([9]))   // the last record's label: still fine
        XCTAssertNil(try RecordFile.problem(at: file, format: format), "10,000 records, labels 0 and 9")
        try handle.seek(toOffset: 3073 * 5_000)
        try handle.write(contentsOf: Data([10]))
        XCTAssertEqual(try RecordFile.problem(at: file, format: format), .label(record: 5_000, value: 10, allowed: 0...9))
        try handle.truncate(atOffset: 30_730_000 - 3073)
        try handle.close()
        XCTAssertEqual(try RecordFile.problem(at: file, format: format), .size(expected: 30_730_000, found: 30_726_927))
    }

    // MARK: - Tar headers

    func testTarHeadersReadBothUstarFormsAndRefuseWhatTheyCannotRead() throws {
        var posix = TarBuilder()
        posix.add("data_batch_1.bin", data: [1, 2, 3], prefix: "cifar-10-batches-bin")
        XCTAssertEqual(try TarHeader.parse(Array(posix.bytes.prefix(512)), offset: 0),
                       TarHeader(path: "cifar-10-batches-bin/data_batch_1.bin", type: 0x30, size: 3),
                       "POSIX ustar: prefix and name joined")
        var gnu = TarBuilder()
        gnu.add("cifar-10-batches-bin/test_batch.bin", declaredSize: 30_730_000, gnuMagic: true)
        XCTAssertEqual(try TarHeader.parse(Array(gnu.bytes.prefix(512)), offset: 0),
                       TarHeader(path: "cifar-10-batches-bin/test_batch.bin", type: 0x30, size: 30_730_000))
        XCTAssertNil(try TarHeader.parse([UInt8](repeating: 0, count: 512), offset: 0), "a zero block ends the archive")

        var base256 = Array(gnu.bytes.prefix(512))
        base256[124] = 0x80   // GNU's base-256 size form; the checksum made to match again
        base256.replaceSubrange(148..<156, with: Array("        ".utf8))
        let sum = String(base256.reduce(0) { $0 + Int($1) }, radix: 8)
        base256.replaceSubrange(148..<156, with: Array((String(repeating: "0", count: 6 - sum.count) + sum).utf8) + [0, 0x20])
        XCTAssertThrowsError(try TarHeader.parse(base256, offset: 0)) { error in
            XCTAssertEqual(error as? ArchiveProblem, .badSizeField(member: "cifar-10-batches-bin/test_batch.bin"))
        }
    }

    // MARK: - Helpers

    /// The data of a pax extended header holding `records`.
    static func pax(_ records: [String: String]) -> [UInt8] {
        records.sorted { $0.key < $1.key }.flatMap { key, value -> [UInt8] in
            let body = " \(key)=\(value)\n"
            // The length counts itself: find the number of digits that makes it consistent.
            var length = body.utf8.count + 1
            while String(length).count + body.utf8.count != length { length += 1 }
            return Array((String(length) + body).utf8)
        }
    }

    /// `bytes` as a gzip file `url` + ".gz".
    static func gzip(_ bytes: [UInt8], to url: URL) throws -> URL {
        try Data(bytes).write(to: url)
        let gzip = try ChildProcess.run(Command("gzip", ["-n", "-f", url.path]))
        precondition(gzip.termination == .exited(0), "gzip failed: \(gzip.output)")
        return URL(fileURLWithPath: url.path + ".gz")
    }
}
