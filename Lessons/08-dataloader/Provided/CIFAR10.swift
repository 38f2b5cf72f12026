// Lesson 08: reading CIFAR-10's binary files (given — read it; you do not need to change it).
//
// The 1998 milestone trains a convolutional network on CIFAR-10 with this reader and your
// `TensorDataset`. It reads files from outside the program the way `readIDX` does: sizes first,
// every byte checked, a typed `DataError` for anything wrong — never a crash.

import Foundation  // URL, FileManager and FileHandle, to read files
import TinyTorchTensor

/// CIFAR-10 (Krizhevsky, Nair & Hinton, 2009): 60,000 colour photos of 32 × 32 pixels in ten
/// classes — 50,000 to train on, 10,000 to test on.
///
///     let training = try CIFAR10.load(split: .train)   // 50000 examples, inputs [50000, 3, 32, 32]
///     let test = try CIFAR10.load(split: .test)        // 10000 examples
///     CIFAR10.classNames[test.labels[0]]               // "cat", say
///
/// Get the files with `swift run tutor data fetch cifar10`: it writes the six batch files to
/// `.tutor/data/cifar10`.
///
/// The binary format. A batch file is 10,000 records of 3,073 bytes, one per image, and nothing
/// else — no header:
///
///     byte 0            the label, 0–9: an index into `classNames`
///     bytes 1…1024      the red plane: 32 rows of 32 pixels, row after row, 0…255
///     bytes 1025…2048   the green plane, the same way
///     bytes 2049…3072   the blue plane
///
/// One colour plane after the other ("planar") is exactly how a `[3, 32, 32]` tensor lies in
/// memory, row-major: so an image's 3,072 bytes become its 3,072 numbers in the same order, and
/// the inputs come out as NCHW — batch, channels, height, width — PyTorch's layout and the one
/// lesson 09's convolutions take. Pixel `(c, y, x)` of image `n` is number
/// `n · 3072 + c · 1024 + y · 32 + x`.
public enum CIFAR10 {
    /// Which part of CIFAR-10: the 50,000 training images (five batch files) or the 10,000 test
    /// images (one).
    public enum Split {
        case train
        case test

        /// The batch files of this split, in order: `data_batch_1.bin` … `data_batch_5.bin`, or
        /// `test_batch.bin`.
        public var files: [String] {
            switch self {
            case .train: return (1...5).map { "data_batch_\($0).bin" }
            case .test: return ["test_batch.bin"]
            }
        }
    }

    /// The ten classes, by label: `classNames[3] == "cat"`.
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer",
                                    "dog", "frog", "horse", "ship", "truck"]

    /// The shape of one image: 3 colour planes (red, green, blue) of 32 rows of 32 pixels.
    public static let imageShape = [3, 32, 32]

    /// The numbers in one image: 3 · 32 · 32 = 3,072.
    public static let pixelsPerImage = 3 * 32 * 32

    /// The bytes of one record in a batch file: a label byte, then the image.
    public static let recordSize = 1 + pixelsPerImage

    /// The most images a batch file may hold: CIFAR-10's have exactly 10,000. The limit keeps a
    /// wrong file from filling the memory (each image takes 12 KB as `Float`s).
    public static let maximumImagesPerFile = 10_000

    /// Where `swift run tutor data fetch cifar10` puts the files: `.tutor/data/cifar10`, relative
    /// to the current directory (the course folder, when you use `swift run`).
    public static let defaultDirectory = URL(fileURLWithPath: ".tutor/data/cifar10")

    /// Loads one split of CIFAR-10 from `directory` as a data set: inputs `[N, 3, 32, 32]` with
    /// every pixel scaled from 0…255 to 0…1 (`Float(byte) / 255`), and `N` labels 0–9.
    ///
    /// First the size of every file of the split, which says how many images there are (and
    /// whether the file is whole) before a byte is read or memory allocated; then one array for
    /// all the pixels, filled file by file, each file read into one reused buffer.
    ///
    /// Why it is written this way: the training split is 614 MB of `Float`s, and on a fresh
    /// allocation that size the time goes to the operating system handing out memory, not to
    /// decoding. So the pixels are written once, straight into uninitialized memory
    /// (`unsafeUninitializedCapacity`, instead of zeros first and pixels second), and the 30 MB
    /// file buffer is allocated once, not once per file. Measured (Tests/Benchmarks/cifar-load.sh):
    /// as fast as allocating and filling an array of that size (0.92–0.97× its time).
    ///
    /// Throws `DataError`: `cifarFileNotFound` (with how to get the data), `unreadable` (a folder
    /// where a file should be, a file that cannot be read), `cifarFileSize` (empty, cut off, or
    /// too big), `cifarLabelOutOfRange` (naming the file and the image).
    ///
    ///     let test = try CIFAR10.load(split: .test)
    ///     test.inputs.shape          // [10000, 3, 32, 32]
    ///     test.example(at: 0).input  // shape [3, 32, 32]
    public static func load(directory: URL = defaultDirectory, split: Split) throws
        -> TensorDataset
    {
        let files = split.files.map { directory.appendingPathComponent($0) }
        let counts = try files.map { try imageCount(fileSize: fileSize(of: $0), name: $0.lastPathComponent) }
        let total = counts.reduce(0, +)
        var labels: [Int] = []
        labels.reserveCapacity(total)
        var buffer = [UInt8](repeating: 0, count: (counts.max() ?? 0) * recordSize)
        // `initialized` tells the array how much of it the closure filled: all of it, at the end
        // (if a file throws, it stays 0, and the memory is simply freed).
        let pixels = try [Float](unsafeUninitializedCapacity: total * pixelsPerImage) { all, initialized in
            var start = 0
            for (file, count) in zip(files, counts) {
                let size = count * recordSize
                try read(file, into: &buffer, size: size)
                let end = start + count * pixelsPerImage
                try buffer.withUnsafeBytes { bytes in
                    try decode(UnsafeRawBufferPointer(rebasing: bytes[0..<size]), name: file.lastPathComponent,
                               into: UnsafeMutableBufferPointer(rebasing: all[start..<end]),
                               labels: &labels)
                }
                start = end
            }
            initialized = start
        }
        return TensorDataset(inputs: Tensor(shape: [total] + imageShape, data: pixels), labels: labels)
    }

    /// The number of images in a batch file of `fileSize` bytes: `fileSize / recordSize`, when the
    /// file holds 1 to `maximumImagesPerFile` whole records; else `DataError.cifarFileSize`.
    ///
    ///     imageCount(fileSize: 30_730_000, name: "test_batch.bin")   // 10000
    ///     imageCount(fileSize: 30_729_999, name: "test_batch.bin")   // throws: cut off
    static func imageCount(fileSize: Int, name: String) throws -> Int {
        guard fileSize > 0, fileSize % recordSize == 0,
              fileSize / recordSize <= maximumImagesPerFile else {
            throw DataError.cifarFileSize(name: name, size: fileSize)
        }
        return fileSize / recordSize
    }

    /// Decodes whole records: the label of each into `labels` (checked to be 0–9), its 3,072
    /// pixels, scaled to 0…1, into `pixels` — image after image, each in the file's planar order.
    /// `records` must hold exactly `pixels.count / pixelsPerImage` records (`imageCount` checks the
    /// file's size first).
    ///
    /// This is the hot loop: 153.6 million pixels for the training split. It runs over raw buffers
    /// (no bounds checks, no copies) in a form the compiler turns into vector instructions.
    static func decode(_ records: UnsafeRawBufferPointer, name: String,
                       into pixels: UnsafeMutableBufferPointer<Float>, labels: inout [Int]) throws {
        let count = pixels.count / pixelsPerImage
        require(records.count == count * recordSize && pixels.count == count * pixelsPerImage,
                "CIFAR10.decode: \(records.count) bytes for \(pixels.count) pixels — check the size first")
        let bytes = records.bindMemory(to: UInt8.self)
        for image in 0..<count {
            let record = image * recordSize
            let label = bytes[record]
            guard label < classNames.count else {
                throw DataError.cifarLabelOutOfRange(name: name, image: image, value: Int(label))
            }
            labels.append(Int(label))
            let source = bytes.baseAddress! + record + 1
            let destination = pixels.baseAddress! + image * pixelsPerImage
            for index in 0..<pixelsPerImage {
                destination[index] = Float(source[index]) / 255
            }
        }
    }

    /// The size of the file at `url`, in bytes, without reading it; `DataError.cifarFileNotFound`
    /// or `.unreadable` when there is no file to read there.
    private static func fileSize(of url: URL) throws -> Int {
        let name = url.lastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw DataError.cifarFileNotFound(name: name, directory: url.deletingLastPathComponent().path)
        }
        guard !isFolder.boolValue else {
            throw DataError.unreadable(name: name, reason: "it is a folder, not a file")
        }
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            return (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw DataError.unreadable(name: name, reason: error.localizedDescription)
        }
    }

    /// Reads the first `size` bytes of the file at `url` into the start of `buffer`, or throws
    /// `DataError.cifarFileSize` with what was there (the file shrank after its size was read) or
    /// `DataError.unreadable`.
    private static func read(_ url: URL, into buffer: inout [UInt8], size: Int) throws {
        guard let stream = InputStream(url: url) else {
            throw DataError.unreadable(name: url.lastPathComponent, reason: "it cannot be opened")
        }
        stream.open()
        defer { stream.close() }
        var done = 0
        try buffer.withUnsafeMutableBufferPointer { bytes in
            while done < size {
                let got = stream.read(bytes.baseAddress! + done, maxLength: size - done)
                if got < 0 {
                    throw DataError.unreadable(name: url.lastPathComponent,
                                               reason: stream.streamError?.localizedDescription ?? "a read failed")
                }
                if got == 0 { break }
                done += got
            }
        }
        guard done == size else { throw DataError.cifarFileSize(name: url.lastPathComponent, size: done) }
    }
}
