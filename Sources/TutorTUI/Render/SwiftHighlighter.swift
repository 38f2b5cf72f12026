/// Colours Swift code by token: keywords, literals, comments and type names. Line by line, with
/// the state of block comments and multi-line strings carried from one line to the next.
struct SwiftHighlighter {
    static let keywords: Set<String> = [
        "associatedtype", "actor", "any", "as", "async", "await", "break", "case", "catch", "class",
        "continue", "default", "defer", "deinit", "do", "else", "enum", "extension", "fallthrough",
        "false", "fileprivate", "for", "func", "guard", "if", "import", "in", "indirect", "init",
        "inout", "internal", "is", "lazy", "let", "mutating", "nil", "nonisolated", "open",
        "operator", "override", "precedencegroup", "private", "protocol", "public", "repeat",
        "rethrows", "return", "self", "Self", "some", "static", "struct", "subscript", "super",
        "switch", "throw", "throws", "true", "try", "typealias", "var", "where", "while",
    ]

    private var inBlockComment = false
    private var inMultilineString = false

    mutating func highlight(_ line: String) -> StyledLine {
        var out = StyledLine()
        let characters = Array(line)
        var index = 0
        func slice(_ from: Int, _ to: Int) -> String { String(characters[from..<min(to, characters.count)]) }
        func starts(_ text: String, at position: Int) -> Bool {
            let needle = Array(text)
            return position + needle.count <= characters.count && Array(characters[position..<(position + needle.count)]) == needle
        }

        while index < characters.count {
            if inBlockComment {
                var end = index
                while end < characters.count && !starts("*/", at: end) { end += 1 }
                if end < characters.count { end += 2; inBlockComment = false }
                out.append(slice(index, end), TextStyle(.comment))
                index = end
                continue
            }
            if inMultilineString {
                var end = index
                while end < characters.count && !starts("\"\"\"", at: end) { end += 1 }
                if end < characters.count { end += 3; inMultilineString = false }
                out.append(slice(index, end), TextStyle(.literal))
                index = end
                continue
            }
            let character = characters[index]
            if starts("//", at: index) {
                out.append(slice(index, characters.count), TextStyle(.comment))
                break
            }
            if starts("/*", at: index) {
                inBlockComment = true
                continue
            }
            if starts("\"\"\"", at: index) {
                out.append("\"\"\"", TextStyle(.literal))
                index += 3
                inMultilineString = true
                continue
            }
            if character == "\"" {
                var end = index + 1
                while end < characters.count && characters[end] != "\"" {
                    end += characters[end] == "\\" ? 2 : 1
                }
                end = min(end + 1, characters.count)
                out.append(slice(index, end), TextStyle(.literal))
                index = end
                continue
            }
            if character.isNumber {
                var end = index
                while end < characters.count && (characters[end].isNumber || characters[end] == "." || characters[end] == "_"
                                                  || characters[end] == "e" || characters[end] == "x") {
                    // Stop at a method call on a literal (`1.description`) or a range (`0..<n`).
                    if characters[end] == ".", end + 1 < characters.count, !characters[end + 1].isNumber { break }
                    end += 1
                }
                out.append(slice(index, end), TextStyle(.literal))
                index = end
                continue
            }
            if character.isLetter || character == "_" || character == "@" || character == "#" {
                var end = index + 1
                while end < characters.count && (characters[end].isLetter || characters[end].isNumber || characters[end] == "_") {
                    end += 1
                }
                let word = slice(index, end)
                let previous: Character? = index > 0 ? characters[index - 1] : nil
                let style: TextStyle
                if character == "@" || character == "#" {
                    style = TextStyle(.keyword)
                } else if Self.keywords.contains(word) && previous != "." {
                    style = TextStyle(.keyword)
                } else if character.isUppercase {
                    style = TextStyle(.type)
                } else {
                    style = .plain
                }
                out.append(word, style)
                index = end
                continue
            }
            out.append(String(character))
            index += 1
        }
        return out
    }
}
