import Foundation

/// What a copy of a file must be to count as the official one: its name, size and SHA-256.
public struct ExpectedFile: Sendable, Equatable {
    public var name: String
    public var bytes: Int
    public var sha256: String

    public init(name: String, bytes: Int, sha256: String) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// A file of a data set, as published by its canonical source.
public struct DataFile: Sendable, Equatable {
    /// The name as published, e.g. `train-images-idx3-ubyte.gz`.
    public var name: String
    public var bytes: Int
    public var sha256: String
    /// Where to download it, tried in order.
    public var urls: [String]
    /// For a gzip file: the file it decompresses to, which the course reads, with its size and
    /// SHA-256 (so a damaged copy in the cache is found, not just a short one).
    public var decompressed: ExpectedFile?

    public init(name: String, bytes: Int, sha256: String, urls: [String],
                decompressed: ExpectedFile? = nil) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
        self.urls = urls
        self.decompressed = decompressed
    }

    /// The file as published: what a download or a mirror's copy must be.
    public var published: ExpectedFile { ExpectedFile(name: name, bytes: bytes, sha256: sha256) }

    /// Every file this one leaves in the cache: itself, and what it decompresses to.
    public var expectedFiles: [ExpectedFile] { [published] + (decompressed.map { [$0] } ?? []) }

    /// The file the course reads: the decompressed one, or the file itself.
    public var usableName: String { decompressed?.name ?? name }
}

/// A data set the course can fetch.
public struct DataSet: Sendable, Equatable {
    public var name: String
    public var title: String
    public var files: [DataFile]
    /// Who made it, for the learner.
    public var credit: String
}

extension DataSet {
    /// The files `DataStore.fetch` and `verify` check, counted for a person: "8 files (4 as
    /// downloaded, 4 decompressed)", "1 file".
    public var checkedFiles: String {
        let decompressed = files.filter { $0.decompressed != nil }.count
        let total = files.count + decompressed
        let count = "\(total) file\(total == 1 ? "" : "s")"
        guard decompressed > 0 else { return count }
        return count + " (\(files.count) as downloaded, \(decompressed) decompressed)"
    }
}

/// The data sets of the course, with their canonical sources and checksums.
public enum DataCatalog {
    public static let mnist: DataSet = {
        // PyTorch's mirror first: yann.lecun.com, the original host, often refuses downloads.
        func urls(_ name: String) -> [String] {
            ["https://ossci-datasets.s3.amazonaws.com/mnist/\(name)", "http://yann.lecun.com/exdb/mnist/\(name)"]
        }
        /// A gzip file as published (name, size, SHA-256), and what it decompresses to.
        func file(_ name: String, _ bytes: Int, _ sha: String,
                  decompressed: Int, _ decompressedSHA: String) -> DataFile {
            DataFile(name: name, bytes: bytes, sha256: sha, urls: urls(name),
                     decompressed: ExpectedFile(name: String(name.dropLast(3)), bytes: decompressed,
                                                sha256: decompressedSHA))
        }
        return DataSet(
            name: "mnist", title: "MNIST handwritten digits",
            files: [
                file("train-images-idx3-ubyte.gz", 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                     decompressed: 47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                file("train-labels-idx1-ubyte.gz", 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                     decompressed: 60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                file("t10k-images-idx3-ubyte.gz", 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                     decompressed: 7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                file("t10k-labels-idx1-ubyte.gz", 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                     decompressed: 10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            ],
            credit: "Yann LeCun, Corinna Cortes and Christopher J. C. Burges")
    }()

    public static let shakespeare = DataSet(
        name: "shakespeare", title: "Tiny Shakespeare",
        files: [DataFile(
            name: "input.txt", bytes: 1_115_394,
            sha256: "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
            urls: ["https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"])],
        credit: "Andrej Karpathy's char-rnn")

    public static let all: [DataSet] = [mnist, shakespeare]

    public static func named(_ name: String) -> DataSet? {
        all.first { $0.name == name.lowercased() }
    }
}
