import Foundation

/// A JSON reader (RFC 8259) for safetensors headers, bounded as lesson 07's `JSONValue.parse`
/// is: it reads each byte once, refuses arrays and objects nested more than `maximumDepth` deep,
/// and refuses a key given twice in one object. Instead of building a tree of values it lets the
/// caller walk the header and keep only what it needs (`SafetensorsHeader`), so memory stays a
/// small multiple of the header whatever its shape.
///
///     var json = HeaderJSON(bytes)
///     try json.beginObject()
///     while let key = try json.nextKey() { … try json.string() … try json.skipValue() … }
///     try json.end()
struct HeaderJSON {
    /// The nesting a safetensors header needs: the header, a tensor's entry, its shape.
    static let maximumDepth = 3

    /// Why the text was refused, and where (`offset`, from 0).
    enum Problem: Error, Equatable, CustomStringConvertible {
        case invalid(offset: Int, reason: String)
        case tooDeep(offset: Int)
        case duplicateKey(offset: Int, key: String)

        /// Words that continue "the header …", as lesson 07's `JSONError` says them.
        var description: String {
            switch self {
            case let .invalid(offset, reason):
                return "is not valid JSON at offset \(offset): \(reason)"
            case let .tooDeep(offset):
                return "nests arrays or objects more than \(HeaderJSON.maximumDepth) deep (at offset \(offset)), "
                    + "deeper than a safetensors header ever needs"
            case let .duplicateKey(offset, key):
                return "has the key \(quoted(key)) twice in one object (again at offset \(offset))"
            }
        }
    }

    /// What kind of value starts at the next byte, for the caller's choices and messages.
    enum Kind: String {
        case object = "an object", array = "an array", string = "a string", number = "a number"
        case bool = "true or false", null = "null", end = "nothing"
    }

    /// A number as written: whole (no fraction, no exponent) and fitting in an `Int`, or not.
    enum Number: Equatable {
        case whole(Int)
        case other
    }

    /// The bytes and the position in them: a plain value, so that a debug build (`swift run
    /// tutor`) does not copy and reference-count this reader's arrays for every byte it reads.
    private var cursor: Cursor
    /// The keys seen so far in each object being read, innermost last; arrays hold nil.
    private var open: [Set<String>?] = []
    /// Whether the container being read has had an element or member yet (for the commas).
    private var started: [Bool] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        cursor = Cursor(bytes: bytes)
    }

    // MARK: Containers

    mutating func beginObject() throws {
        try begin(Byte.openBrace, keys: [])
    }

    mutating func beginArray() throws {
        try begin(Byte.openBracket, keys: nil)
    }

    /// The next key of the object being read, with its `:` consumed; nil at its `}`.
    mutating func nextKey() throws -> String? {
        guard try nextMember(closing: Byte.closeBrace) else { return nil }
        cursor.skipWhitespace()
        let keyOffset = cursor.position
        guard cursor.next == Byte.quote else {
            throw cursor.invalid("a key in double quotes expected, found \(cursor.found())")
        }
        let key = try cursor.string()
        guard open[open.count - 1]?.insert(key).inserted == true else {
            throw Problem.duplicateKey(offset: keyOffset, key: key)
        }
        cursor.skipWhitespace()
        guard cursor.skip(Byte.colon) else { throw cursor.invalid("':' expected after a key, found \(cursor.found())") }
        return key
    }

    /// Whether the array being read has another element (then read it); false at its `]`.
    mutating func nextElement() throws -> Bool {
        try nextMember(closing: Byte.closeBracket)
    }

    // MARK: Values

    /// The kind of the next value, without reading it.
    mutating func peek() -> Kind {
        cursor.skipWhitespace()
        return cursor.kind()
    }

    mutating func string() throws -> String {
        guard peek() == .string else { throw cursor.invalid("a string expected, found \(cursor.found())") }
        return try cursor.string()
    }

    mutating func number() throws -> Number {
        guard peek() == .number else { throw cursor.invalid("a number expected, found \(cursor.found())") }
        return try cursor.number()
    }

    /// `null`, read if it is next; whether it was.
    mutating func null() throws -> Bool {
        guard peek() == .null else { return false }
        try cursor.word("null")
        return true
    }

    /// Reads past the next value of any kind, checking it as it goes (depth and keys included).
    mutating func skipValue() throws {
        switch peek() {
        case .object:
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case .array:
            try beginArray()
            while try nextElement() { try skipValue() }
        case .string: _ = try cursor.string()
        case .number: _ = try cursor.number()
        case .bool: try cursor.word(cursor.next == Byte.t ? "true" : "false")
        case .null: try cursor.word("null")
        case .end: throw cursor.invalid("a value expected, found \(cursor.found())")
        }
    }

    /// Only whitespace may follow the top-level value.
    mutating func end() throws {
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw cursor.invalid("the value ends, then \(cursor.found()) follows") }
    }

    private mutating func begin(_ opening: UInt8, keys: Set<String>?) throws {
        cursor.skipWhitespace()
        guard cursor.next == opening else {
            throw cursor.invalid("'\(Character(Unicode.Scalar(opening)))' expected, found \(cursor.found())")
        }
        guard open.count < Self.maximumDepth else { throw Problem.tooDeep(offset: cursor.position) }
        cursor.position += 1
        open.append(keys)
        started.append(false)
    }

    /// Past the `,` before the next member of the innermost container, or past its closing byte.
    private mutating func nextMember(closing: UInt8) throws -> Bool {
        cursor.skipWhitespace()
        if cursor.skip(closing) {
            open.removeLast()
            started.removeLast()
            return false
        }
        if started[started.count - 1] {
            guard cursor.skip(Byte.comma) else {
                throw cursor.invalid("',' or '\(Character(Unicode.Scalar(closing)))' expected, found \(cursor.found())")
            }
        } else {
            started[started.count - 1] = true
        }
        return true
    }
}

/// The bytes the JSON syntax is made of.
private enum Byte {
    static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, comma: UInt8 = 0x2C, colon: UInt8 = 0x3A
    static let openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D, openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D
    static let minus: UInt8 = 0x2D, plus: UInt8 = 0x2B, point: UInt8 = 0x2E, zero: UInt8 = 0x30, nine: UInt8 = 0x39
    static let e: UInt8 = 0x65, capitalE: UInt8 = 0x45, t: UInt8 = 0x74, f: UInt8 = 0x66, n: UInt8 = 0x6E
}

/// The text and a position in it, with the reading of strings, numbers and words.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var atEnd: Bool { position >= bytes.count }
    var next: UInt8? { position < bytes.count ? bytes[position] : nil }

    func kind() -> HeaderJSON.Kind {
        guard position < bytes.count else { return .end }
        switch bytes[position] {
        case Byte.openBrace: return .object
        case Byte.openBracket: return .array
        case Byte.quote: return .string
        case Byte.t, Byte.f: return .bool
        case Byte.n: return .null
        case Byte.minus, Byte.zero...Byte.nine: return .number
        default: return .end
        }
    }

    /// Moves past `byte` if it is next, and says whether it was.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1  // space, \n, \r, \t
            default: return
            }
        }
    }

    /// The string at `position` (its opening quote), unescaped; it must be UTF-8.
    mutating func string() throws -> String {
        let start = position
        position += 1
        var unescaped: [UInt8] = []
        var runStart = position
        var isASCII = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Byte.quote {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                if unescaped.isEmpty { return try decode(run, isASCII: isASCII, at: start) }
                unescaped += run
                return try unescaped.withUnsafeBufferPointer { try decode($0, isASCII: isASCII, at: start) }
            } else if byte == Byte.backslash {
                unescaped += UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                try escape(into: &unescaped)  // adds a byte or more: `unescaped` is no longer empty
                runStart = position
            } else if byte < 0x20 {
                throw invalid("a control character (byte \(byte)) inside a string — it must be escaped")
            } else {
                isASCII = isASCII && byte < 0x80
                position += 1
            }
        }
        throw HeaderJSON.Problem.invalid(offset: start, reason: "a string has no closing quote")
    }

    private func decode(_ utf8: UnsafeBufferPointer<UInt8>, isASCII: Bool, at offset: Int) throws -> String {
        let string = String(decoding: utf8, as: UTF8.self)
        // Decoding repairs bad UTF-8 with U+FFFD: unchanged bytes mean there was none.
        guard isASCII || string.utf8.elementsEqual(utf8) else {
            throw HeaderJSON.Problem.invalid(offset: offset, reason: "a string is not UTF-8")
        }
        return string
    }

    private mutating func escape(into utf8: inout [UInt8]) throws {
        let start = position
        position += 1
        guard let letter = next else { throw invalid("an escape expected, found the end") }
        position += 1
        switch letter {
        case Byte.quote, Byte.backslash, UInt8(ascii: "/"): utf8.append(letter)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xD800...0xDBFF).contains(code) {
                guard skip(Byte.backslash), skip(UInt8(ascii: "u")) else {
                    throw HeaderJSON.Problem.invalid(offset: start, reason: "a surrogate pair is missing its second half")
                }
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw HeaderJSON.Problem.invalid(offset: start, reason: "a surrogate pair's second half is not \\uDC00…\\uDFFF")
                }
                code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw HeaderJSON.Problem.invalid(offset: start, reason: "a lone half of a surrogate pair")
            }
            UTF8.encode(scalar) { utf8.append($0) }
        default:
            throw HeaderJSON.Problem.invalid(offset: start, reason: "\\\(Character(Unicode.Scalar(letter))) is not an escape")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = next, let digit = UInt32(String(Unicode.Scalar(byte)), radix: 16), byte != Byte.plus,
                  byte != Byte.minus else {
                throw invalid("4 hexadecimal digits expected after \\u, found \(found())")
            }
            code = code << 4 + digit
            position += 1
        }
        return code
    }

    /// `-12`, `0`, `3.25`, `1e-3`. Whole only without a fraction or an exponent (the Rust reader
    /// takes no `2.0` for a size either).
    mutating func number() throws -> HeaderJSON.Number {
        let start = position
        let negative = skip(Byte.minus)
        if !skip(Byte.zero) { try skipDigits(after: "'-'") }  // a leading 0 stands alone
        let digitsEnd = position
        var whole = true
        if skip(Byte.point) {
            whole = false
            try skipDigits(after: "'.'")
        }
        if skip(Byte.e) || skip(Byte.capitalE) {
            whole = false
            if !skip(Byte.plus) { _ = skip(Byte.minus) }
            try skipDigits(after: "the exponent's 'e'")
        }
        guard whole else { return .other }
        let first = negative ? start + 1 : start
        if digitsEnd - first > 18 {  // may not fit: let the standard library check for overflow
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<digitsEnd]), as: UTF8.self)
            return Int(text).map { .whole($0) } ?? .other
        }
        var value = 0  // 18 digits always fit in an Int
        for index in first..<digitsEnd { value = value * 10 + Int(bytes[index] - Byte.zero) }
        return .whole(negative ? -value : value)
    }

    private mutating func skipDigits(after: String) throws {
        let start = position
        while position < bytes.count, bytes[position] >= Byte.zero, bytes[position] <= Byte.nine { position += 1 }
        guard position > start else { throw invalid("a digit expected after \(after), found \(found())") }
    }

    /// `true`, `false` or `null`, spelled exactly.
    mutating func word(_ word: String) throws {
        for letter in word.utf8 {
            guard skip(letter) else { throw invalid("\(word) expected, found \(found())") }
        }
    }

    /// What is at `position`, for messages: `'}'`, `byte 0xFF` or `the end`.
    func found() -> String {
        guard let byte = next else { return "the end" }
        if (0x21...0x7E).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    func invalid(_ reason: String) -> HeaderJSON.Problem {
        .invalid(offset: position, reason: reason)
    }
}

/// `text` in double quotes, with `"`, `\` and control characters escaped: for names in messages.
func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
            result += "\\u" + String(format: "%04x", scalar.value)
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

/// `1234567` → `"1,234,567"`: big numbers read more easily in groups of three. (`formatted()`
/// says the same, but takes microseconds a number in a debug build: too slow for 40,000 rows.)
func groupedDigits<Number: BinaryInteger>(_ number: Number) -> String {
    var digits = String(number.magnitude)
    var position = digits.count - 3
    while position > 0 {
        digits.insert(",", at: digits.index(digits.startIndex, offsetBy: position))
        position -= 3
    }
    return number < 0 ? "-" + digits : digits
}
