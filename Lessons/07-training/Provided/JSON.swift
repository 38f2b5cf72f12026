// Lesson 07: reading and writing the JSON of a safetensors header (given — read it; you do not
// need to change it).
//
// Reading: `JSONValue.parse` is a small JSON parser (RFC 8259) for bytes from outside the
// program. A header comes from a file nobody vouches for, so the parser is bounded:
//
//  * It reads each byte once, never going back: time grows in proportion to the header.
//    (Foundation's JSONDecoder, the obvious alternative, decodes a value of unknown type by
//    trying each type in turn: a 1 KB header of 500 nested arrays takes it a second.)
//  * It refuses arrays and objects nested deeper than `JSONValue.maximumDepth`, 3 levels: all a
//    safetensors header needs. A header of `[[[[…` is refused at its fourth `[`.
//  * It refuses a key that appears twice in one object: which of the two would be the tensor?
//
// `JSONValue` keeps what it found together with its type, so the safetensors reader can check
// every field: `guard case .string(let dtype)? = entry["dtype"]`.
//
// Writing: `jsonQuoted` turns a name into a JSON string literal exactly as Rust's serde_json
// (used by Python's `safetensors`) does, so a file written here has the very bytes Python writes.

/// A JSON value of any kind, as parsed: the type is part of the value, so code that reads it must
/// say which type it expects.
///
///     let value = try JSONValue.parse(Array(#"{"shape":[2,3]}"#.utf8))
///     // .object(["shape": .array([.integer(2), .integer(3)])])
public enum JSONValue: Equatable {
    case null
    case bool(Bool)
    /// A number written without a fraction or an exponent that fits in an `Int`: `3`, `-1`, `0`.
    /// (`2.0` is not one: the Rust reader refuses it as a size too.)
    case integer(Int)
    /// Any other number: `0.5`, `2.0`, `1e3`, `1e300`, `18446744073709551616` (too big for an
    /// `Int`).
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// How deeply arrays and objects may nest: 3, exactly what a safetensors header needs.
    ///
    ///     {"weight": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}
    ///     └ 1        └ 2                       └ 3
    public static let maximumDepth = 3

    /// Parses JSON text (UTF-8). Throws `JSONError` if the bytes are not valid JSON, nest deeper
    /// than `maximumDepth`, or repeat a key within an object. A top-level value of any kind is
    /// accepted: check that it is an object. Whitespace before and after the value is fine.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws -> JSONValue
    where Bytes.Element == UInt8 {
        try Array(bytes).withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            return try parser.parseDocument()
        }
    }

    /// What kind of value this is, for error messages: "a string", "an array", "null", …
    public var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Why `JSONValue.parse` refused its input, and where: `offset` counts the bytes before the
/// problem, from 0. The description continues a sentence about the text ("the header …"):
///
///     try JSONValue.parse(Array(#"{"a" 1}"#.utf8))
///     // is not valid JSON at offset 5: ':' expected after a key, found '1'
public enum JSONError: Error, Equatable, CustomStringConvertible {
    /// Not JSON: `reason` says what was expected and what was found.
    case invalid(offset: Int, reason: String)
    /// An array or object opens at `offset` at depth `limit + 1`.
    case tooDeep(offset: Int, limit: Int)
    /// `key` appears a second time, at `offset`, in the same object.
    case duplicateKey(offset: Int, key: String)

    public var description: String {
        switch self {
        case let .invalid(offset, reason):
            return "is not valid JSON at offset \(offset): \(reason)"
        case let .tooDeep(offset, limit):
            return "nests arrays or objects more than \(limit) deep (at offset \(offset)), deeper "
                + "than a safetensors header ever needs"
        case let .duplicateKey(offset, key):
            return "has the key \(jsonQuoted(key)) twice in one object (again at offset \(offset))"
        }
    }
}

/// A recursive-descent parser: one function per kind of value, each starting at the value's first
/// byte and leaving `position` just after its last. Recursion goes no deeper than
/// `JSONValue.maximumDepth`, so no input can exhaust the stack. (`bytes` is a buffer pointer
/// rather than an array so that a debug build, which tests use, does not count a reference for
/// every byte it reads: that makes it about twice as fast.)
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    mutating func parseDocument() throws -> JSONValue {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else {
            throw invalid("the value ends, then \(found()) follows")
        }
        return value
    }

    /// The value starting at the next non-whitespace byte; `depth` arrays or objects enclose it.
    mutating func parseValue(depth: Int) throws -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw invalid("a value expected, found the end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw invalid("a value expected, found \(found())")
        }
    }

    /// `{ "key": value, … }`, the object at depth `depth`.
    mutating func parseObject(depth: Int) throws -> [String: JSONValue] {
        guard depth <= JSONValue.maximumDepth else {
            throw JSONError.tooDeep(offset: position, limit: JSONValue.maximumDepth)
        }
        position += 1  // {
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if skip("}") { return fields }
        while true {
            skipWhitespace()
            let keyOffset = position
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw invalid("a key in double quotes expected, found \(found())")
            }
            let key = try parseString()
            skipWhitespace()
            guard skip(":") else { throw invalid("':' expected after a key, found \(found())") }
            let value = try parseValue(depth: depth)
            if fields.updateValue(value, forKey: key) != nil {
                throw JSONError.duplicateKey(offset: keyOffset, key: key)
            }
            skipWhitespace()
            if skip(",") { continue }
            if skip("}") { return fields }
            throw invalid("',' or '}' expected after a value in an object, found \(found())")
        }
    }

    /// `[ value, … ]`, the array at depth `depth`.
    mutating func parseArray(depth: Int) throws -> [JSONValue] {
        guard depth <= JSONValue.maximumDepth else {
            throw JSONError.tooDeep(offset: position, limit: JSONValue.maximumDepth)
        }
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if skip("]") { return elements }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            if skip(",") { continue }
            if skip("]") { return elements }
            throw invalid("',' or ']' expected after a value in an array, found \(found())")
        }
    }

    /// `"…"`: the bytes between the quotes with escapes such as `\n` and `\u00e9` replaced by
    /// what they stand for; they must be UTF-8.
    mutating func parseString() throws -> String {
        let start = position
        position += 1  // the opening quote
        var unescaped: [UInt8] = []  // the string so far, once an escape has been met (each escape
                                     // adds a byte or more)
        var runStart = position  // bytes are copied as they are, a run at a time
        var isASCII = true  // no byte above 0x7F: then the string is UTF-8 without a check
                            // (escapes are encoded correctly by parseEscape)
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                if unescaped.isEmpty {  // no escapes: the bytes as they are
                    return try decodeUTF8(run, isASCII: isASCII, at: start)
                }
                unescaped += run
                return try unescaped.withUnsafeBufferPointer {
                    try decodeUTF8($0, isASCII: isASCII, at: start)
                }
            } else if byte == UInt8(ascii: "\\") {
                unescaped += UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                try parseEscape(into: &unescaped)
                runStart = position
            } else if byte < 0x20 {
                throw invalid("a control character (byte \(byte)) inside a string — it must be "
                              + "escaped, as \\n or \\u00XX")
            } else {
                isASCII = isASCII && byte < 0x80
                position += 1
            }
        }
        throw JSONError.invalid(offset: start, reason: "a string has no closing quote")
    }

    /// `utf8` as a `String`; throws if the bytes are not UTF-8.
    func decodeUTF8(_ utf8: UnsafeBufferPointer<UInt8>, isASCII: Bool, at offset: Int) throws
        -> String {
        let string = String(decoding: utf8, as: UTF8.self)
        // Decoding repairs bytes that are not UTF-8 (with U+FFFD); the bytes come back unchanged
        // exactly when there was nothing to repair. ASCII is always UTF-8.
        guard isASCII || string.utf8.elementsEqual(utf8) else {
            throw JSONError.invalid(offset: offset, reason: "a string is not UTF-8")
        }
        return string
    }

    /// The escape at `position` (`\n`, `\"`, `\u00e9`, a surrogate pair `\ud83d\ude00`, …),
    /// appended to `utf8` as the UTF-8 of what it stands for.
    mutating func parseEscape(into utf8: inout [UInt8]) throws {
        let start = position
        position += 1  // the backslash
        guard position < bytes.count else { throw invalid("an escape expected, found the end") }
        let letter = bytes[position]
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(letter)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var code = try parseHex4()
            if (0xD800...0xDBFF).contains(code) {  // a surrogate pair: two escapes, one character
                guard skip("\\"), skip("u") else {
                    throw JSONError.invalid(offset: start, reason: "\\u\(hex(code)) is half of a "
                                            + "surrogate pair, and the other half is missing")
                }
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONError.invalid(offset: start, reason: "\\u\(hex(code)) must be "
                                            + "followed by \\uDC00…\\uDFFF, found \\u\(hex(low))")
                }
                code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else {  // a lone \uDC00…\uDFFF
                throw JSONError.invalid(offset: start,
                                        reason: "\\u\(hex(code)) is half of a surrogate pair")
            }
            UTF8.encode(scalar) { utf8.append($0) }
        default:
            throw JSONError.invalid(offset: start, reason: "\\\(character(letter)) is not an "
                                    + "escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX are)")
        }
    }

    /// The 4 hexadecimal digits after `\u`.
    mutating func parseHex4() throws -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = hexDigit(bytes[position]) else {
                throw invalid("4 hexadecimal digits expected after \\u, found \(found())")
            }
            code = code << 4 + digit
            position += 1
        }
        return code
    }

    /// `-12`, `0`, `3.25`, `1e-3`: an optional minus, then 0 or digits not starting with 0, then
    /// perhaps a fraction and an exponent.
    mutating func parseNumber() throws -> JSONValue {
        let start = position
        let negative = skip("-")
        if !skip("0") {  // a leading 0 stands alone: 01 is not JSON
            try skipDigits(after: "'-'")
        }
        var isWhole = true
        if skip(".") {
            isWhole = false
            try skipDigits(after: "'.'")
        }
        if skip("e") || skip("E") {
            isWhole = false
            if !skip("+") { _ = skip("-") }
            try skipDigits(after: "the exponent's 'e'")
        }
        if isWhole, let value = wholeNumber(from: start, to: position, negative: negative) {
            return .integer(value)
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text) else {  // cannot happen for the grammar above
            throw JSONError.invalid(offset: start, reason: "\(text) is not a number")
        }
        return .number(value)
    }

    /// The `Int` that `bytes[start..<end]`, digits perhaps after a `-`, spell; nil if it does
    /// not fit.
    func wholeNumber(from start: Int, to end: Int, negative: Bool) -> Int? {
        let first = negative ? start + 1 : start
        guard end - first <= 18 else {  // rare: let the standard library check for overflow
            return Int(String(decoding: bytes[start..<end], as: UTF8.self))
        }
        var value = 0  // 18 digits always fit in an Int
        for index in first..<end {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }

    /// One digit or more; `after` names what came before them, for the message.
    mutating func skipDigits(after: String) throws {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"),
              bytes[position] <= UInt8(ascii: "9") {
            position += 1
        }
        guard position > start else {
            throw invalid("a digit expected after \(after), found \(found())")
        }
    }

    /// `true`, `false` or `null`, spelled exactly.
    mutating func parseWord(_ word: String) throws {
        for letter in word.utf8 {
            guard skip(letter) else { throw invalid("\(word) expected, found \(found())") }
        }
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                position += 1
            default:
                return
            }
        }
    }

    /// Moves past `byte` if it is next, and says whether it was.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        skip(UInt8(ascii: character))
    }

    /// What is at `position`, for messages: `'}'`, `byte 0xFF` or `the end`.
    func found() -> String {
        guard position < bytes.count else { return "the end" }
        let byte = bytes[position]
        return (0x21...0x7E).contains(byte) ? "'\(character(byte))'" : "byte 0x\(hex(byte))"
    }

    func invalid(_ reason: String) -> JSONError {
        .invalid(offset: position, reason: reason)
    }
}

private func character(_ byte: UInt8) -> Character {
    Character(Unicode.Scalar(byte))
}

/// The value of a hexadecimal digit: `'7'` → 7, `'b'` or `'B'` → 11; nil for any other byte.
private func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
}

/// `0xFF` → `"FF"`, `0xD800` → `"D800"`.
private func hex<Number: BinaryInteger>(_ number: Number) -> String {
    let digits = String(number, radix: 16, uppercase: true)
    return digits.count % 2 == 0 ? digits : "0" + digits
}

/// `text` as a JSON string literal, in double quotes, escaped as Rust's serde_json escapes it:
/// `"` and `\` get a backslash, the control characters below U+0020 become `\n`, `\t`, `\r`,
/// `\b`, `\f` or `\u00XX`, and everything else — `/` and non-ASCII letters included — is
/// written as it is (UTF-8).
///
///     jsonQuoted("0.weight")        // the 10 characters  "0.weight"
///     jsonQuoted("say \"hi\"\n")   // the 14 characters  "say \"hi\"\n"
public func jsonQuoted(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case "\n": quoted += "\\n"
        case "\r": quoted += "\\r"
        case "\t": quoted += "\\t"
        case "\u{08}": quoted += "\\b"
        case "\u{0C}": quoted += "\\f"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default:
            quoted.unicodeScalars.append(scalar)
        }
    }
    return quoted + "\""
}
