/// Inline Markdown — `code`, **strong**, *emphasis*, [links](url) and \escapes — as styled text.
/// Underscores inside words (`test_unit_matmul`) stay underscores.
enum MarkdownInline {
    static let codeStyle = TextStyle(.accent)

    static func parse(_ text: String, base: TextStyle = .plain) -> StyledLine {
        var out = StyledLine()
        append(Array(text), base: base, to: &out)
        return out
    }

    private static func append(_ characters: [Character], base: TextStyle, to out: inout StyledLine) {
        var index = 0
        var plain = ""
        func flush() {
            out.append(plain, base)
            plain = ""
        }
        while index < characters.count {
            let character = characters[index]
            let previous: Character? = index > 0 ? characters[index - 1] : nil

            if character == "\\", index + 1 < characters.count, characters[index + 1].isPunctuation || characters[index + 1].isSymbol {
                plain.append(characters[index + 1])
                index += 2
                continue
            }
            if character == "`" {
                let ticks = run(of: "`", in: characters, from: index)
                if let close = find(String(repeating: "`", count: ticks), in: characters, from: index + ticks) {
                    flush()
                    var code = String(characters[(index + ticks)..<close])
                    if ticks > 1 { code = code.trimmingCharacters(in: .whitespaces) }
                    var style = codeStyle
                    style.bold = base.bold
                    out.append(code, style)
                    index = close + ticks
                    continue
                }
            }
            if character == "*" || character == "_" {
                let count = min(run(of: character, in: characters, from: index), 2)
                let marker = String(repeating: String(character), count: count)
                let opensWord = index + count < characters.count && characters[index + count] != " "
                let atWordStart = previous.map { !($0.isLetter || $0.isNumber) } ?? true
                if opensWord && (character == "*" || atWordStart),
                   let close = closing(marker, in: characters, from: index + count, underscore: character == "_") {
                    flush()
                    var style = base
                    if count == 2 { style.bold = true } else { style.underline = true }
                    append(Array(characters[(index + count)..<close]), base: style, to: &out)
                    index = close + count
                    continue
                }
            }
            if character == "[", let closeBracket = find("]", in: characters, from: index + 1),
               closeBracket + 1 < characters.count, characters[closeBracket + 1] == "(",
               let closeParen = find(")", in: characters, from: closeBracket + 2) {
                flush()
                let label = Array(characters[(index + 1)..<closeBracket])
                let url = String(characters[(closeBracket + 2)..<closeParen])
                append(label, base: base.underlined(), to: &out)
                if url.hasPrefix("http"), String(label) != url {
                    out.append(" (\(url))", TextStyle(.muted))
                }
                index = closeParen + 1
                continue
            }
            plain.append(character)
            index += 1
        }
        flush()
    }

    private static func run(of character: Character, in characters: [Character], from index: Int) -> Int {
        var count = 0
        while index + count < characters.count, characters[index + count] == character { count += 1 }
        return count
    }

    private static func find(_ marker: String, in characters: [Character], from start: Int) -> Int? {
        let needle = Array(marker)
        guard start <= characters.count - needle.count else { return nil }
        for index in start...(characters.count - needle.count) where Array(characters[index..<(index + needle.count)]) == needle {
            return index
        }
        return nil
    }

    /// The closing delimiter of emphasis: preceded by a non-space, and for `_`, not followed by a
    /// letter or digit (so `snake_case_names` are left alone).
    private static func closing(_ marker: String, in characters: [Character], from start: Int, underscore: Bool) -> Int? {
        var search = start
        while let found = find(marker, in: characters, from: search) {
            let before = found > 0 ? characters[found - 1] : " "
            let after: Character? = found + marker.count < characters.count ? characters[found + marker.count] : nil
            let endsWord = after.map { !($0.isLetter || $0.isNumber) } ?? true
            let sameMarkerFollows = after == marker.first
            if found > start, before != " ", !sameMarkerFollows || marker.count == 2, !underscore || endsWord {
                return found
            }
            search = found + 1
        }
        return nil
    }
}
