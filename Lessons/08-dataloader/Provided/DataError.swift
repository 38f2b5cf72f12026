// Lesson 08: the errors a data file can cause (given — read it; you do not need to change it).

import Foundation

// MARK: - Errors (given)

/// What can go wrong when reading a data file. Given: read it, you do not need to change it.
///
/// Every message says what is wrong, in which file, and what to do about it:
///
///     train-images-idx3-ubyte: expected magic 2051 (images), found 2049 (labels) — is this the
///     labels file?
///
/// These are errors, not failed `require`s: a bad file is not a bug in the program but something
/// outside it, so the caller gets to decide what to do (the MNIST milestone prints the message).
public enum DataError: Error, CustomStringConvertible, Equatable, LocalizedError {
    /// The file does not exist.
    case fileNotFound(name: String, directory: String)
    /// The file exists but could not be read (permissions, a folder, …).
    case unreadable(name: String, reason: String)
    /// The file has no bytes at all.
    case emptyFile(name: String)
    /// The file ends inside its header: the header needs `needed` bytes, the file has `found`.
    case truncatedHeader(name: String, needed: Int, found: Int)
    /// The first two bytes are not `00 00`, so this is not an IDX file. `firstBytes`: up to 4.
    case notIDX(name: String, firstBytes: [UInt8])
    /// The type byte (the third) is not `0x08`, unsigned bytes: the only type this reader reads.
    case unsupportedType(name: String, typeCode: UInt8)
    /// The fourth byte, the number of dimensions, is 0 or more than 4.
    case unsupportedDimensionCount(name: String, count: Int)
    /// The sizes in the header multiply to more than `Int.max`.
    case sizeOverflow(name: String, shape: [Int])
    /// Fewer bytes after the header than the sizes promise.
    case truncatedData(name: String, shape: [Int], expected: Int, found: Int)
    /// More bytes after the header than the sizes promise.
    case trailingBytes(name: String, shape: [Int], expected: Int, found: Int)
    /// The header and the file agree on `size` bytes of data, but that is more than `limit`
    /// (`IDXHeader.maximumDataSize`): reading it could fill the memory.
    case dataTooLarge(name: String, shape: [Int], size: Int, limit: Int)
    /// A valid IDX file of the wrong kind: images (magic 2051) where labels (2049) were expected,
    /// or the other way round. The magic number is the first four bytes read as one big-endian
    /// number: `0x0800 + dimensions` for unsigned bytes.
    case wrongMagic(name: String, expected: Int, found: Int)
    /// A label that is not a digit 0–9, at position `index` of the labels file.
    case labelOutOfRange(name: String, index: Int, value: Int)
    /// The images file and the labels file hold different numbers of examples.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)

    // CIFAR-10's batch files (Provided/CIFAR10.swift).

    /// A CIFAR-10 batch file does not exist.
    case cifarFileNotFound(name: String, directory: String)
    /// A CIFAR-10 batch file of `size` bytes is empty, not a whole number of 3,073-byte records,
    /// or holds more than `CIFAR10.maximumImagesPerFile` of them.
    case cifarFileSize(name: String, size: Int)
    /// A record's label (its first byte) is not a class 0–9. `image` counts from 0.
    case cifarLabelOutOfRange(name: String, image: Int, value: Int)

    /// How to get good files again.
    private static let fetchAgain = "Run `swift run tutor data fetch mnist` again."
    private static let fetchCIFARAgain = "Run `swift run tutor data fetch cifar10` again."

    public var description: String {
        switch self {
        case let .fileNotFound(name, directory):
            return "\(name): no such file in \(directory) — download MNIST with "
                + "`swift run tutor data fetch mnist` (it writes the four files to "
                + ".tutor/data/mnist)."
        case let .unreadable(name, reason):
            return "\(name): the file cannot be read (\(reason))."
        case let .emptyFile(name):
            return "\(name): the file is empty (0 bytes) — an interrupted download? "
                + Self.fetchAgain
        case let .truncatedHeader(name, needed, found):
            return "\(name): the file ends after \(found) bytes, inside its header, which needs "
                + "\(needed) — truncated download? " + Self.fetchAgain
        case let .notIDX(name, firstBytes):
            let gzip = firstBytes.starts(with: [0x1F, 0x8B])
                ? " (1F 8B is the start of a gzip file: decompress it with `gunzip` first)" : ""
            return "\(name): not an IDX file — it starts with the bytes \(hex(firstBytes)), but "
                + "an IDX file starts with 00 00\(gzip)."
        case let .unsupportedType(name, typeCode):
            let type = "\(hex([typeCode], prefix: "0x")) (\(typeName(typeCode)))"
            return "\(name): IDX data type \(type) is not supported — this reader reads only "
                + "type 0x08 (unsigned bytes), the type of MNIST."
        case let .unsupportedDimensionCount(name, count):
            return "\(name): the header says \(count) dimensions, but this reader accepts 1 to 4 "
                + "(MNIST labels have 1, images 3) — is this an IDX file?"
        case let .sizeOverflow(name, shape):
            return "\(name): the header's sizes \(times(shape)) multiply to more than "
                + "\(Int.max) bytes — the header is corrupt: no real file is that big."
        case let .truncatedData(name, shape, expected, found):
            return "\(name): the header says \(sizes(shape, expected)) bytes of data, but the "
                + "file has \(found) after its header — truncated download? " + Self.fetchAgain
        case let .trailingBytes(name, shape, expected, found):
            return "\(name): the header says \(sizes(shape, expected)) bytes of data, but the "
                + "file has \(found) after its header, \(found - expected) too many — the wrong "
                + "file, or two files joined? " + Self.fetchAgain
        case let .dataTooLarge(name, shape, size, limit):
            return "\(name): the file holds \(sizes(shape, size)) bytes of data, more than this "
                + "reader's limit of \(limit) (MNIST's largest file holds 47040000) — is this the "
                + "right file? " + Self.fetchAgain
        case let .wrongMagic(name, expected, found):
            let guess = found == 2049 ? " — is this the labels file?"
                : found == 2051 ? " — is this the images file?" : ""
            return "\(name): expected magic \(expected) (\(magicName(expected))), found \(found) "
                + "(\(magicName(found)))\(guess)"
        case let .labelOutOfRange(name, index, value):
            return "\(name): label \(value) at position \(index) is not a digit 0–9 — is this an "
                + "MNIST labels file?"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) holds \(imageCount) images, but \(labels) holds \(labelCount) "
                + "labels — both files must come from the same download. " + Self.fetchAgain
        case let .cifarFileNotFound(name, directory):
            return "\(name): no such file in \(directory) — download CIFAR-10 with "
                + "`swift run tutor data fetch cifar10` (it writes the six batch files to "
                + ".tutor/data/cifar10)."
        case let .cifarFileSize(name, size):
            let records = size / CIFAR10.recordSize
            let what: String
            if size == 0 {
                what = "the file is empty (0 bytes) — an interrupted download?"
            } else if size % CIFAR10.recordSize != 0 {
                what = "the file has \(size) bytes, not a whole number of \(CIFAR10.recordSize)-byte "
                    + "records (a label and 3 × 32 × 32 pixels): \(records) records and "
                    + "\(size % CIFAR10.recordSize) bytes more — truncated, or not a CIFAR-10 file?"
            } else {
                what = "the file holds \(records) records, more than the \(CIFAR10.maximumImagesPerFile) "
                    + "of a CIFAR-10 batch file — is this the right file?"
            }
            return "\(name): \(what) " + Self.fetchCIFARAgain
        case let .cifarLabelOutOfRange(name, image, value):
            return "\(name): the label of image \(image) is \(value), not a class 0–9 — is this a "
                + "CIFAR-10 batch file? (CIFAR-100's records start with two label bytes.) "
                + Self.fetchCIFARAgain
        }
    }

    public var errorDescription: String? { description }
}

/// `[0x1F, 0x8B]` → `"1F 8B"`; with `prefix: "0x"`, `[0x0D]` → `"0x0D"`.
fileprivate func hex(_ bytes: [UInt8], prefix: String = "") -> String {
    bytes.map { byte in
        let digits = String(byte, radix: 16, uppercase: true)
        return prefix + (digits.count == 1 ? "0" + digits : digits)
    }.joined(separator: " ")
}

/// `[60000, 28, 28]` → `"60000×28×28"`.
fileprivate func times(_ shape: [Int]) -> String {
    shape.map(String.init).joined(separator: "×")
}

/// `"60000×28×28 = 47040000"`, or just `"3"` for one dimension.
fileprivate func sizes(_ shape: [Int], _ total: Int) -> String {
    shape.count == 1 ? "\(total)" : "\(times(shape)) = \(total)"
}

/// The IDX data types (the third byte of the header).
fileprivate func typeName(_ code: UInt8) -> String {
    switch code {
    case 0x08: return "unsigned byte"
    case 0x09: return "signed byte"
    case 0x0B: return "16-bit integer"
    case 0x0C: return "32-bit integer"
    case 0x0D: return "32-bit float"
    case 0x0E: return "64-bit float"
    default: return "not an IDX type"
    }
}

/// What an unsigned-byte IDX magic number holds: 2049 labels, 2051 images.
fileprivate func magicName(_ magic: Int) -> String {
    switch magic {
    case 2049: return "labels"
    case 2051: return "images"
    default: return "\(magic - 2048) dimensions"
    }
}
