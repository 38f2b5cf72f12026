import Foundation

/// Where a milestone's training stands, from what its program reported: the share done (whole
/// epochs plus the current epoch's batches) and the time left. `tutor milestone run`'s progress
/// bar and the app's progress line both read it, so they agree.
public struct TrainingClock: Sendable, Equatable {
    /// When the program started (training time counts from here, not from the build before it).
    public let started: Date
    public private(set) var epochs: Int?
    public private(set) var epochsDone = 0
    /// The share of the current epoch's batches done, from the latest `step` event.
    public private(set) var stepFraction: Double?
    public private(set) var lastEpochEnd: Date?

    public init(started: Date) { self.started = started }

    /// Takes in an event at `time`; events other than epochs and steps change nothing.
    public mutating func record(_ event: MilestoneEvent, at time: Date) {
        switch event {
        case .epoch(let progress):
            epochsDone = progress.epoch ?? epochsDone + 1
            epochs = progress.epochs ?? epochs
            stepFraction = nil
            lastEpochEnd = time
        case .step(let progress):
            epochs = progress.epochs ?? epochs
            if let step = progress.step, let steps = progress.steps, steps > 0 {
                stepFraction = min(1, max(0, Double(step) / Double(steps)))
            }
        case .log, .result:
            break
        }
    }

    /// 0…1; nil while the number of epochs is not known.
    public var fraction: Double? {
        guard let epochs, epochs > 0 else { return nil }
        return min(1, (Double(epochsDone) + (stepFraction ?? 0)) / Double(epochs))
    }

    /// The mean time of the epochs done so far, times the epochs left, less the time since the
    /// last epoch ended. Nil before the first epoch ends (a guess from batches jumps about) and
    /// once the last has.
    public func secondsLeft(now: Date) -> Double? {
        guard let epochs, let lastEpochEnd, epochsDone > 0, epochsDone < epochs else { return nil }
        let perEpoch = lastEpochEnd.timeIntervalSince(started) / Double(epochsDone)
        return max(0, perEpoch * Double(epochs - epochsDone) - now.timeIntervalSince(lastEpochEnd))
    }
}
