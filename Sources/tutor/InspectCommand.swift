import ArgumentParser
import Foundation
import TutorCore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a safetensors file holds: its header, metadata and every tensor, without reading the data.",
        discussion: """
            For each tensor: name, dtype (every dtype of the format, with those the course cannot compute \
            with marked), shape, element count and byte range; then totals, and whether the layout is \
            valid. Reads files written by Python's safetensors and by lesson 07, with the limits of the \
            course's reader (a header of at most 4,000,000 bytes, nested at most 3 deep).
            Exit status: 0 for a valid file; 1 when it is not a valid safetensors file; 2 when it could \
            not be read (missing, a folder, no permission).
            """)

    @Argument(help: "The safetensors file, e.g. model.safetensors.")
    var file: String

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let header: SafetensorsHeader
        do {
            header = try SafetensorsHeader.read(url)
        } catch let error as SafetensorsFileError {
            if json && error.exitCode == 1 {
                try writeJSON(SafetensorsText.ErrorDocument(file: file, error: error.localizedDescription))
                throw ExitCode(1)
            }
            throw fail(error.localizedDescription, code: error.exitCode)
        }
        if json {
            try writeJSON(SafetensorsText.document(header, file: file))
        } else {
            print(SafetensorsText.text(header, name: file, style: .forStandardOutput()))
        }
        if !header.problems.isEmpty { throw ExitCode(1) }
    }
}
