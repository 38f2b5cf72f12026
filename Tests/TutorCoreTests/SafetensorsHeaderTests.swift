import XCTest
@testable import TutorCore
import TutorTestSupport

/// `tutor inspect`'s reader against files built byte by byte here (so that it is never tested
/// with its own writer), real files on disk, and hostile headers at and over its limits.
final class SafetensorsHeaderTests: XCTestCase {
    /// The header of a file as Python's `safetensors.numpy.save` writes it — dtypes sorted by
    /// size, then by name — with a BF16 tensor (from `safetensors.serialize`) and metadata.
    static let pythonHeader = #"{"__metadata__":{"format":"np"},"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"#
        + #""w":{"dtype":"F32","shape":[2,3],"data_offsets":[16,40]},"e":{"dtype":"BF16","shape":[3],"data_offsets":[40,46]},"#
        + #""m":{"dtype":"BOOL","shape":[],"data_offsets":[46,47]}}"#

    /// A safetensors file: the 8-byte little-endian length, the header, then `data` bytes.
    static func file(_ header: String, dataSize: Int) -> [UInt8] {
        let json = Array(header.utf8)
        return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64($0))) } + json
            + [UInt8](repeating: 0, count: dataSize)
    }

    func testReadsEveryDtypeShapeAndByteRangeInDataOrder() throws {
        let header = try SafetensorsHeader.parse(file: Self.file(Self.pythonHeader, dataSize: 47), name: "py.safetensors")
        XCTAssertEqual(header.headerSize, Self.pythonHeader.utf8.count)
        XCTAssertEqual(header.dataStart, 8 + Self.pythonHeader.utf8.count)
        XCTAssertEqual(header.dataSize, 47)
        XCTAssertEqual(header.metadata, ["format": "np"])
        XCTAssertEqual(header.tensors.map(\.name), ["ids", "w", "e", "m"], "in the order of their data")
        XCTAssertEqual(header.tensors.map(\.dtype), [.i64, .f32, .bf16, .bool])
        XCTAssertEqual(header.tensors.map(\.shape), [[2], [2, 3], [3], []])
        XCTAssertEqual(header.tensors.map(\.elements), [2, 6, 3, 1], "a scalar, shape [], has 1 element")
        XCTAssertEqual(header.tensors.map(\.byteCount), [16, 24, 6, 1])
        XCTAssertEqual(header.totalElements, 12)
        XCTAssertEqual(header.totalBytes, 47)
        XCTAssertEqual(header.problems, [])

        let document = SafetensorsText.document(header, file: "py.safetensors")
        XCTAssertEqual(document.dtypesTheCourseCannotRead, ["BF16", "BOOL", "I64"])
        XCTAssertEqual(document.tensors[2], .init(name: "e", dtype: "BF16", shape: [3], elements: 3, dataOffsets: [40, 46],
                                                  bytes: 6, courseReads: false))
        XCTAssertEqual(document.totals, .init(tensors: 4, elements: 12, bytes: 47))
        XCTAssertTrue(document.valid)

        let text = SafetensorsText.text(header, name: "py.safetensors", style: .plain)
        XCTAssertEqual(text.split(separator: "\n").map(String.init), [
            "py.safetensors — \(8 + header.headerSize + 47) bytes: an 8-byte length, \(header.headerSize) bytes of header, "
                + "47 of data (from byte \(header.dataStart))",
            "metadata",
            "  format  np",
            "name       dtype  shape   elements  data_offsets  bytes",
            "ids        I64*   [2]            2  [0, 16)          16",
            "w          F32    [2, 3]         6  [16, 40)         24",
            "e          BF16*  [3]            3  [40, 46)          6",
            "m          BOOL*  []             1  [46, 47)          1",
            "4 tensors                       12                   47",
            "* BF16, BOOL, I64: not a dtype the course computes with — its reader (lesson 07) takes F32 and F64; "
                + "convert first (in PyTorch, tensor.float())",
            "✓ a valid safetensors file: every tensor's bytes are where its header says, and together they fill the data section",
        ])
    }

    func testReportsEveryLayoutProblem() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"#
            + #""c":{"dtype":"F16","shape":[3],"data_offsets":[16,20]},"d":{"dtype":"F4","shape":[3],"data_offsets":[20,22]},"#
            + #""e":{"dtype":"F32","shape":[1],"data_offsets":[30,99]},"f":{"dtype":"U8","shape":[0],"data_offsets":[9,3]}}"#
        let parsed = try SafetensorsHeader.parse(file: Self.file(header, dataSize: 26), name: "bad")
        XCTAssertEqual(parsed.problems, [
            .overlap(first: "a", second: "b"),
            .outOfRange(tensor: "f", begin: 9, end: 3, dataSize: 26),
            .sizeMismatch(tensor: "c", needed: 6, found: 4),
            .unusedBytes(begin: 12, end: 16),
            .partialByte(tensor: "d", dtype: .f4, elements: 3),
            .outOfRange(tensor: "e", begin: 30, end: 99, dataSize: 26),
            .unusedBytes(begin: 22, end: 26),
        ])
        let text = SafetensorsText.text(parsed, name: "bad", style: .plain)
        XCTAssertTrue(text.contains("✗ not a valid safetensors file: 7 problems with the layout"), text)
        XCTAssertTrue(text.contains("  tensors \"a\" and \"b\" overlap in the data section"), text)
        XCTAssertTrue(text.contains("  tensor \"d\" has 3 elements of F4 (4 bits each): not a whole number of bytes"), text)
        XCTAssertFalse(SafetensorsText.document(parsed, file: "bad").valid)
    }

    func testRefusesWhatIsNotASafetensorsHeader() {
        func check(_ header: String, dataSize: Int = 4, _ expected: SafetensorsFileError, line: UInt = #line) {
            XCTAssertThrowsError(try SafetensorsHeader.parse(file: Self.file(header, dataSize: dataSize), name: "h"), line: line) {
                XCTAssertEqual($0 as? SafetensorsFileError, expected, line: line)
                XCTAssertEqual(($0 as? SafetensorsFileError)?.exitCode, 1, line: line)
            }
        }
        func invalid(_ reason: String) -> SafetensorsFileError { .invalidHeader(file: "h", reason: reason) }
        check("not json", invalid("is not valid JSON at offset 1: null expected, found 'o'"))
        check("", invalid("is not valid JSON at offset 0: a value expected, found the end"))
        check("[1, 2]", invalid("is an array, not an object"))
        check("[1, 2", invalid("is not valid JSON at offset 5: ',' or ']' expected, found the end"))
        let tooDeep = "nests arrays or objects more than 3 deep (at offset 29), deeper than a safetensors header ever needs"
        check(#"{"a":{"dtype":"F32","shape":[[1]],"data_offsets":[0,4]}}"#, invalid(tooDeep))
        let nested = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        check("{" + (0..<20).map { #""k\#($0)":"# + nested }.joined(separator: ",") + "}",
              invalid("nests arrays or objects more than 3 deep (at offset 8), deeper than a safetensors header ever needs"))
        let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        check(#"{"a":"# + entry + #","a":"# + entry + "}", invalid(#"has the key "a" twice in one object (again at offset 54)"#))
        check(#"{"__metadata__":{"k":1}}"#, .invalidMetadata(file: "h", reason: #"has a number for "k", not a string"#))
        check(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#,
              .invalidEntry(file: "h", tensor: "a", reason: #""shape" must hold whole numbers ≥ 0 (written without a point or an exponent)"#))
        check(#"{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,4]}}"#,
              .invalidEntry(file: "h", tensor: "a", reason: #""shape" must hold whole numbers ≥ 0 (written without a point or an exponent)"#))
        check(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#,
              .invalidEntry(file: "h", tensor: "a", reason: #""data_offsets" must be two whole numbers ≥ 0, [begin, end], found 1"#))
        check(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, .invalidEntry(file: "h", tensor: "a", reason: #""dtype" is missing"#))
        check(#"{"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, .unknownDtype(file: "h", tensor: "a", dtype: "F33"))
        check(#"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#,
              .invalidEntry(file: "h", tensor: "a", reason: "shape [4294967296, 4294967296] holds more elements than any file can"))
        // Fields the format does not know are passed over, as by the Rust reader.
        XCTAssertNoThrow(try SafetensorsHeader.parse(
            file: Self.file(#"{"a":{"dtype":"F32","extra":{"x":1},"shape":[1],"data_offsets":[0,4]}}"#, dataSize: 4), name: "h"))
    }

    func testTheHeaderLengthIsCheckedBeforeAnythingIsRead() throws {
        func error(_ bytes: [UInt8]) -> SafetensorsFileError? {
            do { _ = try SafetensorsHeader.parse(file: bytes, name: "m"); return nil } catch { return error as? SafetensorsFileError }
        }
        XCTAssertEqual(error([1, 2, 3]), .truncatedLength(file: "m", fileSize: 3))
        let lying = [0x00, 0xCA, 0x9A, 0x3B, 0, 0, 0, 0] + [UInt8](repeating: 0x20, count: 804)  // 1,000,000,000
        XCTAssertEqual(error(lying), .truncatedHeader(file: "m", headerSize: 1_000_000_000, fileSize: 812))
        XCTAssertEqual(error(lying)?.localizedDescription,
                       "m: the header says 1,000,000,000 bytes of JSON but the file has 812 bytes — truncated or not a safetensors file")
        XCTAssertEqual(error([UInt8](repeating: 0xFF, count: 8) + Array("{}".utf8)),
                       .truncatedHeader(file: "m", headerSize: UInt64.max, fileSize: 10))
        // The limit: a header of exactly 4,000,000 bytes (one tensor, then the spaces the format
        // pads with) is read; one byte more is refused.
        let json = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let padded = json + String(repeating: " ", count: SafetensorsHeader.maximumHeaderSize - json.utf8.count)
        XCTAssertEqual(try SafetensorsHeader.parse(file: Self.file(padded, dataSize: 4), name: "m").tensors.count, 1)
        XCTAssertEqual(error(Self.file(padded + " ", dataSize: 4)), .headerTooLarge(file: "m", headerSize: 4_000_001, limit: 4_000_000))
        XCTAssertEqual(SafetensorsHeader.maximumHeaderSize, 4_000_000, "lesson 07's Safetensors.maximumHeaderSize")
    }

    func testReadsOnlyTheHeaderOfAFileOnDisk() throws {
        let folder = try temporaryDirectory(self)
        // 5 GB of data after the header, in a sparse file (its zeros take no disk space): reading
        // the data would take 5 GB of memory.
        let big = folder.appendingPathComponent("big.safetensors")
        try Data(Self.file(#"{"w":{"dtype":"F32","shape":[1250000000],"data_offsets":[0,5000000000]}}"#, dataSize: 0))
            .write(to: big)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 8 + 72 + 5_000_000_000)
        try handle.close()
        let header = try SafetensorsHeader.read(big)
        XCTAssertEqual(header.tensors.first?.elements, 1_250_000_000)
        XCTAssertEqual(header.problems, [])

        XCTAssertThrowsError(try SafetensorsHeader.read(folder.appendingPathComponent("gone.safetensors"))) {
            XCTAssertEqual($0 as? SafetensorsFileError, .notFound(path: folder.appendingPathComponent("gone.safetensors").path))
            XCTAssertEqual(($0 as? SafetensorsFileError)?.exitCode, 2)
        }
        XCTAssertThrowsError(try SafetensorsHeader.read(folder)) {
            XCTAssertEqual($0 as? SafetensorsFileError, .unreadable(path: folder.path, reason: "it is a folder, not a file"))
        }
        // The lesson's fixture, written by Python's safetensors.numpy.save_file.
        let fixture = try SafetensorsHeader.read(repositoryRoot.appendingPathComponent(
            "Tests/LessonTests/07-training/Fixtures/python-fixture.safetensors"))
        XCTAssertEqual(fixture.tensors.map(\.name).sorted(), ["bias", "weight"])
        XCTAssertEqual(fixture.metadata, ["format": "np", "written_by": "make_fixture.py"])
        XCTAssertEqual(fixture.problems, [])
    }

    func testNamesFromTheFileCannotDriveTheTerminal() throws {
        let header = #"{"__metadata__":{"note":"red \u001b[31m"},"evil\u001b]0;title\u0007":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let parsed = try SafetensorsHeader.parse(file: Self.file(header, dataSize: 4), name: "e")
        XCTAssertEqual(parsed.tensors.first?.name, "evil\u{1B}]0;title\u{07}")
        let text = SafetensorsText.text(parsed, name: "e", style: .plain)
        XCTAssertFalse(text.contains("\u{1B}"), text)
        XCTAssertTrue(text.contains("evil\\u001b]0;title\\u0007"), text)
        XCTAssertTrue(text.contains("red \\u001b[31m"), text)
    }

    func testNeverTrapsOnDamagedHeaders() {
        // A small fuzzer (Tests/Fuzz tries millions): every input gives a header or a SafetensorsFileError.
        var state: UInt64 = 12
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let good = Self.file(Self.pythonHeader, dataSize: 47)
        for trial in 0..<3000 {
            var bytes = good
            bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next())
            if trial % 2 == 0 { bytes = Array(bytes.prefix(next() % (bytes.count + 1))) }
            do {
                let header = try SafetensorsHeader.parse(file: bytes, name: "fuzz")
                XCTAssertEqual(header.fileSize, bytes.count)
            } catch is SafetensorsFileError {
                continue
            } catch {
                return XCTFail("input \(bytes): expected a SafetensorsFileError, got \(error)")
            }
        }
    }
}
