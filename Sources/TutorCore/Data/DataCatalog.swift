import Foundation

/// A file of a data set, as published by its canonical source.
public struct DataFile: Sendable, Equatable {
    /// The name as published, e.g. `train-images-idx3-ubyte.gz`.
    public var name: String
    public var bytes: Int
    public var sha256: String
    /// Where to download it, tried in order.
    public var urls: [String]
    /// For a gzip file: the name and size once decompressed (what the course reads).
    public var decompressedName: String?
    public var decompressedBytes: Int?

    public init(name: String, bytes: Int, sha256: String, urls: [String],
                decompressedName: String? = nil, decompressedBytes: Int? = nil) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
        self.urls = urls
        self.decompressedName = decompressedName
        self.decompressedBytes = decompressedBytes
    }

    /// The file the course reads: the decompressed one, or the file itself.
    public var usableName: String { decompressedName ?? name }
}

/// A data set the course can fetch.
public struct DataSet: Sendable, Equatable {
    public var name: String
    public var title: String
    public var files: [DataFile]
    /// Who made it, for the learner.
    public var credit: String
}

/// The data sets of the course, with their canonical sources and checksums.
public enum DataCatalog {
    public static let mnist: DataSet = {
        // PyTorch's mirror first: yann.lecun.com, the original host, often refuses downloads.
        func urls(_ name: String) -> [String] {
            ["https://ossci-datasets.s3.amazonaws.com/mnist/\(name)", "http://yann.lecun.com/exdb/mnist/\(name)"]
        }
        func file(_ name: String, _ bytes: Int, _ sha: String, _ decompressed: Int) -> DataFile {
            DataFile(name: name, bytes: bytes, sha256: sha, urls: urls(name),
                     decompressedName: String(name.dropLast(3)), decompressedBytes: decompressed)
        }
        return DataSet(
            name: "mnist", title: "MNIST handwritten digits",
            files: [
                file("train-images-idx3-ubyte.gz", 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 47_040_016),
                file("train-labels-idx1-ubyte.gz", 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 60_008),
                file("t10k-images-idx3-ubyte.gz", 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 7_840_016),
                file("t10k-labels-idx1-ubyte.gz", 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 10_008),
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
