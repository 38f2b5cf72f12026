/// The Markdown a lesson uses, as blocks: headings, paragraphs, lists, fenced code, tables,
/// quotes and rules. Not all of CommonMark — what lesson text needs, parsed forgivingly (anything
/// unrecognised is a paragraph).
public enum MarkdownBlock: Equatable, Sendable {
    case heading(level: Int, text: String)
    case paragraph(String)
    case list([ListItem])
    case code(language: String, lines: [String])
    case table(header: [String], rows: [[String]])
    case quote(String)
    case rule

    public struct ListItem: Equatable, Sendable {
        /// "•" for bullets, "1." for numbered items.
        public var marker: String
        public var text: String
        /// Nesting depth, 0 for the outermost list.
        public var level: Int
    }
}

public enum MarkdownParser {
    public static func parse(_ markdown: String) -> [MarkdownBlock] {
        let lines = markdown.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: "    ")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [MarkdownBlock] = []
        var index = 0
        var paragraph: [String] = []

        func flushParagraph() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))) }
            paragraph = []
        }

        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)

            if trimmed.isEmpty {
                flushParagraph()
                index += 1
                continue
            }
            if let fence = fenceMarker(trimmed) {
                flushParagraph()
                let language = String(trimmed.dropFirst(fence.count)).trimmingCharacters(in: .whitespaces).lowercased()
                let indent = line.prefix { $0 == " " }.count
                var code: [String] = []
                index += 1
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix(fence) {
                    code.append(String(lines[index].dropFirst(min(indent, lines[index].prefix { $0 == " " }.count))))
                    index += 1
                }
                index += 1  // the closing fence
                blocks.append(.code(language: language, lines: code))
                continue
            }
            if let (level, text) = heading(trimmed) {
                flushParagraph()
                blocks.append(.heading(level: level, text: text))
                index += 1
                continue
            }
            if isRule(trimmed) {
                flushParagraph()
                blocks.append(.rule)
                index += 1
                continue
            }
            if trimmed.hasPrefix("|"), index + 1 < lines.count, isTableSeparator(lines[index + 1]) {
                flushParagraph()
                let header = tableCells(trimmed)
                var rows: [[String]] = []
                index += 2
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    rows.append(tableCells(lines[index].trimmingCharacters(in: .whitespaces)))
                    index += 1
                }
                blocks.append(.table(header: header, rows: rows))
                continue
            }
            if trimmed.hasPrefix(">") {
                flushParagraph()
                var quoted: [String] = []
                while index < lines.count {
                    let text = lines[index].trimmingCharacters(in: .whitespaces)
                    guard text.hasPrefix(">") else { break }
                    quoted.append(String(text.dropFirst()).trimmingCharacters(in: .whitespaces))
                    index += 1
                }
                blocks.append(.quote(quoted.joined(separator: " ")))
                continue
            }
            if listItem(line) != nil {
                flushParagraph()
                var items: [MarkdownBlock.ListItem] = []
                while index < lines.count {
                    let current = lines[index]
                    let text = current.trimmingCharacters(in: .whitespaces)
                    if let item = listItem(current) {
                        items.append(item)
                    } else if text.isEmpty {
                        // A blank line ends the list unless the next line continues it.
                        let next = index + 1 < lines.count ? lines[index + 1] : ""
                        guard listItem(next) != nil || (next.hasPrefix("  ") && !next.trimmingCharacters(in: .whitespaces).isEmpty
                                                         && fenceMarker(next.trimmingCharacters(in: .whitespaces)) == nil) else { break }
                    } else if fenceMarker(text) != nil || heading(text) != nil || text.hasPrefix("|") {
                        break
                    } else if !items.isEmpty {
                        items[items.count - 1].text += " " + text
                    }
                    index += 1
                }
                blocks.append(.list(items))
                continue
            }
            paragraph.append(trimmed)
            index += 1
        }
        flushParagraph()
        return blocks
    }

    private static func fenceMarker(_ trimmed: String) -> String? {
        if trimmed.hasPrefix("```") { return "```" }
        if trimmed.hasPrefix("~~~") { return "~~~" }
        return nil
    }

    private static func heading(_ trimmed: String) -> (Int, String)? {
        let hashes = trimmed.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), trimmed.dropFirst(hashes).first == " " else { return nil }
        var text = trimmed.dropFirst(hashes).trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("#") { text.removeLast() }
        return (hashes, text.trimmingCharacters(in: .whitespaces))
    }

    private static func isRule(_ trimmed: String) -> Bool {
        let compact = trimmed.replacingOccurrences(of: " ", with: "")
        guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
        return compact.allSatisfy { $0 == first }
    }

    private static func isTableSeparator(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("|"), trimmed.contains("-") else { return false }
        return trimmed.allSatisfy { "|-: ".contains($0) }
    }

    /// `| a | b |` → ["a", "b"]; `\|` inside a cell is a literal bar.
    private static func tableCells(_ trimmed: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        var inCode = false
        for character in trimmed.dropFirst() {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "`" { inCode.toggle() }
            if character == "|" && !inCode {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        let rest = current.trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { cells.append(rest) }
        return cells
    }

    /// `- text`, `* text`, `+ text`, `1. text`, `2) text`, with indentation giving the level.
    static func listItem(_ line: String) -> MarkdownBlock.ListItem? {
        let indent = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(indent)
        let level = min(indent / 2, 4)
        if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " {
            let text = rest.dropFirst(2).trimmingCharacters(in: .whitespaces)
            // "---" is a rule, "* * *" too; a bullet has text.
            guard !text.isEmpty, !isRule(String(rest)) else { return nil }
            return .init(marker: "•", text: text, level: level)
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let after = rest.dropFirst(digits.count)
        guard let punctuation = after.first, punctuation == "." || punctuation == ")", after.dropFirst().first == " " else { return nil }
        return .init(marker: "\(digits).", text: after.dropFirst(2).trimmingCharacters(in: .whitespaces), level: level)
    }
}
