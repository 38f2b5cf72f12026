import Foundation

/// Names the tests rely on — from the standard library, Foundation and XCTest — that code under
/// test must not declare. Inside a learner's module its own `func fatalError` would replace
/// Swift's for every stub (`fatalError("TODO…")` could then print a passing summary and exit 0);
/// an `exit` or `XCTAssertEqual` of its own would change what a test means. A declaration of one
/// of these names, anywhere in the sources a test build compiles from the learner, stops the run
/// with a message naming the file and line.
public enum ReservedNames {
    /// Exact names, and prefixes ending in `*`.
    public static let names = [
        "fatalError", "precondition", "preconditionFailure", "assert", "assertionFailure",
        "exit", "_exit", "abort", "print", "debugPrint", "dump", "XCT*", "LessonTestCase",
    ]

    /// Attributes that bind a declaration to another symbol's name: a learner's function could
    /// stand in for the runtime's or a test's own.
    public static let attributes = ["@_silgen_name", "@_cdecl", "@_dynamicReplacement", "@_implements", "@_extern"]

    /// One declaration that is not allowed.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var name: String

        public var description: String {
            name.hasPrefix("@")
                ? "\(file):\(line) uses \(name), which lets code stand in for another symbol"
                : "\(file):\(line) declares `\(name)`, a name the tests rely on"
        }
    }

    /// The findings in one file's text (`file` is how to name it).
    public static func findings(in text: String, file: String) -> [Finding] {
        let code = SwiftSource.codeOnly(text)
        var found: [Finding] = []
        // Every attribute starts `@_`: a file without one needs no look for them line by line.
        let attributesPossible = code.contains("@_")
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            for name in declaredNames(in: String(line)) where isReserved(name) {
                found.append(Finding(file: file, line: index + 1, name: name))
            }
            for attribute in attributes where attributesPossible && line.contains(attribute) {
                found.append(Finding(file: file, line: index + 1, name: attribute))
            }
        }
        return found
    }

    static func isReserved(_ name: String) -> Bool {
        names.contains { $0.hasSuffix("*") ? name.hasPrefix($0.dropLast()) : name == $0 }
    }

    /// Identifiers a line declares: after `func`, `var`, `let`, `case`, a type keyword or
    /// `typealias`, and parameter names (`(print: …`, `, _ exit: …`), which shadow inside a
    /// function's body too.
    static func declaredNames(in line: String) -> [String] {
        var names: [String] = []
        let tokens = tokenize(line)
        let introducers: Set<String> = ["func", "var", "let", "case", "class", "struct", "enum", "actor", "protocol",
                                        "typealias", "associatedtype", "macro"]
        for (index, token) in tokens.enumerated() {
            if introducers.contains(token), index + 1 < tokens.count {
                names.append(tokens[index + 1])
                // A tuple pattern, `let (a, b) = …`: every name up to the closing parenthesis.
                if tokens[index + 1] == "(", let close = tokens[(index + 1)...].firstIndex(of: ")") {
                    names += tokens[(index + 2)..<close]
                }
            }
            // A parameter (or a label; the course's own calls use none of these names): at the
            // start of the line, or after `(` or `,`, one or two names and then `:`.
            if token == "(" || token == "," || index == 0 {
                let first = index == 0 ? index : index + 1
                if first + 1 < tokens.count, tokens[first + 1] == ":" { names.append(tokens[first]) }
                if first + 2 < tokens.count, tokens[first + 2] == ":" { names.append(tokens[first + 1]) }
            }
        }
        return names.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            .filter { $0.first.map { $0.isLetter || $0 == "_" } ?? false }
    }

    /// Identifiers (backticks kept), and single punctuation characters. Read as UTF-8 bytes:
    /// every delimiter is ASCII, and a byte above 0x7F belongs to an identifier.
    private static func tokenize(_ line: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        func flush() { if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)); current = [] } }
        for byte in line.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "`"), 0x80...:
                current.append(byte)
            default:
                flush()
                if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") {
                    tokens.append(String(UnicodeScalar(byte)))
                }
            }
        }
        flush()
        return tokens
    }
}

/// Swift source with comments and string literals blanked out (line breaks kept, so line numbers
/// hold): what a name check should read.
enum SwiftSource {
    /// Works on UTF-8 bytes (every delimiter is ASCII): a hot path, run on every test run.
    static func codeOnly(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), quoteMark = UInt8(ascii: "\""),
            backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
        func at(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }
        func blank(_ byte: UInt8) { out.append(byte == newline ? newline : space) }
        func spaces(_ count: Int) { out.append(contentsOf: repeatElement(space, count: count)) }
        var index = 0
        var blockDepth = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next = at(index + 1)
            if blockDepth > 0 {
                if byte == star && next == slash { blockDepth -= 1; spaces(2); index += 2; continue }
                if byte == slash && next == star { blockDepth += 1; spaces(2); index += 2; continue }
                blank(byte); index += 1; continue
            }
            if byte == slash && next == slash {
                while index < bytes.count && bytes[index] != newline { out.append(space); index += 1 }
                continue
            }
            if byte == slash && next == star { blockDepth = 1; spaces(2); index += 2; continue }
            if byte == quoteMark {
                // A string literal, single-line or \"\"\" multi-line, with raw #…# delimiters ignored
                // (their contents are blanked all the same; an unclosed one runs to the end).
                let triple = next == quoteMark && at(index + 2) == quoteMark
                let quote = triple ? 3 : 1
                spaces(quote)
                index += quote
                while index < bytes.count {
                    if bytes[index] == backslash { blank(bytes[index]); blank(at(index + 1)); index += 2; continue }
                    if bytes[index] == quoteMark && (!triple || (at(index + 1) == quoteMark && at(index + 2) == quoteMark)) {
                        spaces(quote)
                        index += quote
                        break
                    }
                    blank(bytes[index]); index += 1
                }
                continue
            }
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
