import Foundation

// The milestone protocol: a milestone program writes one JSON object per line on standard output
// (its human-readable output goes to standard error). docs/ARCHITECTURE.md describes it.
//
//   {"event":"epoch","epoch":3,"epochs":10,"loss":0.12,"accuracy":0.97}
//   {"event":"step","epoch":3,"step":120,"steps":938,"loss":0.15}
//   {"event":"log","message":"loaded 60000 training images"}
//   {"event":"result","summary":"97.8% test accuracy","achieved":true,"metrics":{"accuracy":0.978}}
//
// Readers are tolerant: unknown fields are kept as metrics or ignored, lines that are not JSON
// objects (or not events) are skipped, and nothing a program prints can crash the tutor.

/// One progress line of a milestone program.
public enum MilestoneEvent: Sendable, Equatable {
    /// The end of an epoch (the points the tutor plots).
    case epoch(TrainingProgress)
    /// Progress inside an epoch (optional; moves the progress bar between epochs).
    case step(TrainingProgress)
    /// A message for the learner.
    case log(String)
    /// The final verdict; the tutor stores it in the learner's progress.
    case result(MilestoneResult)
}

/// Where training stands: every field is optional, as programs report what they have.
public struct TrainingProgress: Sendable, Equatable {
    /// 1-based epoch number, and how many there will be.
    public var epoch: Int?
    public var epochs: Int?
    /// 1-based step within the epoch, and how many steps an epoch has.
    public var step: Int?
    public var steps: Int?
    public var loss: Double?
    /// A fraction in 0…1 (a program that prints a percentage above 1 is read as percent).
    public var accuracy: Double?
    /// Every other numeric field, by name (e.g. `val_loss`, `seconds`).
    public var metrics: [String: Double]

    public init(epoch: Int? = nil, epochs: Int? = nil, step: Int? = nil, steps: Int? = nil,
                loss: Double? = nil, accuracy: Double? = nil, metrics: [String: Double] = [:]) {
        self.epoch = epoch
        self.epochs = epochs
        self.step = step
        self.steps = steps
        self.loss = loss
        self.accuracy = accuracy
        self.metrics = metrics
    }
}

/// A milestone's final result.
public struct MilestoneResult: Sendable, Equatable, Codable {
    /// In words, for the dashboard: "97.8% test accuracy".
    public var summary: String
    /// Whether the milestone's goal was met.
    public var achieved: Bool
    public var metrics: [String: Double]

    public init(summary: String, achieved: Bool, metrics: [String: Double] = [:]) {
        self.summary = summary
        self.achieved = achieved
        self.metrics = metrics
    }

    /// A quick check on a subset (`-- --quick`, metric `quick` = 1) says whether the code works,
    /// not that the milestone is reached: it is never recorded as the milestone's result.
    public var isQuickCheck: Bool { metrics["quick"] == 1 }
}

extension MilestoneEvent {
    /// Decodes one line of a milestone program's standard output. Returns nil for anything that is
    /// not a milestone event (blank lines, plain text, other JSON): those lines are ignored.
    ///
    /// An object without `"event"` but with `"epoch"` is read as an epoch event (the short form
    /// `{"epoch":1,"loss":0.5,"acc":0.8}`); `acc` is accepted for `accuracy`. Python's bare `NaN`
    /// and `Infinity` (not JSON, but what `json.dumps` writes for a diverging loss) are accepted.
    public static func decode(line: String) -> MilestoneEvent? {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("{"), text.hasSuffix("}"), let object = JSONValue.parseObject(text) else { return nil }
        let kind: String
        if case .string(let name)? = object["event"] {
            kind = name
        } else if object["epoch"] != nil {
            kind = "epoch"
        } else {
            return nil
        }
        switch kind {
        case "epoch":
            return .epoch(TrainingProgress(object: object))
        case "step":
            return .step(TrainingProgress(object: object))
        case "log":
            guard case .string(let message)? = object["message"] else { return nil }
            return .log(message)
        case "result":
            guard case .string(let summary)? = object["summary"] else { return nil }
            var achieved = false
            if case .bool(let value)? = object["achieved"] { achieved = value }
            var metrics: [String: Double] = [:]
            if case .object(let values)? = object["metrics"] {
                for (key, value) in values { if let number = value.number { metrics[key] = number } }
            }
            return .result(MilestoneResult(summary: summary, achieved: achieved, metrics: metrics))
        default:
            return nil
        }
    }
}

extension TrainingProgress {
    private static let knownFields: Set<String> = ["event", "epoch", "epochs", "step", "steps", "loss", "accuracy", "acc"]

    init(object: [String: JSONValue]) {
        func integer(_ key: String) -> Int? {
            guard let number = object[key]?.number, number.isFinite, number.rounded() == number,
                  abs(number) < 1e15 else { return nil }
            return Int(number)
        }
        var accuracy = object["accuracy"]?.number ?? object["acc"]?.number
        if let value = accuracy, value > 1, value <= 100 { accuracy = value / 100 }
        var metrics: [String: Double] = [:]
        for (key, value) in object where !Self.knownFields.contains(key) {
            if let number = value.number { metrics[key] = number }
        }
        self.init(epoch: integer("epoch"), epochs: integer("epochs"), step: integer("step"), steps: integer("steps"),
                  loss: object["loss"]?.number, accuracy: accuracy, metrics: metrics)
    }
}

/// A JSON value, decoded without Foundation's `JSONSerialization` (whose number and boolean
/// bridging differs between Linux and macOS).
enum JSONValue: Decodable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            switch value {
            case "NaN": self = .number(.nan)
            case "Infinity": self = .number(.infinity)
            case "-Infinity": self = .number(-.infinity)
            default: self = .string(value)
            }
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// Parses a JSON object, accepting Python's bare NaN / Infinity / -Infinity as numbers.
    static func parseObject(_ text: String) -> [String: JSONValue]? {
        let decoder = JSONDecoder()
        if let object = try? decoder.decode([String: JSONValue].self, from: Data(text.utf8)) { return object }
        guard text.contains("NaN") || text.contains("Infinity") else { return nil }
        return try? decoder.decode([String: JSONValue].self, from: Data(quotingBareNonFiniteNumbers(text).utf8))
    }

    /// Wraps bare `NaN`, `Infinity` and `-Infinity` tokens (outside strings) in quotes.
    static func quotingBareNonFiniteNumbers(_ text: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if inString {
                out.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                index = text.index(after: index)
                continue
            }
            if character == "\"" { inString = true }
            var matched = false
            for token in ["-Infinity", "Infinity", "NaN"] where text[index...].hasPrefix(token) {
                out += "\"\(token)\""
                index = text.index(index, offsetBy: token.count)
                matched = true
                break
            }
            if !matched {
                out.append(character)
                index = text.index(after: index)
            }
        }
        return out
    }
}

/// Splits a stream of output chunks into whole lines (a chunk may end mid-line).
public struct LineSplitter: Sendable {
    private var pending = ""

    public init() {}

    /// The complete lines in `chunk` plus what was pending; keeps an unfinished last line.
    public mutating func append(_ chunk: String) -> [String] {
        pending += chunk
        // "\r\n" is one Character in Swift, so both line ends are looked for.
        let isLineEnd = { (character: Character) in character == "\n" || character == "\r\n" }
        guard pending.contains(where: isLineEnd) else { return [] }
        var lines = pending.split(omittingEmptySubsequences: false, whereSeparator: isLineEnd).map(String.init)
        pending = lines.removeLast()
        return lines
    }

    /// The last line, if the stream ended without a newline.
    public mutating func finish() -> [String] {
        defer { pending = "" }
        return pending.isEmpty ? [] : [pending]
    }
}
