// Measuring and showing a run: a clock, medians, durations in words, the machine's load, and a
// loss curve in one line — shared by the milestones that train for minutes.
import Dispatch
import Foundation

/// Seconds since an arbitrary start, from a clock that never jumps.
public func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// "2 min 05 s", "48 s", "1 h 02 min".
public func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s) s" }
    if s < 3600 { return String(format: "%d min %02d s", s / 60, s % 60) }
    return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
}

/// The median of some measurements.
public func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

extension String {
    /// The string with spaces in front, to `width` characters.
    public func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// `text` cut into lines of at most `width` characters, at spaces.
public func wrapped(_ text: String, width: Int = 76) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}

/// A curve of `values` in one line of block characters (▁▂▃▄▅▆▇█, low to high), at most `width`
/// of them (neighbours averaged when there are more values), between its highest and lowest
/// value: "2.21 ▇▆▅▄▄▃▃▂▂▁ 0.74".
public func sparkline(_ values: [Float], width: Int) -> [String] {
    guard let high = values.max(), let low = values.min() else { return [] }
    let bins = min(width, values.count)
    let points = (0..<bins).map { bin -> Float in
        let slice = values[(bin * values.count / bins)..<((bin + 1) * values.count / bins)]
        return slice.reduce(0, +) / Float(slice.count)
    }
    let blocks = Array("▁▂▃▄▅▆▇█")
    let span = max(high - low, 1e-6)
    let curve = String(points.map { blocks[min(blocks.count - 1, Int((($0 - low) / span) * Float(blocks.count)))] })
    return ["  " + String(format: "%.2f ", values.first!) + curve + String(format: " %.2f", values.last!)]
}

/// The machine's load average over the last minute and its number of cores, on Linux (nil
/// elsewhere): above the number of cores, other programs are taking part of the machine's time.
public func machineLoad() -> (load: Double, cores: Int)? {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
          let first = text.split(separator: " ").first, let load = Double(first) else { return nil }
    return (load, ProcessInfo.processInfo.activeProcessorCount)
}
