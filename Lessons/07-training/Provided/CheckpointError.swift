// Lesson 07: the errors a checkpoint file can cause (given — read it; you do not need to change
// it).

import Foundation

/// What can go wrong when saving a model, reading a safetensors file, or loading it into a model.
/// Given: read it, you do not need to change it.
///
/// Every message says which file, what is wrong in it, and what to do:
///
///     model.safetensors: the header says 1,000,000,000 bytes of JSON but the file has 812
///     bytes — truncated or not a safetensors file
///
/// These are errors, not failed `require`s: a checkpoint comes from outside the program (a disk, a
/// download, another program), so a bad one is not a bug in your code, and the caller decides
/// what to do. `file` is the file's name (`url.lastPathComponent`), or whatever name the caller
/// gave `Safetensors.parse`.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, LocalizedError {
    // MARK: Files

    /// The file does not exist.
    case fileNotFound(file: String, directory: String)
    /// The file exists but could not be read (permissions, a folder, …).
    case unreadable(file: String, reason: String)
    /// The file could not be written (no such folder, no permission, disk full, …).
    case unwritable(file: String, reason: String)

    // MARK: The 8-byte header length and the JSON header

    /// The file is shorter than the 8 bytes of the header length.
    case truncatedLength(file: String, fileSize: Int)
    /// The header length says more bytes than the file has after its first 8. `headerSize` is
    /// the number as written, which may be absurd (up to 2⁶⁴ − 1).
    case truncatedHeader(file: String, headerSize: UInt64, fileSize: Int)
    /// The header is longer than `limit` bytes (4 MB, `Safetensors.maximumHeaderSize`: some
    /// 40,000 tensors). Real headers are far smaller, so the file is damaged or unusually large,
    /// and parsing it could take more memory than a reader should.
    case headerTooLarge(file: String, headerSize: Int, limit: Int)
    /// The header is not a JSON object: not JSON at all, not UTF-8, or JSON of another kind.
    case invalidHeader(file: String, reason: String)
    /// `__metadata__` is not an object whose values are all strings.
    case invalidMetadata(file: String, reason: String)
    /// A tensor's entry lacks a field or has a field of the wrong type or value.
    case invalidEntry(file: String, tensor: String, reason: String)
    /// A tensor's `dtype` is not one this reader converts to `Float` (F32 and F64).
    case unsupportedDtype(file: String, tensor: String, dtype: String)

    // MARK: The data section

    /// A tensor's `data_offsets` `[begin, end]` do not lie inside the data section of
    /// `dataSize` bytes (or `begin` is after `end`).
    case offsetsOutOfRange(file: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// A tensor's bytes, `end − begin = found`, are not `expected`, its element count times the
    /// size of its dtype.
    case sizeMismatch(file: String, tensor: String, dtype: String, shape: [Int], expected: Int,
                      found: Int)
    /// Two tensors claim some of the same bytes.
    case overlappingTensors(file: String, first: String, second: String)
    /// Bytes `begin..<end` of the data section belong to no tensor: a gap between two tensors,
    /// or bytes after the last one.
    case unusedBytes(file: String, begin: Int, end: Int)

    // MARK: Saving

    /// A tensor cannot be saved under `name`: it is empty, is the reserved `__metadata__`, or
    /// is used twice.
    case invalidName(name: String, reason: String)

    // MARK: Loading into a model

    /// The model has a parameter `name` that the file does not hold. `available`: the file's
    /// tensor names, sorted.
    case missingTensor(file: String, name: String, available: [String])
    /// The file holds a tensor `name` that the model has no parameter for.
    case unexpectedTensor(file: String, name: String)
    /// The file's tensor `name` has shape `found`, the model's parameter `expected`.
    case shapeMismatch(file: String, name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case let .fileNotFound(file, directory):
            return "\(file): no such file in \(directory) — check the path, or train and save a "
                + "model first"
        case let .unreadable(file, reason):
            return "\(file): the file cannot be read (\(reason))"
        case let .unwritable(file, reason):
            return "\(file): the file cannot be written (\(reason)) — does its folder exist, and "
                + "may you write there?"
        case let .truncatedLength(file, fileSize):
            return "\(file): the file has \(bytes(fileSize)), but a safetensors file starts with "
                + "an 8-byte header length — truncated or not a safetensors file"
        case let .truncatedHeader(file, headerSize, fileSize):
            return "\(file): the header says \(grouped(headerSize)) bytes of JSON but the file "
                + "has \(bytes(fileSize)) — truncated or not a safetensors file"
        case let .headerTooLarge(file, headerSize, limit):
            return "\(file): the header says \(grouped(headerSize)) bytes of JSON, more than this "
                + "reader's limit of \(grouped(limit)) (about 100 bytes a tensor) — the file is "
                + "damaged, is not a safetensors file, or holds more tensors than this reader takes"
        case let .invalidHeader(file, reason):
            return "\(file): the header \(reason) — a safetensors header is a JSON object such as "
                + #"{"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#
        case let .invalidMetadata(file, reason):
            return "\(file): __metadata__ \(reason) — it must be an object of strings, such as "
                + #"{"format":"pt"}"#
        case let .invalidEntry(file, tensor, reason):
            return "\(file): tensor \"\(tensor)\": \(reason)"
        case let .unsupportedDtype(file, tensor, dtype):
            return "\(file): tensor \"\(tensor)\" has dtype \"\(dtype)\", which this reader does "
                + "not read — it reads F32 and F64 (in Python, save arr.astype(np.float32))"
        case let .offsetsOutOfRange(file, tensor, begin, end, dataSize):
            let problem = begin > end ? "begin after end"
                : "past the end of the data section, which holds \(bytes(dataSize))"
            return "\(file): tensor \"\(tensor)\" has data_offsets [\(begin), \(end)], \(problem) "
                + "— truncated, or a damaged header"
        case let .sizeMismatch(file, tensor, dtype, shape, expected, found):
            return "\(file): tensor \"\(tensor)\" is \(dtype) of shape \(shape), which needs "
                + "\(bytes(expected)), but its data_offsets span \(bytes(found))"
        case let .overlappingTensors(file, first, second):
            return "\(file): tensors \"\(first)\" and \"\(second)\" overlap in the data section "
                + "— every byte belongs to exactly one tensor; the offsets are damaged"
        case let .unusedBytes(file, begin, end):
            return "\(file): bytes \(begin)..<\(end) of the data section belong to no tensor — "
                + "the offsets are damaged, or something was appended to the file"
        case let .invalidName(name, reason):
            return "cannot save a tensor named \"\(name)\": \(reason)"
        case let .missingTensor(file, name, available):
            let shown = available.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
            let list = available.isEmpty ? "it holds no tensors"
                : "it holds \(shown)\(available.count > 8 ? ", …" : "")"
            return "\(file): the model has a parameter \"\(name)\", but the file has no tensor of "
                + "that name (\(list)) — was it saved from a different model?"
        case let .unexpectedTensor(file, name):
            return "\(file): the file holds a tensor \"\(name)\" that the model has no parameter "
                + "for — was it saved from a different model?"
        case let .shapeMismatch(file, name, expected, found):
            return "\(file): tensor \"\(name)\" has shape \(found) in the file, but the model's "
                + "parameter has shape \(expected) — were the layer sizes changed?"
        }
    }

    public var errorDescription: String? { description }
}

/// `1000000000` → `"1,000,000,000"`: big numbers are easier to read in groups of three.
fileprivate func grouped<Number: BinaryInteger>(_ number: Number) -> String {
    let digits = Array(String(number))
    var text = ""
    for (index, digit) in digits.enumerated() {
        let startsGroup = (digits.count - index) % 3 == 0
        if index > 0 && startsGroup && digit != "-" && digits[index - 1] != "-" {
            text += ","
        }
        text.append(digit)
    }
    return text
}

/// `1` → `"1 byte"`, `812` → `"812 bytes"`.
fileprivate func bytes(_ count: Int) -> String {
    count == 1 ? "1 byte" : "\(grouped(count)) bytes"
}
