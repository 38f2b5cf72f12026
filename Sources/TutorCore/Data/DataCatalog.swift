import Foundation

/// What a copy of a file must be to count as the official one: its name, size and SHA-256.
public struct ExpectedFile: Sendable, Equatable, Codable {
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
    /// For a `.tar.gz` archive: the files the course takes out of it (CIFAR-10's six batches).
    public var unpacked: PackedFiles?

    public init(name: String, bytes: Int, sha256: String, urls: [String],
                decompressed: ExpectedFile? = nil, unpacked: PackedFiles? = nil) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
        self.urls = urls
        self.decompressed = decompressed
        self.unpacked = unpacked
    }

    /// The file as published: what a download or a mirror's copy must be.
    public var published: ExpectedFile { ExpectedFile(name: name, bytes: bytes, sha256: sha256) }

    /// Every file this one leaves in the cache: itself, and what it decompresses to.
    public var expectedFiles: [ExpectedFile] { [published] + (decompressed.map { [$0] } ?? []) }

    /// The file the course reads: the decompressed one, or the file itself.
    public var usableName: String { decompressed?.name ?? name }
}

/// Files of fixed-size records, each starting with a label byte: CIFAR-10's batches (10,000
/// records of 3,073 bytes — a label 0–9, then 3,072 pixel bytes). What the tutor can check of such
/// a file without a published checksum: its size and every label.
public struct RecordFormat: Sendable, Equatable {
    /// Bytes per record, label included.
    public var recordSize: Int
    /// Records per file.
    public var recordCount: Int
    /// The labels a record may have (its first byte).
    public var labels: ClosedRange<UInt8>

    public init(recordSize: Int, recordCount: Int, labels: ClosedRange<UInt8>) {
        self.recordSize = recordSize
        self.recordCount = recordCount
        self.labels = labels
    }

    /// The size of every file: `recordSize × recordCount`.
    public var fileSize: Int { recordSize * recordCount }

    /// "30,730,000 bytes: 10,000 records of 3,073 bytes, labels 0–9".
    public var description: String {
        "\(fileSize.formatted()) bytes: \(recordCount.formatted()) records of \(recordSize.formatted()) bytes, "
            + "labels \(labels.lowerBound)–\(labels.upperBound)"
    }
}

/// What the course takes out of a tar archive: files of one folder, by name, all in one record
/// format. Nothing else in the archive is ever written.
public struct PackedFiles: Sendable, Equatable {
    /// The folder the files are in inside the archive: `cifar-10-batches-bin`.
    public var folder: String
    /// The files taken out, in the order they are checked: `data_batch_1.bin` … `test_batch.bin`.
    /// They are kept under these names, directly in the data set's folder.
    public var names: [String]
    public var format: RecordFormat
    /// The most bytes the archive may decompress to (its tar stream): decompression is cut off
    /// there, so an archive that would fill the disk writes no more.
    public var maximumTarSize: Int
    /// How a mirror may hold the files instead: as other files plus a script that rebuilds them
    /// (our offline mirror: CIFAR-10 as JPEGs and `to_binary.py`).
    public var rebuild: Rebuild?

    /// Files in a mirror from which a script rebuilds the packed files, and what it needs.
    public struct Rebuild: Sendable, Equatable {
        /// What the mirror's folder holds instead of the files: `cifar10-jpeg.tar.xz`.
        public var source: String
        /// The script beside it, run as `python3 <script> OUT_DIR`.
        public var script: String
        /// What the script needs, and how to install it.
        public var needs: String

        public init(source: String, script: String, needs: String) {
            self.source = source
            self.script = script
            self.needs = needs
        }
    }

    public init(folder: String, names: [String], format: RecordFormat, maximumTarSize: Int,
                rebuild: Rebuild? = nil) {
        self.folder = folder
        self.names = names
        self.format = format
        self.maximumTarSize = maximumTarSize
        self.rebuild = rebuild
    }

    /// A file's path inside the archive: `cifar-10-batches-bin/data_batch_1.bin`.
    public func pathInArchive(_ name: String) -> String { folder + "/" + name }
}

/// A data set the course can fetch.
public struct DataSet: Sendable, Equatable {
    public var name: String
    public var title: String
    /// Its files as published. A data set with an archive to unpack (`DataFile.unpacked`) has
    /// that one file only.
    public var files: [DataFile]
    /// Who made it, for the learner.
    public var credit: String

    /// The archive to unpack and what to take out of it, for a packed data set (CIFAR-10).
    public var packed: (archive: DataFile, contents: PackedFiles)? {
        guard let archive = files.first, let contents = archive.unpacked else { return nil }
        return (archive, contents)
    }
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

    /// CIFAR-10's binary version: one archive, of which the course keeps the six batch files.
    public static let cifar10 = DataSet(
        name: "cifar10", title: "CIFAR-10 images",
        files: [DataFile(
            name: "cifar-10-binary.tar.gz", bytes: 170_052_171,
            sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
            urls: ["https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"],
            unpacked: PackedFiles(
                folder: "cifar-10-batches-bin",
                names: (1...5).map { "data_batch_\($0).bin" } + ["test_batch.bin"],
                // A label 0–9, then 32 × 32 red, green and blue bytes.
                format: RecordFormat(recordSize: 3073, recordCount: 10_000, labels: 0...9),
                // The six batches are 184,380,000 bytes; the tar adds its headers, the class
                // names and a readme page (about 0.1 MB).
                maximumTarSize: 200_000_000,
                rebuild: PackedFiles.Rebuild(
                    source: "cifar10-jpeg.tar.xz", script: "to_binary.py",
                    needs: "Python 3 and Pillow: `python3 -m pip install pillow`")))],
        credit: "Alex Krizhevsky, Vinod Nair and Geoffrey Hinton")

    /// Every data set; `tutor data fetch` with no name fetches them in this order (CIFAR-10, the
    /// largest, last).
    public static let all: [DataSet] = [mnist, shakespeare, cifar10]

    public static func named(_ name: String) -> DataSet? {
        all.first { $0.name == name.lowercased() }
    }
}
