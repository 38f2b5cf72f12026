import ArgumentParser
import Foundation
import TutorCore

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Get the course's data sets (MNIST, Tiny Shakespeare, CIFAR-10) and check them.",
        subcommands: [DataFetch.self, DataVerify.self],
        defaultSubcommand: DataVerify.self)
}

/// Options shared by the data commands.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The folder to keep data sets in (default: .tutor/data, or $TUTOR_DATA_DIR).")
    var cache: String?

    func store(_ project: Project) -> DataStore {
        DataStore(directory: cache.map { URL(fileURLWithPath: $0) } ?? DataStore.defaultDirectory(project: project))
    }

    func dataSets(_ names: [String]) throws -> [DataSet] {
        if names.isEmpty || names == ["all"] { return DataCatalog.all }
        return try names.map { name in
            guard let set = DataCatalog.named(name) else {
                throw fail(DataFetchError.unknownDataSet(name, known: DataCatalog.all.map(\.name)).localizedDescription)
            }
            return set
        }
    }
}

struct DataFetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download data sets from their canonical sources (or copy them from a mirror folder) and verify them.")

    @Argument(help: "Data sets to fetch: mnist, shakespeare, cifar10, or all (default).")
    var names: [String] = []

    @Option(name: .long, help: "A folder holding the files (as <folder>/mnist/<file> or <folder>/<file>; for cifar10 the archive, or a folder of its six .bin files); default $TUTOR_DATA_MIRROR. No download then.")
    var mirror: String?

    @OptionGroup var options: DataOptions

    func run() throws {
        let project = try loadProject()
        let store = options.store(project)
        let mirrorPath = mirror ?? ProcessInfo.processInfo.environment["TUTOR_DATA_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        stopChildrenOnInterrupt()
        for set in try options.dataSets(names) {
            print("\(set.title) → \(project.relativePath(store.folder(set).path))")
            do {
                let check = try store.fetch(set, mirror: mirrorPath.map { URL(fileURLWithPath: $0) }) { event in
                    switch event {
                    case .alreadyThere(let name): print("  ✓ \(name) (already there)")
                    case .copied(let name, let source): print("  ✓ \(name) copied from \(source)")
                    case .downloading(let name, let url): print("  ↓ \(name) from \(url)…")
                    case .downloaded(let name): print("  ✓ \(name) downloaded")
                    case .decompressed(let name): print("  ✓ \(name) decompressed")
                    case .unpacked(let name, let archive): print("  ✓ \(name) unpacked from \(archive)")
                    }
                }
                print("  \(check.fetchSummary). Data by \(set.credit).")
            } catch {
                throw fail(error.localizedDescription, code: 1)
            }
        }
    }
}

struct DataVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check that fetched data sets are complete and unchanged (size and SHA-256).")

    @Argument(help: "Data sets to check: mnist, shakespeare, cifar10, or all (default).")
    var names: [String] = []

    @OptionGroup var options: DataOptions

    func run() throws {
        let project = try loadProject()
        let store = options.store(project)
        var problems = 0
        for set in try options.dataSets(names) {
            do {
                print("✓ \(set.title): \(try store.verify(set).verifySummary)")
            } catch {
                problems += 1
                print("✗ \(set.title): \(error.localizedDescription)")
            }
        }
        if problems > 0 { throw ExitCode(1) }
    }
}

