// RegressionExample — train → save → predict, the pattern of every machine-learning service,
// built on your TinyTorch (lessons 01–07).
//
//     swift run RegressionExample train --data bikes.csv --out model
//     swift run RegressionExample predict --model model --data tomorrow.csv
//     swift run RegressionExample inspect --model model
//     swift run RegressionExample sample --out bikes.csv      (a made-up data set to try it on)
//
// `train` learns to predict one column of a CSV file (the last, or --target) from the others,
// and writes model/model.safetensors. `predict` is a separate run — in a real service, another
// machine, months later — that knows nothing but that file. So the file must carry everything
// prediction needs besides the weights: which columns are the inputs, in which order, and the
// statistics that normalized them during training. They go in the safetensors `__metadata__`,
// one file that cannot get separated from its weights (a sidecar JSON file could be forgotten,
// or belong to another training run). Python reads the same file:
//
//     from safetensors import safe_open
//     with safe_open("model/model.safetensors", "np") as f:
//         print(f.metadata()["features"], f.get_tensor("0.weight").shape)
//
// The CSV reader and the checkpoint code are yours (lesson 07); the arguments are parsed by hand,
// so that this file needs nothing but TinyTorch and Foundation.

import Foundation
import TinyTorch

let usage = """
    Usage:
      RegressionExample train   --data FILE.csv --out FOLDER [--target COLUMN] [--epochs N]
                                [--hidden N] [--seed N]
      RegressionExample predict --model FOLDER --data FILE.csv
      RegressionExample inspect --model FOLDER
      RegressionExample sample  --out FILE.csv [--rows N] [--seed N]

    train    learns to predict a column of FILE.csv (the last one, or --target) from the others,
             and writes FOLDER/model.safetensors: the weights, with the column names and the
             normalization statistics in its metadata. Defaults: --epochs 150 --hidden 32 --seed 1.
    predict  reads FOLDER/model.safetensors and a CSV that has the same input columns (in any
             order; other columns are ignored), and prints one prediction per row, as CSV.
    inspect  prints the saved tensors and metadata as JSON.
    sample   writes a made-up bike-sharing data set to try the others on: rentals per hour from
             hour, temperature, humidity and weekday. Defaults: --rows 2000 --seed 1.
    """

/// A mistake in the command line: the message, then the usage, and exit code 64 (EX_USAGE).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// A problem with the files: a clear message and exit code 1.
struct ExampleError: Error, CustomStringConvertible {
    let description: String
}

/// Prints words for people on standard error; standard output is kept for data (predictions,
/// JSON) that another program may read.
func say(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

// MARK: - Arguments

/// `--name value` pairs after the subcommand, checked against the names the subcommand accepts.
func options(_ arguments: ArraySlice<String>, allowed: [String], required: [String]) throws
    -> [String: String] {
    var found: [String: String] = [:]
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
        guard argument.hasPrefix("--"), allowed.contains(String(argument.dropFirst(2))) else {
            throw UsageError(description: "unknown argument \"\(argument)\" — this command takes "
                             + allowed.map { "--\($0)" }.joined(separator: ", "))
        }
        guard let value = remaining.popFirst(), !value.hasPrefix("--") else {
            throw UsageError(description: "\(argument) needs a value")
        }
        found[String(argument.dropFirst(2))] = value
    }
    for name in required where found[name] == nil {
        throw UsageError(description: "--\(name) is required")
    }
    return found
}

/// The value of `--name` as a positive whole number, or `fallback` when it is not given.
func positiveInteger(_ options: [String: String], _ name: String, default fallback: Int) throws
    -> Int {
    guard let text = options[name] else { return fallback }
    guard let value = Int(text), value > 0 else {
        throw UsageError(description: "--\(name) \(text): expected a whole number above 0")
    }
    return value
}

// MARK: - Normalization

/// Shifts and scales each column to mean 0 and standard deviation 1: `(x − mean) / deviation`.
///
/// Networks learn much faster when every input is about that size: humidity (20–100) and
/// weekday (0–6) would otherwise pull on the first layer with very different strengths. The
/// statistics come from the *training* rows only, and prediction must apply the very same
/// numbers — which is why they are saved with the weights.
struct Standardization {
    let mean: [Float]
    let deviation: [Float]

    /// The mean and the (population) standard deviation of each column of `x`, `[rows, columns]`.
    /// A constant column gets deviation 1, so that nothing is divided by 0.
    init(fitting x: Tensor) {
        let (rows, columns) = (x.shape[0], x.shape[1])
        var mean: [Float] = []
        var deviation: [Float] = []
        for column in 0..<columns {
            var sum = 0.0
            var sumOfSquares = 0.0
            for row in 0..<rows {
                let value = Double(x.data[row * columns + column])
                sum += value
                sumOfSquares += value * value
            }
            let average = sum / Double(rows)
            let variance = max(0, sumOfSquares / Double(rows) - average * average)
            mean.append(Float(average))
            deviation.append(variance > 1e-12 ? Float(variance.squareRoot()) : 1)
        }
        self.mean = mean
        self.deviation = deviation
    }

    init(mean: [Float], deviation: [Float]) {
        self.mean = mean
        self.deviation = deviation
    }

    /// `(x − mean) / deviation`, column by column: your broadcasting from lesson 01.
    func normalize(_ x: Tensor) -> Tensor {
        (x - Tensor(mean)) / Tensor(deviation)
    }

    /// The way back: `y · deviation + mean`.
    func denormalize(_ y: Tensor) -> Tensor {
        y * Tensor(deviation) + Tensor(mean)
    }
}

// MARK: - What the checkpoint holds besides the weights

/// Everything `predict` needs to know besides the weights, stored as strings in the
/// safetensors `__metadata__` (numbers and lists as JSON, readable by Python's `json.loads`).
struct ModelCard {
    static let format = "tinytorch-regression-1"

    let features: [String]
    let target: String
    let hiddenSize: Int
    let inputs: Standardization
    let output: Standardization

    var metadata: [String: String] {
        [
            "format": Self.format,
            "features": "[" + features.map(jsonQuoted).joined(separator: ",") + "]",
            "target": target,
            "hidden_size": String(hiddenSize),
            "feature_mean": json(inputs.mean),
            "feature_std": json(inputs.deviation),
            "target_mean": String(output.mean[0]),
            "target_std": String(output.deviation[0]),
        ]
    }

    init(features: [String], target: String, hiddenSize: Int, inputs: Standardization,
         output: Standardization) {
        self.features = features
        self.target = target
        self.hiddenSize = hiddenSize
        self.inputs = inputs
        self.output = output
    }

    /// Reads the card back, checking every field: the metadata comes from a file.
    init(metadata: [String: String], file: String) throws {
        func field(_ key: String) throws -> String {
            guard let value = metadata[key] else {
                throw ExampleError(description: "\(file): the metadata has no \"\(key)\" — was "
                                   + "this file written by `RegressionExample train`?")
            }
            return value
        }
        func number(_ key: String) throws -> Float {
            guard let value = Float(try field(key)), value.isFinite else {
                throw ExampleError(description: "\(file): metadata \"\(key)\" is not a number")
            }
            return value
        }
        func list(_ key: String) throws -> [JSONValue] {
            guard case .array(let items)? = try? JSONValue.parse(Array(try field(key).utf8)) else {
                throw ExampleError(description: "\(file): metadata \"\(key)\" is not a JSON list")
            }
            return items
        }
        func numbers(_ key: String) throws -> [Float] {
            try list(key).map { item in
                switch item {
                case .integer(let value): return Float(value)
                case .number(let value) where value.isFinite: return Float(value)
                default:
                    throw ExampleError(description: "\(file): metadata \"\(key)\" holds "
                                       + "\(item.kind), not a number")
                }
            }
        }
        guard try field("format") == Self.format else {
            throw ExampleError(description: "\(file): metadata \"format\" is not \(Self.format)")
        }
        features = try list("features").map { item in
            guard case .string(let name) = item else {
                throw ExampleError(description: "\(file): metadata \"features\" must list names")
            }
            return name
        }
        target = try field("target")
        guard let hidden = Int(try field("hidden_size")), (1...100_000).contains(hidden) else {
            throw ExampleError(description: "\(file): metadata \"hidden_size\" is not a size")
        }
        hiddenSize = hidden
        let (mean, deviation) = (try numbers("feature_mean"), try numbers("feature_std"))
        guard !features.isEmpty, mean.count == features.count,
              deviation.count == features.count else {
            throw ExampleError(description: "\(file): metadata has \(features.count) features "
                               + "but \(mean.count) means and \(deviation.count) deviations")
        }
        inputs = Standardization(mean: mean, deviation: deviation)
        output = Standardization(mean: [try number("target_mean")],
                                 deviation: [try number("target_std")])
    }
}

/// `[1.5,-2.0]`: Swift prints a `Float` with the fewest digits that read back as the same
/// number, so nothing is lost.
func json(_ values: [Float]) -> String {
    "[" + values.map { "\($0)" }.joined(separator: ",") + "]"
}

/// The network: inputs → hidden (ReLU) → 1. He initialization suits the ReLU.
func makeModel(inputs: Int, hidden: Int, seed: UInt64) -> Sequential {
    var generator = SeededGenerator(seed: seed)
    return Sequential(
        Linear(inputSize: inputs, outputSize: hidden, initialization: .he, using: &generator),
        ReLU(),
        Linear(inputSize: hidden, outputSize: 1, using: &generator))
}

/// The rows `indices` of `x` (`[rows, columns]`), stacked in that order.
func rows(_ x: Tensor, _ indices: ArraySlice<Int>) -> Tensor {
    let columns = x.shape[1]
    var data: [Float] = []
    data.reserveCapacity(indices.count * columns)
    for row in indices {
        data += x.data[row * columns ..< (row + 1) * columns]
    }
    return Tensor(shape: [indices.count, columns], data: data)
}

func modelFile(in folder: String) -> URL {
    URL(fileURLWithPath: folder).appendingPathComponent("model.safetensors")
}

// MARK: - train

func train(_ arguments: ArraySlice<String>) throws {
    let options = try options(arguments, allowed: ["data", "out", "target", "epochs", "hidden",
                                                   "seed"], required: ["data", "out"])
    let epochs = try positiveInteger(options, "epochs", default: 150)
    let hidden = try positiveInteger(options, "hidden", default: 32)
    let seed = UInt64(try positiveInteger(options, "seed", default: 1))

    let table = try readCSV(URL(fileURLWithPath: options["data"] ?? ""))
    let target = options["target"] ?? table.columns[table.columns.count - 1]
    let features = table.columns.filter { $0 != target }
    guard !features.isEmpty else {
        throw ExampleError(description: "\(table.name): no input columns besides \"\(target)\"")
    }
    guard table.rows.count >= 10 else {
        throw ExampleError(description: "\(table.name): \(table.rows.count) rows — training "
                           + "needs at least 10 (8 to learn from, 2 to check on)")
    }
    let x = try table.tensor(columns: features)           // [rows, features]
    let y = try table.tensor(columns: [target])           // [rows, 1]

    // Hold out a fifth of the rows, chosen at random: the model never trains on them, so its
    // error on them is an honest estimate of its error on new data.
    var generator = SeededGenerator(seed: seed)
    var order = Array(0..<table.rows.count)
    generator.shuffle(&order)
    let heldOut = max(2, order.count / 5)
    let validation = Array(order[..<heldOut])
    var training = Array(order[heldOut...])

    // Statistics from the training rows only: the held-out rows must stay unseen.
    let card = ModelCard(features: features, target: target, hiddenSize: hidden,
                         inputs: Standardization(fitting: rows(x, training[...])),
                         output: Standardization(fitting: rows(y, training[...])))
    let inputs = card.inputs.normalize(x)
    let targets = card.output.normalize(y)
    let validationBatch = [(inputs: rows(inputs, validation[...]),
                            targets: rows(targets, validation[...]))]

    let model = makeModel(inputs: features.count, hidden: hidden, seed: seed)
    let optimizer = Adam(parameters: model.parameters(), learningRate: 0.01)
    let trainer = Trainer(model: model, optimizer: optimizer, loss: meanSquaredError,
                          schedule: CosineSchedule(initial: 0.01, minimum: 0.0005,
                                                   totalEpochs: epochs),
                          gradientClipNorm: 5)
    say("Training \(features.count) → \(hidden) → 1 to predict \"\(target)\" from "
        + features.joined(separator: ", ") + " on \(training.count) rows, checking on "
        + "\(validation.count) held-out rows")

    let batchSize = 32
    var validationError: Float = 0
    for epoch in 1...epochs {
        generator.shuffle(&training)  // a new order every epoch
        let batches = stride(from: 0, to: training.count, by: batchSize).map { start in
            let indices = training[start..<min(start + batchSize, training.count)]
            return (inputs: rows(inputs, indices), targets: rows(targets, indices))
        }
        let trained = trainer.trainEpoch(batches)
        let checked = trainer.evaluate(validationBatch)
        // The loss is a mean squared error in normalized units; √loss · deviation is a typical
        // error in the target's own units (rentals), which people can judge.
        let trainingError = trained.loss.squareRoot() * card.output.deviation[0]
        validationError = checked.loss.squareRoot() * card.output.deviation[0]
        if epoch == 1 || epoch == epochs || epoch % 10 == 0 {
            say("epoch \(epoch)/\(epochs)  training error ±\(rounded(trainingError))  "
                + "held-out error ±\(rounded(validationError)) \(target)")
        }
    }

    let folder = URL(fileURLWithPath: options["out"] ?? "")
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
        throw ExampleError(description: "cannot create the folder \(folder.path): "
                           + error.localizedDescription)
    }
    let file = modelFile(in: folder.path)
    try model.save(to: file, metadata: card.metadata)
    say("Saved \(model.parameterCount) parameters and the normalization to \(file.path); "
        + "held-out error ±\(rounded(validationError)) \(target) (the \(target) column itself "
        + "spreads ±\(rounded(card.output.deviation[0])))")
}

func rounded(_ value: Float) -> String {
    String(format: value < 1 ? "%.4f" : "%.1f", Double(value))
}

// MARK: - predict

func predict(_ arguments: ArraySlice<String>) throws {
    let options = try options(arguments, allowed: ["model", "data"], required: ["model", "data"])
    let file = modelFile(in: options["model"] ?? "")
    let (tensors, metadata) = try Safetensors.load(file)
    let card = try ModelCard(metadata: metadata, file: file.lastPathComponent)
    let model = makeModel(inputs: card.features.count, hidden: card.hiddenSize, seed: 0)
    try model.loadParameters(tensors, file: file.lastPathComponent)  // checks names and shapes
    model.eval()

    let table = try readCSV(URL(fileURLWithPath: options["data"] ?? ""))
    let x = try table.tensor(columns: card.features)  // the training order, whatever the file's
    guard table.rows.count > 0 else {
        throw ExampleError(description: "\(table.name): no rows to predict")
    }
    let predictions = GradientMode.withoutGradients {
        card.output.denormalize(model(card.inputs.normalize(x)))
    }
    var output = "predicted_\(card.target)\n"
    for value in predictions.data {
        output += "\(value)\n"
    }
    FileHandle.standardOutput.write(Data(output.utf8))
    say("Predicted \(table.rows.count) rows with \(file.path)")
}

// MARK: - inspect

func inspect(_ arguments: ArraySlice<String>) throws {
    let options = try options(arguments, allowed: ["model"], required: ["model"])
    let (tensors, metadata) = try Safetensors.load(modelFile(in: options["model"] ?? ""))
    let tensorLines = tensors.keys.sorted().map { name -> String in
        let tensor = tensors[name] ?? Tensor.zeros([0])
        return "    " + jsonQuoted(name) + ": {\"shape\": \(tensor.shape), \"data\": "
            + json(tensor.data) + "}"
    }
    let metadataLines = metadata.keys.sorted().map { key in
        "    " + jsonQuoted(key) + ": " + jsonQuoted(metadata[key] ?? "")
    }
    let text = "{\n  \"tensors\": {\n" + tensorLines.joined(separator: ",\n") + "\n  },\n"
        + "  \"metadata\": {\n" + metadataLines.joined(separator: ",\n") + "\n  }\n}\n"
    FileHandle.standardOutput.write(Data(text.utf8))
}

// MARK: - sample

/// Writes a made-up bike-sharing data set: rentals per hour from the hour, the temperature (°C),
/// the humidity (%) and the weekday (0 = Monday). Commuter peaks at 8:00 and 17:30 on workdays,
/// an afternoon bump at weekends, more rentals in warm, dry weather, and noise with a standard
/// deviation of 15 rentals: no model can do better than about ±15.
func sample(_ arguments: ArraySlice<String>) throws {
    let options = try options(arguments, allowed: ["out", "rows", "seed"], required: ["out"])
    let count = try positiveInteger(options, "rows", default: 2000)
    var generator = SeededGenerator(seed: UInt64(try positiveInteger(options, "seed", default: 1)))
    func bump(_ x: Float, at centre: Float, width: Float) -> Float {
        Float(exp(-Double((x - centre) * (x - centre) / width)))
    }
    var text = "hour,temperature,humidity,weekday,rentals\n"
    for _ in 0..<count {
        let hour = Float(generator.nextInt(below: 24))
        let weekday = Float(generator.nextInt(below: 7))
        let temperature = (generator.nextFloat(in: -5...35) * 10).rounded() / 10
        let humidity = generator.nextFloat(in: 20...100).rounded()
        let workday: Float = weekday < 5 ? 1 : 0
        let commute = bump(hour, at: 8, width: 4) + bump(hour, at: 17.5, width: 4)
        var rentals = 30 + 4 * temperature - 1.2 * (humidity - 60)
            + workday * 250 * commute + (1 - workday) * 180 * bump(hour, at: 14, width: 18)
            + (hour >= 6 && hour <= 22 ? 40 : 0)
        rentals = max(0, rentals + generator.nextNormal(standardDeviation: 15)).rounded()
        text += "\(Int(hour)),\(temperature),\(Int(humidity)),\(Int(weekday)),\(Int(rentals))\n"
    }
    let url = URL(fileURLWithPath: options["out"] ?? "")
    do {
        try Data(text.utf8).write(to: url)
    } catch {
        throw ExampleError(description: "cannot write \(url.path): \(error.localizedDescription)")
    }
    say("Wrote \(count) rows to \(url.path)")
}

// MARK: - main

let arguments = CommandLine.arguments.dropFirst()
do {
    // `--help` anywhere, as in `RegressionExample train --help`, asks for the usage.
    if arguments.first == "help" || arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
        print(usage)
        exit(0)
    }
    switch arguments.first {
    case "train": try train(arguments.dropFirst())
    case "predict": try predict(arguments.dropFirst())
    case "inspect": try inspect(arguments.dropFirst())
    case "sample": try sample(arguments.dropFirst())
    case let other?:
        throw UsageError(description: "unknown command \"\(other)\"")
    case nil:
        throw UsageError(description: "which command: train, predict, inspect or sample?")
    }
} catch let error as UsageError {
    say("error: \(error)\n\n\(usage)")
    exit(64)
} catch {
    say("error: \(error)")
    exit(1)
}
