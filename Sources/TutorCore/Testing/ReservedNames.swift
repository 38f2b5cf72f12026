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
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            for name in declaredNames(in: String(line)) where isReserved(name) {
                found.append(Finding(file: file, line: index + 1, name: name))
            }
            for attribute in attributes where line.contains(attribute) {
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

    /// Identifiers (backticks kept), and single punctuation characters.
    private static func tokenize(_ line: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        func flush() { if !current.isEmpty { tokens.append(current); current = "" } }
        for character in line {
            if character.isLetter || character.isNumber || character == "_" || character == "`" {
                current.append(character)
            } else {
                flush()
                if !character.isWhitespace { tokens.append(String(character)) }
            }
        }
        flush()
        return tokens
    }
}

/// Swift source with comments and string literals blanked out (line breaks kept, so line numbers
/// hold): what a name check should read.
enum SwiftSource {
    static func codeOnly(_ text: String) -> String {
        var out = ""
        var characters = Array(text)
        characters.append("\0")
        var index = 0
        var blockDepth = 0
        func blank(_ character: Character) { out.append(character == "\n" ? "\n" : " ") }
        while index < characters.count - 1 {
            let character = characters[index]
            let next = characters[index + 1]
            if blockDepth > 0 {
                if character == "*" && next == "/" { blockDepth -= 1; out += "  "; index += 2; continue }
                if character == "/" && next == "*" { blockDepth += 1; out += "  "; index += 2; continue }
                blank(character); index += 1; continue
            }
            if character == "/" && next == "/" {
                while index < characters.count - 1 && characters[index] != "\n" { out.append(" "); index += 1 }
                continue
            }
            if character == "/" && next == "*" { blockDepth = 1; out += "  "; index += 2; continue }
            if character == "\"" {
                // A string literal, single-line or """ multi-line, with raw #…# delimiters ignored
                // (their contents are blanked all the same; an unclosed one runs to the end).
                let triple = index + 2 < characters.count - 1 && characters[index + 1] == "\"" && characters[index + 2] == "\""
                let quote = triple ? 3 : 1
                out += String(repeating: " ", count: quote)
                index += quote
                while index < characters.count - 1 {
                    if characters[index] == "\\" { blank(characters[index]); blank(characters[index + 1]); index += 2; continue }
                    if characters[index] == "\"" && (!triple || (index + 2 < characters.count - 1
                        && characters[index + 1] == "\"" && characters[index + 2] == "\"")) {
                        out += String(repeating: " ", count: quote)
                        index += quote
                        break
                    }
                    blank(characters[index]); index += 1
                }
                continue
            }
            out.append(character)
            index += 1
        }
        return out
    }
}
