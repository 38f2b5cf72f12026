// What the trained network gets right and wrong: accuracy per class, the confusion matrix, and a
// few test photos drawn in the terminal with the network's answer.
import Foundation
import MilestoneSupport
import TinyTorch

/// Accuracy per class (with a bar) and the confusion matrix: row = the true class, column = the
/// class the network said; the diagonal is right.
func printClassReport(predicted: [Int], labels: [Int], names: [String]) {
    let classes = names.count
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    for (guess, truth) in zip(predicted, labels) { confusion[truth][guess] += 1 }
    let width = names.map(\.count).max() ?? 0
    Report.say("\nAccuracy per class:")
    for (index, name) in names.enumerated() {
        let total = confusion[index].reduce(0, +)
        let share = total == 0 ? 0 : Double(confusion[index][index]) / Double(total)
        let bar = String(repeating: "█", count: Int((share * 30).rounded()))
        Report.say("  " + name.padding(toLength: width, withPad: " ", startingAt: 0)
            + String(format: " %5.1f%%  ", share * 100) + bar)
    }
    // The columns are labelled by the first four letters of each class.
    Report.say("\nConfusion matrix (rows: the true class; columns: what the network said):")
    let header = names.map { String($0.prefix(4)).padding(toLength: 5, withPad: " ", startingAt: 0) }.joined()
    Report.say("  " + String(repeating: " ", count: width) + "  " + header)
    for (index, name) in names.enumerated() {
        let cells = confusion[index].map { String(format: "%4d ", $0) }.joined()
        Report.say("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + cells)
    }
    // The pair of classes most often mixed up, in words.
    var worst = (truth: 0, guess: 1, count: -1)
    for truth in 0..<classes {
        for guess in 0..<classes where guess != truth && confusion[truth][guess] > worst.count {
            worst = (truth, guess, confusion[truth][guess])
        }
    }
    if worst.count > 0 {
        Report.say("Most often confused: \(worst.count) \(names[worst.truth]) photos taken for \(names[worst.guess])s.")
    }
}

/// Test photos at `indices` of `images` (the 0…1 pixels, `[N, 3, 32, 32]`), two side by side,
/// each with the network's answer and the truth.
func drawExamples(images: TensorDataset, indices: [Int], logits: [Float], labels: [Int], names: [String]) {
    let palette = TerminalPalette.current()
    let (height, width) = (images.inputs.shape[2], images.inputs.shape[3])
    let plane = height * width
    let columnWidth = width + 4
    Report.say("\nA few test photos the network has never seen\(palette == .none ? " (drawn in characters: no colour here)" : ""):")
    let shown = indices.filter { $0 < labels.count }
    for group in stride(from: 0, to: shown.count, by: 2) {
        let pair = Array(shown[group..<min(group + 2, shown.count)])
        var rows = [String](repeating: "", count: height / 2)
        var captions = ["", ""]
        for (slot, index) in pair.enumerated() {
            let start = index * 3 * plane
            let data = images.inputs.data
            let art = picture(red: data[start..<(start + plane)], green: data[(start + plane)..<(start + 2 * plane)],
                              blue: data[(start + 2 * plane)..<(start + 3 * plane)], width: width, height: height,
                              palette: palette)
            for row in 0..<rows.count { rows[row] += "  " + art[row] + "  " }
            let scores = Array(logits[(index * 10)..<(index * 10 + 10)])
            let guess = scores.indices.max { scores[$0] < scores[$1] }!
            let truth = labels[index]
            captions[slot] = guess == truth ? "✓ \(names[guess])" : "✗ \(names[guess]) (is \(names[truth]))"
        }
        for row in rows { Report.say(row) }
        Report.say(captions.prefix(pair.count).map { "  " + $0.padding(toLength: columnWidth - 2, withPad: " ", startingAt: 0) }.joined())
    }
}
