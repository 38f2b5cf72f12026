import Foundation

/// Watch mode's rule, for `tutor watch` and the app alike: a save starts a run; files saved while
/// a run goes are gathered (each once, in the order saved) and start one more run when it ends,
/// so the last verdict on screen is never older than the last save. The run says what started it.
public struct SavedFiles: Sendable, Equatable {
    /// File names saved since the last run started.
    public private(set) var names: [String] = []
    /// Another run was asked for without a save (`t` while a run is stopping).
    private var requested = false

    public init(_ files: [String] = []) { add(files) }

    /// Whether one more run is due.
    public var runsAgain: Bool { requested || !names.isEmpty }

    /// Files saved (paths or names).
    public mutating func add(_ files: [String]) {
        for name in files.map({ ($0 as NSString).lastPathComponent }) where !names.contains(name) { names.append(name) }
    }

    public mutating func requestRun() { requested = true }

    /// The run started (or was stopped on purpose): nothing is due any more.
    public mutating func clear() {
        names = []
        requested = false
    }

    /// What started the run, as the learner reads it: "Tensor.swift saved", "3 files saved"; nil
    /// without saves.
    public var trigger: String? {
        switch names.count {
        case 0: return nil
        case 1: return "\(names[0]) saved"
        default: return "\(names.count) files saved"
        }
    }
}
