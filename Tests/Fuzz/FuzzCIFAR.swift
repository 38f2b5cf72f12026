// libFuzzer entry point for lesson 08's CIFAR-10 reader (Provided/CIFAR10.swift): the size check
// and the record decoder that `CIFAR10.load` runs on every batch file. Any byte sequence must give
// a count or a DataError, and every whole-record prefix must decode into labels 0–9 and pixels in
// 0…1 or throw a DataError: a trap, an out-of-bounds access or a huge allocation is a bug. Built
// and run by Tests/Fuzz/run.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCIFAR(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let recordSize = CIFAR10.recordSize
    // The size check: a count exactly when the file holds 1 to 10,000 whole records.
    let wholeRecords = size > 0 && size % recordSize == 0 && size / recordSize <= CIFAR10.maximumImagesPerFile
    let count = try? CIFAR10.imageCount(fileSize: size, name: "fuzz")
    precondition((count != nil) == wholeRecords, "imageCount(fileSize: \(size)) gave \(String(describing: count))")
    if let count { precondition(count == size / recordSize, "\(count) images in \(size) bytes") }

    // The decoder, on the whole records at the start of the input.
    let images = min(size / recordSize, CIFAR10.maximumImagesPerFile)
    guard images > 0 else { return 0 }
    var pixels = [Float](repeating: -1, count: images * CIFAR10.pixelsPerImage)
    var labels: [Int] = []
    let records = UnsafeRawBufferPointer(rebasing: bytes[0..<(images * recordSize)])
    do {
        try pixels.withUnsafeMutableBufferPointer {
            try CIFAR10.decode(records, name: "fuzz", into: $0, labels: &labels)
        }
        precondition(labels.count == images && labels.allSatisfy { (0..<10).contains($0) }, "labels \(labels)")
        precondition(pixels.allSatisfy { (0...1).contains($0) }, "a pixel outside 0…1")
        // Spot check: the last pixel of the last image is its byte over 255.
        precondition(pixels[pixels.count - 1] == Float(bytes[images * recordSize - 1]) / 255, "last pixel")
    } catch let error as DataError {
        guard case .cifarLabelOutOfRange(_, let image, let value) = error,
              value > 9, bytes[image * recordSize] == UInt8(value) else {
            preconditionFailure("unexpected \(error)")
        }
    } catch {
        preconditionFailure("not a DataError: \(error)")
    }
    return 0
}
