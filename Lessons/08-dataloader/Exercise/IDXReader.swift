// Lesson 08, file 3 of 3: reading MNIST from its IDX files, safely.
//
// `IDXArray`, `IDXHeader` and the MNIST file names are given, and so is `DataError`
// (Provided/DataError.swift); write the bodies marked TODO, top to bottom. Then run
// `swift run tutor test 08`.

import Foundation  // URL, FileManager and Data, to read files
import TinyTorchTensor

// MARK: - The IDX format

/// The contents of an IDX file of unsigned bytes: its shape, and its bytes in row-major order.
///
/// An MNIST images file gives `shape == [60000, 28, 28]` and 47,040,000 bytes; a labels file
/// `shape == [60000]` and 60,000 bytes. `bytes.count` is always the product of `shape`.
public struct IDXArray: Equatable {
    /// The size of each dimension, as the header gives them.
    public let shape: [Int]
    /// The data, row-major: `shape.reduce(1, *)` bytes.
    public let bytes: [UInt8]

    public init(shape: [Int], bytes: [UInt8]) {
        self.shape = shape
        self.bytes = bytes
    }
}

/// The four bytes `bytes[offset ..< offset + 4]` read as one big-endian unsigned 32-bit number:
/// the first byte is the most significant.
///
/// `b₀ · 2²⁴ + b₁ · 2¹⁶ + b₂ · 2⁸ + b₃`, or with shifts `b₀ << 24 | b₁ << 16 | b₂ << 8 | b₃`.
/// `require` that the four bytes are there (the caller checks the length first).
///
///     readUInt32BigEndian([0x00, 0x00, 0xEA, 0x60], at: 0)   == 60000   (0xEA · 256 + 0x60)
///     readUInt32BigEndian([0x00, 0x00, 0x08, 0x03], at: 0)   == 2051    (the images magic)
public func readUInt32BigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    todo("TODO(lesson 08): implement readUInt32BigEndian(_:at:)")
}

/// What an IDX header says, checked against the size of its file: the shape of the data, where
/// the data starts and how many bytes it has.
///
/// MNIST's training images: `shape == [60000, 28, 28]`, `size == 16`, `dataSize == 47_040_000`.
public struct IDXHeader: Equatable {
    /// The size of each dimension.
    public let shape: [Int]
    /// The header's own length in bytes, `4 + 4 · shape.count`: where the data starts.
    public let size: Int
    /// The number of data bytes, the product of `shape`: exactly what follows the header.
    public let dataSize: Int

    /// The most data this reader accepts, in bytes: 1 GB. MNIST's largest file holds 47 MB
    /// (188 MB once its pixels are `Float`s); the limit leaves room for bigger IDX data sets and
    /// stops a file that would fill the memory before any of it is read.
    public static let maximumDataSize = 1_000_000_000

    public init(shape: [Int], size: Int, dataSize: Int) {
        self.shape = shape
        self.size = size
        self.dataSize = dataSize
    }
}

/// Parses and checks the header of an IDX file of unsigned bytes (type `0x08`) with 1 to 4
/// dimensions, from the file's first bytes and its size — before any data is read.
///
/// The format (LeCun et al.), all numbers big-endian:
///
///     offset  bytes            meaning
///     0       00 00            always zero
///     2       08               data type: 0x08 = unsigned byte
///     3       03               number of dimensions, d
///     4       4 · d bytes      the size of each dimension, a 32-bit big-endian number each
///     4 + 4d  size₀ · … bytes  the data, row-major
///
/// `bytes` is the start of the file: all of it, or at least its first 20 bytes (the longest
/// header); `fileSize` is the size of the whole file. The bytes come from outside the program,
/// so trust nothing: check, in this order, that the file is not empty (`emptyFile`), has the 4
/// bytes of the magic number (`truncatedHeader`), starts with `00 00` (`notIDX`), has type
/// `0x08` (`unsupportedType`) and 1 to 4 dimensions (`unsupportedDimensionCount`), holds the
/// whole header (`truncatedHeader`), that the sizes multiply without overflow (`sizeOverflow`:
/// use `multipliedReportingOverflow(by:)`), that exactly that many bytes follow the header
/// (`truncatedData`, `trailingBytes`), and that they are at most `IDXHeader.maximumDataSize`
/// (`dataTooLarge`). A size of 0 is allowed (an empty file of labels is a valid IDX file).
/// `name` is the file name, for the messages.
///
///     parseIDXHeader([0, 0, 8, 3,  0, 0, 0xEA, 0x60,  0, 0, 0, 28,  0, 0, 0, 28],
///                    fileSize: 47_040_016, name: "train-images-idx3-ubyte")
///     // IDXHeader(shape: [60000, 28, 28], size: 16, dataSize: 47040000)
///     parseIDXHeader([0, 0, 8, 1,  0, 0, 0, 9,  7, 2, 1], fileSize: 11, name: "labels")
///     // throws DataError.truncatedData(name: "labels", shape: [9], expected: 9, found: 3)
public func parseIDXHeader(_ bytes: [UInt8], fileSize: Int, name: String) throws -> IDXHeader {
    todo("TODO(lesson 08): implement parseIDXHeader(_:fileSize:name:)")
}

/// Parses the bytes of a whole IDX file: `parseIDXHeader` checks everything, then the data is
/// copied.
///
///     parseIDX([0, 0, 8, 1,  0, 0, 0, 3,  7, 2, 1], name: "labels")
///     // IDXArray(shape: [3], bytes: [7, 2, 1])
///     parseIDX([0, 0, 8, 1,  0, 0, 0, 9,  7, 2, 1], name: "labels")
///     // throws DataError.truncatedData(name: "labels", shape: [9], expected: 9, found: 3)
public func parseIDX(_ bytes: [UInt8], name: String) throws -> IDXArray {
    todo("TODO(lesson 08): implement parseIDX(_:name:)")
}

/// Reads the IDX file at `url`, naming it by its file name in errors: first its size and its
/// first 20 bytes, checked by `parseIDXHeader`, and only then its data — so a file that is not
/// what its header says, or is too big, costs 20 bytes of memory, not its whole size.
///
/// A missing file throws `DataError.fileNotFound` (name and folder, and how to get the data); a
/// folder, `DataError.unreadable` with the reason "it is a folder, not a file"
/// (`fileExists(atPath:isDirectory:)` tells); a file that cannot be read, `DataError.unreadable`
/// with the system's reason. If fewer data bytes come back than the header said (the file
/// shrank while being read), `DataError.truncatedData`.
///
///     try readIDX(MNIST.defaultDirectory.appendingPathComponent("t10k-labels-idx1-ubyte"))
///     // IDXArray(shape: [10000], bytes: [7, 2, 1, 0, 4, …])
public func readIDX(_ url: URL) throws -> IDXArray {
    todo("TODO(lesson 08): implement readIDX(_:)")
}

// MARK: - MNIST

/// The MNIST handwritten digits (LeCun, Cortes & Burges): 60,000 training and 10,000 test images
/// of 28 × 28 grey pixels, each labelled with the digit 0–9 it shows.
///
///     let training = try MNIST.load(split: .train)   // 60000 examples, inputs [60000, 784]
///     let test = try MNIST.load(split: .test)        // 10000 examples
///
/// Get the files with `swift run tutor data fetch mnist`: it writes them, decompressed, to
/// `.tutor/data/mnist`.
public enum MNIST {
    /// Which half of MNIST: the 60,000 training images or the 10,000 test images.
    public enum Split {
        case train
        case test

        /// The images file of this split: `train-images-idx3-ubyte` or `t10k-images-idx3-ubyte`.
        public var imagesFile: String {
            self == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte"
        }

        /// The labels file of this split: `train-labels-idx1-ubyte` or `t10k-labels-idx1-ubyte`.
        public var labelsFile: String {
            self == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte"
        }
    }

    /// Where `swift run tutor data fetch mnist` puts the files: `.tutor/data/mnist`, relative to
    /// the current directory (the course folder, when you use `swift run`).
    public static let defaultDirectory = URL(fileURLWithPath: ".tutor/data/mnist")

    /// Reads an images file (magic 2051: three dimensions `[N, rows, columns]`) into a tensor of
    /// shape `[N, rows · columns]` — each image flattened into one row, ready for a `Linear`
    /// layer — with every pixel scaled from 0…255 to 0…1: `Float(byte) / 255`.
    ///
    /// An IDX file with another number of dimensions throws `DataError.wrongMagic` (expected
    /// 2051, found `0x0800 + dimensions`, e.g. 2049 for a labels file).
    ///
    ///     try MNIST.readImages(directory.appendingPathComponent("t10k-images-idx3-ubyte"))
    ///     // shape [10000, 784]; pixel bytes 0, 51, 255 become 0, 0.2, 1
    public static func readImages(_ url: URL) throws -> Tensor {
        todo("TODO(lesson 08): implement MNIST.readImages(_:)")
    }

    /// Reads a labels file (magic 2049: one dimension `[N]`) into `N` integers, each checked to
    /// be a digit 0–9 (`DataError.labelOutOfRange` names the first that is not).
    ///
    /// Another number of dimensions throws `DataError.wrongMagic` (expected 2049).
    ///
    ///     try MNIST.readLabels(directory.appendingPathComponent("t10k-labels-idx1-ubyte"))
    ///     // [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, …], 10000 of them
    public static func readLabels(_ url: URL) throws -> [Int] {
        todo("TODO(lesson 08): implement MNIST.readLabels(_:)")
    }

    /// Loads one split of MNIST from `directory` as a data set: inputs `[N, 784]` in 0…1 and `N`
    /// labels 0–9.
    ///
    /// Reads `split.imagesFile` with `readImages` and `split.labelsFile` with `readLabels`, and
    /// checks that they hold the same number of examples (`DataError.countMismatch`).
    ///
    ///     let training = try MNIST.load(split: .train)
    ///     training.count                      // 60000
    ///     training.example(at: 0).label       // 5
    public static func load(directory: URL = defaultDirectory, split: Split) throws
        -> TensorDataset
    {
        todo("TODO(lesson 08): implement MNIST.load(directory:split:)")
    }
}
