// What every milestone program uses to talk to the tutor and to the learner.
//
// The tutor reads JSON lines on standard output (docs/ARCHITECTURE.md, "Milestone programs"):
//   {"event":"epoch","epoch":3,"epochs":10,"loss":0.12,"accuracy":0.97}
//   {"event":"log","message":"…"}
//   {"event":"result","summary":"97.8% test accuracy","achieved":true,"metrics":{…}}
// Words for people go to standard error, so they never mix with the JSON.
import Foundation

public enum Report {
    /// One finished epoch (or training step): the tutor draws loss and accuracy live.
    public static func epoch(
        _ epoch: Int, of epochs: Int, loss: Float, accuracy: Float, extra: [String: Any] = [:]
    ) {
        var fields: [String: Any] = ["event": "epoch", "epoch": epoch, "epochs": epochs,
                                     "loss": Double(loss), "accuracy": Double(accuracy)]
        for (key, value) in extra { fields[key] = value }
        pace()
        emit(fields)
    }

    /// The full-screen tutor sets `TUTOR_MILESTONE_PACE` (seconds) so that a program whose epochs
    /// take microseconds (the perceptron's 60 epochs take 15 ms) draws its charts at a pace a
    /// learner can watch: an epoch that came sooner than that after the last one waits for the
    /// rest. Slower epochs are never held up, and nothing waits outside the tutor's app.
    private static let paceSeconds: Double = Double(ProcessInfo.processInfo.environment["TUTOR_MILESTONE_PACE"] ?? "") ?? 0
    nonisolated(unsafe) private static var lastEpoch = Date()

    private static func pace() {
        guard paceSeconds > 0 else { return }
        let wait = paceSeconds - Date().timeIntervalSince(lastEpoch)
        if wait > 0 { Thread.sleep(forTimeInterval: min(wait, 1)) }
        lastEpoch = Date()
    }

    /// Progress within an epoch (every few batches), so charts move during long epochs.
    public static func step(_ step: Int, of steps: Int, epoch: Int, loss: Float) {
        emit(["event": "step", "step": step, "steps": steps, "epoch": epoch, "loss": Double(loss)])
    }

    /// A line of news for the tutor's log.
    public static func log(_ message: String) {
        emit(["event": "log", "message": message])
    }

    /// The final verdict. `summary` is what the tutor shows and stores, in words.
    public static func result(summary: String, achieved: Bool, metrics: [String: Double] = [:]) {
        emit(["event": "result", "summary": summary, "achieved": achieved, "metrics": metrics])
    }

    /// Writes words for the learner (standard error).
    public static func say(_ text: String = "") {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private static func emit(_ fields: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
