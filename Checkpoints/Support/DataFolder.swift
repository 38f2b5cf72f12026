// Where the milestones find their data, and what they say when it is not there.
import Foundation

/// Where `tutor data fetch <name>` keeps a data set: `$TUTOR_DATA_DIR/<name>` when that is set
/// (the tutor's own rule: `DataStore.defaultDirectory`, Sources/TutorCore/Data/DataStore.swift),
/// else `.tutor/data/<name>` under the project — the folder the tutor runs milestones in.
public func dataFolder(_ name: String) -> URL {
    if let directory = ProcessInfo.processInfo.environment["TUTOR_DATA_DIR"], !directory.isEmpty {
        return URL(fileURLWithPath: directory).appendingPathComponent(name)
    }
    return URL(fileURLWithPath: ".tutor/data").appendingPathComponent(name)
}

/// What `read` returns; if it throws, the program ends with the error and how to get the data
/// (`tutor data fetch <name>`), as a result the tutor shows (exit 2: the milestone could not run).
public func loadData<Loaded>(_ title: String, fetchName name: String,
                             _ read: () throws -> Loaded) -> Loaded {
    do {
        return try read()
    } catch {
        let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        Report.say("Could not read \(title): \(message)")
        Report.say("Get the data first: swift run tutor data fetch \(name)")
        Report.result(summary: "no data: run `swift run tutor data fetch \(name)`", achieved: false)
        exit(2)
    }
}
