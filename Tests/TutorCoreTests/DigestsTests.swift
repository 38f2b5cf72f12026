import XCTest
@testable import TutorCore
import TutorTestSupport

/// The platform's hashing tools give the published test vectors (FIPS 180-2 for SHA-256; git's
/// own blob ids), for many files in one call and in the order given.
final class DigestsTests: XCTestCase {
    func testKnownVectors() throws {
        let folder = try temporaryDirectory(self)
        let abc = folder.appendingPathComponent("abc")
        let empty = folder.appendingPathComponent("empty")
        let long = folder.appendingPathComponent("a file with spaces")
        try write("abc", to: abc)
        try write("", to: empty)
        try write("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", to: long)

        XCTAssertEqual(try Digests.sha256(of: [abc, empty, long]), [
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ])
        XCTAssertEqual(try Digests.gitBlobIDs(of: [empty]), ["e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"])
        XCTAssertThrowsError(try Digests.sha256(of: [folder.appendingPathComponent("missing")]))
    }
}
