// Lesson 07, file 4 of 6: safetensors — the checkpoint format of Hugging Face, readable by
// Python's `safetensors` package and written here byte for byte as it writes it.
//
//     ┌───────────────┬───────────────────────────────────┬──────────────────────────────┐
//     │ 8 bytes       │ N bytes                           │ the data section             │
//     │ N, a UInt64,  │ JSON header, UTF-8, padded with   │ every tensor's numbers, raw, │
//     │ little-endian │ spaces so that 8 + N is a         │ little-endian, one tensor    │
//     │               │ multiple of 8                     │ after another                │
//     └───────────────┴───────────────────────────────────┴──────────────────────────────┘
//
//     {"__metadata__":{"format":"np"},
//      "bias":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},
//      "weight":{"dtype":"F32","shape":[2,3],"data_offsets":[16,40]}}
//
// `data_offsets` are `[begin, end)` byte positions counted from the start of the data section.
// Reading trusts nothing: every number in the file is checked before it is used.

import Foundation  // Data and URL, to read and write files
import TinyTorchTensor

/// Reads and writes safetensors files (https://github.com/huggingface/safetensors).
///
///     try Safetensors.save([(name: "weight", tensor: w)], metadata: ["epoch": "3"], to: url)
///     let (tensors, metadata) = try Safetensors.load(url)
///     tensors["weight"]!.shape        // w.shape
///
/// Files are written with dtype F32. Reading accepts F32 and F64 (converted to `Float`; NumPy's
/// default dtype is float64) and rejects every other dtype with `CheckpointError.unsupportedDtype`.
public enum Safetensors {
    /// The largest header `parse` accepts, in bytes: 4 MB. A tensor's entry takes about 100
    /// bytes, so that is some 40,000 tensors; a 70-billion-parameter Llama has 723, and models too
    /// big for one file are split into files of a few hundred tensors each. Parsed, a header
    /// takes up to 25 times its size in memory: 4 MB stays near 100 MB, where the Rust
    /// implementation's limit, 100 MB, could take gigabytes. A bigger header is refused before
    /// any of it is parsed.
    public static let maximumHeaderSize = 4_000_000

    /// The bytes of a safetensors file holding `tensors` (as F32) and `metadata`.
    ///
    /// Done as Python's `safetensors.numpy.save` does it, so that both write the same bytes:
    ///
    ///  1. Names must be non-empty, not `__metadata__`, and all different; otherwise throw
    ///     `CheckpointError.invalidName`.
    ///  2. Sort the tensors by name, comparing the UTF-8 bytes (`a.utf8.lexicographicallyPrecedes
    ///     (b.utf8)`); the data section holds them in that order.
    ///  3. The header, with no spaces: `{`, then `"__metadata__":{"key":"value",…}` with the keys
    ///     sorted the same way (Python leaves them in hash order; sorting makes the bytes the same
    ///     every time; left out when `metadata` is empty), then for each tensor
    ///     `"name":{"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]}`, separated by `,`,
    ///     then `}`. Every string goes through `jsonQuoted(_:)`. `begin` is where the tensor
    ///     starts in the data section, `end = begin + 4 · count`.
    ///  4. Append spaces to the header until its length is a multiple of 8.
    ///  5. The file: the header's length as 8 little-endian bytes, the header, then every float's
    ///     `bitPattern` as 4 little-endian bytes, tensor after tensor.
    ///
    ///     try Safetensors.encode([(name: "b", tensor: Tensor([1]))])
    ///     // 38 00 00 00 00 00 00 00                                   N = 56, little-endian
    ///     // {"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}    54 bytes of JSON
    ///     // 20 20                                                     2 spaces: 8 + 56 = 64
    ///     // 00 00 80 3F                                               1.0 as 4 bytes
    public static func encode(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]
    ) throws -> [UInt8] {
        var names: Set<String> = []
        for (name, _) in tensors {
            guard !name.isEmpty else {
                throw CheckpointError.invalidName(name: name, reason: "a name cannot be empty")
            }
            guard name != "__metadata__" else {
                throw CheckpointError.invalidName(
                    name: name, reason: "__metadata__ is reserved for the metadata")
            }
            guard names.insert(name).inserted else {
                throw CheckpointError.invalidName(
                    name: name, reason: "two tensors have this name — names must be unique")
            }
        }
        let sorted = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }

        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { jsonQuoted($0.key) + ":" + jsonQuoted($0.value) }
            entries.append(jsonQuoted("__metadata__") + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in sorted {
            let end = offset + 4 * tensor.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(jsonQuoted(name) + #":{"dtype":"F32","shape":["# + shape
                           + #"],"data_offsets":["# + "\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        appendLittleEndian(UInt64(header.count), to: &bytes)
        bytes += header
        for (_, tensor) in sorted {
            for value in tensor.data {
                appendLittleEndian(value.bitPattern, to: &bytes)
            }
        }
        return bytes
    }

    /// Writes `encode(tensors, metadata:)` to `url` (atomically: a crash while writing leaves the
    /// old file, never half a new one). Throws `CheckpointError.invalidName` from `encode`, or
    /// `.unwritable(file:reason:)` if the file cannot be written.
    ///
    ///     try Safetensors.save(model.namedParameters(), metadata: ["epochs": "10"], to: url)
    public static func save(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
        to url: URL
    ) throws {
        let bytes = try encode(tensors, metadata: metadata)
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw CheckpointError.unwritable(file: url.lastPathComponent,
                                             reason: error.localizedDescription)
        }
    }

    /// Reads the safetensors file at `url`: `parse` of its bytes, with the file's name in the
    /// messages. Throws `.fileNotFound` if there is no such file, `.unreadable` if it cannot be
    /// read, and whatever `parse` throws.
    public static func load(_ url: URL) throws -> (tensors: [String: Tensor],
                                                    metadata: [String: String]) {
        let name = url.lastPathComponent
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CheckpointError.fileNotFound(file: name,
                                               directory: url.deletingLastPathComponent().path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CheckpointError.unreadable(file: name, reason: error.localizedDescription)
        }
        return try parse([UInt8](data), name: name)
    }

    /// The tensors and metadata in the bytes of a safetensors file, every field checked: any
    /// input at all gives either the tensors or a `CheckpointError` — never a crash, never an
    /// allocation larger than the input.
    ///
    /// The checks, in order (`name` is for the messages):
    ///
    ///  1. At least 8 bytes (`truncatedLength`). The first 8 are the header length `N`, a
    ///     little-endian `UInt64`. `N` must fit in the rest of the file (`truncatedHeader`) —
    ///     compare as `UInt64` before converting to `Int` — and be at most `maximumHeaderSize`
    ///     (`headerTooLarge`).
    ///  2. The header parses with `JSONValue.parse`, which also refuses arrays and objects nested
    ///     more than 3 deep and a key given twice (`invalidHeader`, with the `JSONError`'s
    ///     description as the reason: `"\(error)"`), and is an object (`invalidHeader`, naming
    ///     what it is instead).
    ///  3. `__metadata__`, if present and not null, is an object of strings (`invalidMetadata`).
    ///  4. For every other key, in sorted order — one tensor's entry: an object (`invalidEntry`)
    ///     with `"dtype"` a string, `"shape"` an array of integers ≥ 0 and `"data_offsets"` an
    ///     array of two integers ≥ 0 (`invalidEntry`, saying which field and what it found);
    ///     the dtype is F32 or F64 (`unsupportedDtype`); `begin ≤ end ≤` the size of the data
    ///     section (`offsetsOutOfRange`); the product of the shape times the dtype's size,
    ///     computed with `multipliedReportingOverflow(by:)` (`invalidEntry` on overflow), equals
    ///     `end − begin` (`sizeMismatch`).
    ///  5. Sorted by `begin` (then `end`), the tensors must tile the data section exactly: each
    ///     begins where the one before ended (`overlappingTensors` if earlier, `unusedBytes` if
    ///     later), and the last one ends at the end of the file (`unusedBytes`). This is what
    ///     the Rust implementation checks.
    ///  6. Only now, read each tensor's numbers: F32 as `Float(bitPattern:)` of 4 little-endian
    ///     bytes, F64 as `Float(Double(bitPattern:))` of 8.
    ///
    /// `maximumHeaderSize` can be lowered, to test the limit with a small input.
    ///
    ///     try Safetensors.parse(Safetensors.encode([(name: "b", tensor: Tensor([1]))]))
    ///     // (tensors: ["b": Tensor([1])], metadata: [:])
    public static func parse(
        _ bytes: [UInt8], name: String = "safetensors data",
        maximumHeaderSize: Int = maximumHeaderSize
    ) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        // 1. The header length, checked against the file before anything is read or allocated.
        guard bytes.count >= 8 else {
            throw CheckpointError.truncatedLength(file: name, fileSize: bytes.count)
        }
        var length: UInt64 = 0
        for index in 0..<8 {
            length |= UInt64(bytes[index]) << (8 * UInt64(index))
        }
        guard length <= UInt64(bytes.count - 8) else {
            throw CheckpointError.truncatedHeader(file: name, headerSize: length,
                                                  fileSize: bytes.count)
        }
        let headerSize = Int(length)  // exact: it is at most bytes.count - 8
        guard headerSize <= maximumHeaderSize else {
            throw CheckpointError.headerTooLarge(file: name, headerSize: headerSize,
                                                 limit: maximumHeaderSize)
        }
        let dataStart = 8 + headerSize
        let dataSize = bytes.count - dataStart

        // 2. The JSON header.
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes[8..<dataStart])
        } catch {
            throw CheckpointError.invalidHeader(file: name, reason: "\(error)")
        }
        guard case .object(let header) = json else {
            throw CheckpointError.invalidHeader(file: name,
                                                reason: "is \(json.kind), not an object")
        }

        // 3. The metadata.
        var metadata: [String: String] = [:]
        switch header["__metadata__"] {
        case nil, .null?:
            break
        case .object(let pairs)?:
            for (key, value) in pairs {
                guard case .string(let text) = value else {
                    throw CheckpointError.invalidMetadata(
                        file: name, reason: "has \(value.kind) for \"\(key)\", not a string")
                }
                metadata[key] = text
            }
        case let other?:
            throw CheckpointError.invalidMetadata(file: name, reason: "is \(other.kind)")
        }

        // 4. Every tensor's entry.
        var entries: [Entry] = []
        for tensorName in header.keys.sorted() where tensorName != "__metadata__" {
            if let value = header[tensorName] {
                entries.append(try Entry(tensorName, value, dataSize: dataSize, file: name))
            }
        }

        // 5. The tensors tile the data section: no overlap, no gap, nothing after the last.
        var position = 0
        var previous: Entry?
        for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if entry.begin < position, let previous {
                throw CheckpointError.overlappingTensors(file: name, first: previous.name,
                                                         second: entry.name)
            }
            if entry.begin > position {
                throw CheckpointError.unusedBytes(file: name, begin: position, end: entry.begin)
            }
            position = entry.end
            previous = entry
        }
        if position != dataSize {
            throw CheckpointError.unusedBytes(file: name, begin: position, end: dataSize)
        }

        // 6. The numbers.
        var tensors: [String: Tensor] = [:]
        for entry in entries {
            let values = decodeValues(bytes, from: dataStart + entry.begin, count: entry.count,
                                      dtype: entry.dtype)
            tensors[entry.name] = Tensor(shape: entry.shape, data: values)
        }
        return (tensors, metadata)
    }
}

// MARK: - Reading, step by step

/// The dtypes this reader converts to `Float`, with their size in bytes.
private enum DType: String {
    case f32 = "F32"
    case f64 = "F64"

    var size: Int {
        switch self {
        case .f32: return 4
        case .f64: return 8
        }
    }
}

/// One tensor's entry in the header, checked: its dtype, shape and byte range are consistent
/// with each other and with the data section.
private struct Entry {
    let name: String
    let dtype: DType
    let shape: [Int]
    let count: Int
    let begin: Int
    let end: Int

    init(_ name: String, _ value: JSONValue, dataSize: Int, file: String) throws {
        func invalid(_ reason: String) -> CheckpointError {
            .invalidEntry(file: file, tensor: name, reason: reason)
        }
        func found(_ value: JSONValue?) -> String {
            value.map { "found \($0.kind)" } ?? "it is missing"
        }
        guard case .object(let fields) = value else {
            throw invalid("its entry is \(value.kind), not an object with \"dtype\", \"shape\" "
                          + "and \"data_offsets\"")
        }
        guard case .string(let dtypeName)? = fields["dtype"] else {
            throw invalid("\"dtype\" must be a string such as \"F32\", \(found(fields["dtype"]))")
        }
        guard case .array(let sizes)? = fields["shape"] else {
            throw invalid("\"shape\" must be an array such as [2, 3], \(found(fields["shape"]))")
        }
        var shape: [Int] = []
        for size in sizes {
            guard case .integer(let value) = size, value >= 0 else {
                throw invalid("\"shape\" must hold whole numbers ≥ 0, found \(size.kind)"
                              + (size.integerValue.map { " \($0)" } ?? ""))
            }
            shape.append(value)
        }
        guard case .array(let offsets)? = fields["data_offsets"], offsets.count == 2,
              case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1],
              begin >= 0, end >= 0 else {
            throw invalid("\"data_offsets\" must be two whole numbers ≥ 0, [begin, end], "
                          + found(fields["data_offsets"]))
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw CheckpointError.unsupportedDtype(file: file, tensor: name, dtype: dtypeName)
        }
        guard begin <= end, end <= dataSize else {
            throw CheckpointError.offsetsOutOfRange(file: file, tensor: name, begin: begin,
                                                    end: end, dataSize: dataSize)
        }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw invalid("shape \(shape) holds more numbers than any file can")
            }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else {
            throw invalid("shape \(shape) holds more numbers than any file can")
        }
        guard byteCount == end - begin else {
            throw CheckpointError.sizeMismatch(file: file, tensor: name, dtype: dtypeName,
                                               shape: shape, expected: byteCount,
                                               found: end - begin)
        }
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.count = count
        self.begin = begin
        self.end = end
    }
}

private extension JSONValue {
    /// The number, if this is an integer: for messages that show a wrong value (`-1`).
    var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }
}

/// `count` numbers of `dtype` from `bytes`, starting at byte `start`, little-endian, as `Float`s.
/// The caller has checked that they are all inside `bytes`.
private func decodeValues(_ bytes: [UInt8], from start: Int, count: Int, dtype: DType) -> [Float] {
    var values: [Float] = []
    values.reserveCapacity(count)
    bytes.withUnsafeBytes { raw in
        for index in 0..<count {
            let offset = start + index * dtype.size
            switch dtype {
            case .f32:
                let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset,
                                                                  as: UInt32.self))
                values.append(Float(bitPattern: bits))
            case .f64:
                let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset,
                                                                  as: UInt64.self))
                values.append(Float(Double(bitPattern: bits)))
            }
        }
    }
    return values
}

// MARK: - Writing

/// Appends `value` as little-endian bytes, least significant first: `0x3F80_0000` (1.0 as a
/// float's bits) becomes `00 00 80 3F`.
private func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
    var remaining = value.littleEndian
    withUnsafeBytes(of: &remaining) { bytes.append(contentsOf: $0) }
}
