// Lesson 07: reading and writing the JSON of a safetensors header (given — read it; you do not
// need to change it).
//
// Reading: Foundation's `JSONDecoder` does the parsing — a parser of outside bytes is the last
// place to write your own — and `JSONValue` keeps what it found together with its type, so the
// safetensors reader can check every field: `guard case .string(let dtype)? = entry["dtype"]`.
// The decoder rejects text that is not JSON, not UTF-8, or nested more than 512 levels deep,
// with an error instead of a crash.
//
// Writing: `jsonQuoted` turns a name into a JSON string literal exactly as Rust's serde_json
// (used by Python's `safetensors`) does, so a file written here has the very bytes Python writes.

import Foundation

/// A JSON value of any kind, as decoded: the type is part of the value, so code that reads it
/// must say which type it expects.
///
///     let value = try JSONValue.parse(Array(#"{"shape":[2,3]}"#.utf8))
///     // .object(["shape": .array([.integer(2), .integer(3)])])
public indirect enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    /// A number without a fractional part that fits in an `Int`: `3`, `-1`, also `2.0` and `1e3`.
    case integer(Int)
    /// Any other number: `0.5`, `1e300`.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON text (UTF-8) with Foundation's `JSONDecoder`; throws its error if the bytes are
    /// not valid JSON. A top-level value of any kind is accepted: check that it is an object.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws -> JSONValue
    where Bytes.Element == UInt8 {
        try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // The decoder does not convert between types (true is not 1, "2" is not 2), so exactly
        // one of these succeeds; `Int` is tried before `Double` so that whole numbers stay exact.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
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
