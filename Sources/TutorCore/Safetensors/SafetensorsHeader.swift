import Foundation

/// What a safetensors file says about itself — its header length, metadata, and every tensor's
/// name, dtype, shape and byte range — read and checked without reading the data: what
/// `tutor inspect` shows.
///
/// The tutor cannot import the course's own reader (lesson 07's `Safetensors.parse`, which the
/// learner writes), so this is the tutor's one reader of the format. Its limits are the lesson's:
/// a header of at most `maximumHeaderSize` bytes, JSON nested at most 3 deep (`HeaderJSON`), no
/// key twice; Tests/safetensors-interop.sh checks that both accept and refuse the same files at
/// those limits. Unlike the lesson's reader it knows every dtype of the format, not only the two
/// the course computes with, and it reports a damaged layout (overlapping or out-of-range
/// offsets) as `problems` beside the tensors instead of refusing the file.
public struct SafetensorsHeader: Equatable, Sendable {
    /// The largest header read, in bytes: 4 MB, as lesson 07's `Safetensors.maximumHeaderSize`
    /// (some 40,000 tensors; the Rust implementation allows 100 MB).
    public static let maximumHeaderSize = 4_000_000

    /// The size of the whole file.
    public var fileSize: Int
    /// `N`, the length of the JSON header after the 8 bytes that hold it.
    public var headerSize: Int
    /// `__metadata__`: nil when the file has none.
    public var metadata: [String: String]?
    /// Every tensor, in the order of their data (by `begin`, then `end`, then name).
    public var tensors: [Tensor]
    /// What is wrong with the layout of the data section; empty for a valid file.
    public var problems: [LayoutProblem]

    /// Where the data section starts in the file.
    public var dataStart: Int { 8 + headerSize }
    /// The size of the data section.
    public var dataSize: Int { fileSize - dataStart }
    /// The number of elements of every tensor together (at most `Int.max`: a damaged header can
    /// claim more).
    public var totalElements: Int { tensors.reduce(0) { saturatingSum($0, $1.elements) } }
    /// The data bytes every tensor needs together (at most `Int.max`).
    public var totalBytes: Int { tensors.reduce(0) { saturatingSum($0, $1.byteCount) } }

    /// One tensor's entry in the header.
    public struct Tensor: Equatable, Sendable {
        public var name: String
        public var dtype: SafetensorsDType
        public var shape: [Int]
        /// The product of `shape` (1 for a scalar, shape `[]`).
        public var elements: Int
        /// `data_offsets`: its bytes are `begin..<end` of the data section.
        public var begin: Int
        public var end: Int
        /// The bytes its elements take, `elements × dtype.bits / 8`, rounded up for F4 and F6
        /// (reading checked that the product fits in an `Int`).
        public var byteCount: Int {
            let bits = elements * dtype.bits
            return bits / 8 + (bits % 8 == 0 ? 0 : 1)
        }
    }

    /// What can be wrong with where the tensors' bytes are.
    public enum LayoutProblem: Equatable, Sendable {
        /// `begin` is after `end`, or `end` past the data section.
        case outOfRange(tensor: String, begin: Int, end: Int, dataSize: Int)
        /// `end − begin` is not what the dtype and shape need.
        case sizeMismatch(tensor: String, needed: Int, found: Int)
        /// F4 or F6 elements that do not fill whole bytes (the format requires it).
        case partialByte(tensor: String, dtype: SafetensorsDType, elements: Int)
        /// Two tensors claim some of the same bytes.
        case overlap(first: String, second: String)
        /// Bytes `begin..<end` of the data section belong to no tensor.
        case unusedBytes(begin: Int, end: Int)

        public var description: String {
            switch self {
            case let .outOfRange(tensor, begin, end, dataSize):
                let problem = begin > end ? "begin after end"
                    : "past the end of the data section, which holds \(groupedDigits(dataSize)) bytes"
                return "tensor \(quoted(tensor)) has data_offsets [\(begin), \(end)], \(problem)"
            case let .sizeMismatch(tensor, needed, found):
                return "tensor \(quoted(tensor)) needs \(groupedDigits(needed)) bytes for its dtype and shape, "
                    + "but its data_offsets span \(groupedDigits(found))"
            case let .partialByte(tensor, dtype, elements):
                return "tensor \(quoted(tensor)) has \(groupedDigits(elements)) elements of \(dtype.rawValue) "
                    + "(\(dtype.bits) bits each): not a whole number of bytes"
            case let .overlap(first, second):
                return "tensors \(quoted(first)) and \(quoted(second)) overlap in the data section"
            case let .unusedBytes(begin, end):
                return "bytes \(begin)..<\(end) of the data section belong to no tensor"
            }
        }
    }

    // MARK: Reading

    /// Reads the header of the safetensors file at `url`: its size, the 8-byte length, then only
    /// the header itself, never the data.
    public static func read(_ url: URL) throws -> SafetensorsHeader {
        let name = url.lastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw SafetensorsFileError.notFound(path: url.path)
        }
        guard !isFolder.boolValue else {
            throw SafetensorsFileError.unreadable(path: url.path, reason: "it is a folder, not a file")
        }
        do {
            let file = try FileHandle(forReadingFrom: url)
            defer { try? file.close() }
            let fileSize = Int(try file.seekToEnd())
            try file.seek(toOffset: 0)
            let length = [UInt8](try file.read(upToCount: 8) ?? Data())
            let headerSize = try checkedHeaderSize(length, fileSize: fileSize, name: name)
            let header = [UInt8](try file.read(upToCount: headerSize) ?? Data())
            guard header.count == headerSize else {  // the file shrank while it was read
                throw SafetensorsFileError.truncatedHeader(file: name, headerSize: UInt64(headerSize),
                                                           fileSize: 8 + header.count)
            }
            return try parse(header: header, fileSize: fileSize, name: name)
        } catch let error as SafetensorsFileError {
            throw error
        } catch {
            throw SafetensorsFileError.unreadable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The header of a whole safetensors file held in memory (`name` is for the messages).
    public static func parse(file bytes: [UInt8], name: String) throws -> SafetensorsHeader {
        let headerSize = try checkedHeaderSize(Array(bytes.prefix(8)), fileSize: bytes.count, name: name)
        return try parse(header: Array(bytes[8..<(8 + headerSize)]), fileSize: bytes.count, name: name)
    }

    /// `N` from the file's first 8 bytes (all of them if it has fewer), checked against the size
    /// of the file and then the limit, before anything else is read.
    static func checkedHeaderSize(_ first: [UInt8], fileSize: Int, name: String) throws -> Int {
        guard fileSize >= 8, first.count == 8 else {
            throw SafetensorsFileError.truncatedLength(file: name, fileSize: fileSize)
        }
        let length = first.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(fileSize - 8) else {
            throw SafetensorsFileError.truncatedHeader(file: name, headerSize: length, fileSize: fileSize)
        }
        guard length <= UInt64(maximumHeaderSize) else {
            throw SafetensorsFileError.headerTooLarge(file: name, headerSize: Int(length), limit: maximumHeaderSize)
        }
        return Int(length)
    }

    /// Checks and reads the JSON header of a file of `fileSize` bytes in one pass — the JSON
    /// (limits included), the metadata and every tensor's entry — then the layout. A value of the
    /// wrong type is read to its end before it is reported, so JSON nested too deep inside it is
    /// refused as that, as by the lesson's reader.
    static func parse(header: [UInt8], fileSize: Int, name: String) throws -> SafetensorsHeader {
        try header.withUnsafeBufferPointer { bytes in
            var json = HeaderJSON(bytes)
            var metadata: [String: String]?
            var tensors: [Tensor] = []
            do {
                let kind = json.peek()
                guard kind == .object else {
                    try json.skipValue()  // invalid JSON is said to be so first, as by the lesson's reader
                    try json.end()
                    throw SafetensorsFileError.invalidHeader(file: name, reason: "is \(kind.rawValue), not an object")
                }
                try json.beginObject()
                while let key = try json.nextKey() {
                    if key == "__metadata__" {
                        metadata = try readMetadata(&json, file: name)
                    } else {
                        tensors.append(try readEntry(&json, tensor: key, file: name))
                    }
                }
                try json.end()
            } catch let problem as HeaderJSON.Problem {
                throw SafetensorsFileError.invalidHeader(file: name, reason: problem.description)
            }
            tensors.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
            var result = SafetensorsHeader(fileSize: fileSize, headerSize: header.count, metadata: metadata,
                                           tensors: tensors, problems: [])
            result.problems = layoutProblems(tensors, dataSize: result.dataSize)
            return result
        }
    }

    private static func readMetadata(_ json: inout HeaderJSON, file: String) throws -> [String: String]? {
        if try json.null() { return nil }
        let kind = json.peek()
        guard kind == .object else {
            try json.skipValue()
            throw SafetensorsFileError.invalidMetadata(file: file, reason: "is \(kind.rawValue)")
        }
        var metadata: [String: String] = [:]
        try json.beginObject()
        while let key = try json.nextKey() {
            let kind = json.peek()
            guard kind == .string else {
                try json.skipValue()
                throw SafetensorsFileError.invalidMetadata(
                    file: file, reason: "has \(kind.rawValue) for \(quoted(key)), not a string")
            }
            metadata[key] = try json.string()
        }
        return metadata
    }

    private static func readEntry(_ json: inout HeaderJSON, tensor: String, file: String) throws -> Tensor {
        func invalid(_ reason: String) -> SafetensorsFileError {
            .invalidEntry(file: file, tensor: tensor, reason: reason)
        }
        let kind = json.peek()
        guard kind == .object else {
            try json.skipValue()
            throw invalid("its entry is \(kind.rawValue), not an object with \"dtype\", \"shape\" and \"data_offsets\"")
        }
        var dtypeName: String?
        var shape: [Int]?
        var offsets: [Int]?
        try json.beginObject()
        while let field = try json.nextKey() {
            switch field {
            case "dtype":
                let kind = json.peek()
                guard kind == .string else {
                    try json.skipValue()
                    throw invalid("\"dtype\" must be a string such as \"F32\", found \(kind.rawValue)")
                }
                dtypeName = try json.string()
            case "shape":
                shape = try wholeNumbers(&json, field: "shape", example: "[2, 3]", invalid: invalid)
            case "data_offsets":
                offsets = try wholeNumbers(&json, field: "data_offsets", example: "[0, 24]", invalid: invalid)
                guard offsets?.count == 2 else {
                    throw invalid("\"data_offsets\" must be two whole numbers ≥ 0, [begin, end], found \(offsets?.count ?? 0)")
                }
            default:  // the Rust reader ignores fields it does not know, and so does this one
                try json.skipValue()
            }
        }
        guard let dtypeName else { throw invalid("\"dtype\" is missing") }
        guard let shape else { throw invalid("\"shape\" is missing") }
        guard let offsets else { throw invalid("\"data_offsets\" is missing") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsFileError.unknownDtype(file: file, tensor: tensor, dtype: dtypeName)
        }
        var elements = 1
        for size in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow else { throw invalid("shape \(shape) holds more elements than any file can") }
            elements = product
        }
        guard !elements.multipliedReportingOverflow(by: dtype.bits).overflow else {
            throw invalid("shape \(shape) holds more elements than any file can")
        }
        return Tensor(name: tensor, dtype: dtype, shape: shape, elements: elements, begin: offsets[0], end: offsets[1])
    }

    /// An array of whole numbers ≥ 0, each fitting in an `Int`.
    private static func wholeNumbers(_ json: inout HeaderJSON, field: String, example: String,
                                     invalid: (String) -> SafetensorsFileError) throws -> [Int] {
        let kind = json.peek()
        guard kind == .array else {
            try json.skipValue()
            throw invalid("\"\(field)\" must be an array such as \(example), found \(kind.rawValue)")
        }
        var numbers: [Int] = []
        try json.beginArray()
        while try json.nextElement() {
            let element = json.peek()
            guard element == .number else {
                try json.skipValue()
                throw invalid("\"\(field)\" must hold whole numbers ≥ 0, found \(element.rawValue)")
            }
            guard case .whole(let value) = try json.number(), value >= 0 else {
                throw invalid("\"\(field)\" must hold whole numbers ≥ 0 (written without a point or an exponent)")
            }
            numbers.append(value)
        }
        return numbers
    }

    /// The layout checks of the format: each tensor inside the data section with the bytes its
    /// dtype and shape need, and the tensors, in order, covering the data section exactly.
    private static func layoutProblems(_ tensors: [Tensor], dataSize: Int) -> [LayoutProblem] {
        var problems: [LayoutProblem] = []
        var position = 0
        var previous: Tensor?
        for tensor in tensors {  // sorted by begin, then end
            guard tensor.begin <= tensor.end, tensor.end <= dataSize else {
                problems.append(.outOfRange(tensor: tensor.name, begin: tensor.begin, end: tensor.end, dataSize: dataSize))
                continue
            }
            if tensor.elements * tensor.dtype.bits % 8 != 0 {
                problems.append(.partialByte(tensor: tensor.name, dtype: tensor.dtype, elements: tensor.elements))
            } else if tensor.byteCount != tensor.end - tensor.begin {
                problems.append(.sizeMismatch(tensor: tensor.name, needed: tensor.byteCount, found: tensor.end - tensor.begin))
            }
            if tensor.begin < position, let previous {
                problems.append(.overlap(first: previous.name, second: tensor.name))
            } else if tensor.begin > position {
                problems.append(.unusedBytes(begin: position, end: tensor.begin))
            }
            if tensor.end >= position {
                position = tensor.end
                previous = tensor
            }
        }
        if position < dataSize { problems.append(.unusedBytes(begin: position, end: dataSize)) }
        return problems
    }
}

private func saturatingSum(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? Int.max : sum
}

/// Why a file could not be inspected: it is not there, cannot be read, or is not a safetensors
/// file. The messages name the file and say what is wrong in it.
public enum SafetensorsFileError: LocalizedError, Equatable {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    case truncatedLength(file: String, fileSize: Int)
    /// The header length says more bytes than the file has after its first 8.
    case truncatedHeader(file: String, headerSize: UInt64, fileSize: Int)
    case headerTooLarge(file: String, headerSize: Int, limit: Int)
    /// Not JSON, nested too deep, a key twice, or JSON but not an object.
    case invalidHeader(file: String, reason: String)
    case invalidMetadata(file: String, reason: String)
    case invalidEntry(file: String, tensor: String, reason: String)
    case unknownDtype(file: String, tensor: String, dtype: String)

    /// The exit status of `tutor inspect`: 2 when the file could not be read at all, 1 when it
    /// was read and is not a valid safetensors file.
    public var exitCode: Int32 {
        switch self {
        case .notFound, .unreadable: return 2
        default: return 1
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .notFound(path):
            return "\(path): no such file"
        case let .unreadable(path, reason):
            return "\(path): the file cannot be read (\(reason))"
        case let .truncatedLength(file, fileSize):
            return "\(file): the file has \(groupedDigits(fileSize)) bytes, but a safetensors file starts with an "
                + "8-byte header length — truncated or not a safetensors file"
        case let .truncatedHeader(file, headerSize, fileSize):
            return "\(file): the header says \(groupedDigits(headerSize)) bytes of JSON but the file has "
                + "\(groupedDigits(fileSize)) bytes — truncated or not a safetensors file"
        case let .headerTooLarge(file, headerSize, limit):
            return "\(file): the header says \(groupedDigits(headerSize)) bytes of JSON, more than the limit of "
                + "\(groupedDigits(limit)) (about 100 bytes a tensor) — the file is damaged, is not a safetensors "
                + "file, or holds more tensors than the course's readers take"
        case let .invalidHeader(file, reason):
            return "\(file): the header \(reason) — a safetensors header is a JSON object such as "
                + #"{"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#
        case let .invalidMetadata(file, reason):
            return "\(file): __metadata__ \(reason) — it must be an object of strings, such as {\"format\":\"pt\"}"
        case let .invalidEntry(file, tensor, reason):
            return "\(file): tensor \(quoted(tensor)): \(reason)"
        case let .unknownDtype(file, tensor, dtype):
            let known = SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): tensor \(quoted(tensor)) has dtype \(quoted(dtype)), which is not a safetensors dtype "
                + "(they are \(known))"
        }
    }
}
