// libFuzzer entry point for `tutor inspect`'s reader (TutorCore's SafetensorsHeader). Any byte
// sequence must give a header or a SafetensorsFileError: a trap, an out-of-bounds access or a
// huge allocation is a bug. Built and run by Tests/Fuzz/run.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInspect(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let header = try? SafetensorsHeader.parse(file: bytes, name: "fuzz") {
        // What the reader promises: the sizes add up, and a valid layout lies inside the file.
        precondition(header.dataStart + header.dataSize == bytes.count, "sizes do not add up")
        if header.problems.isEmpty {
            precondition(header.totalBytes == header.dataSize, "a valid layout fills the data section exactly")
        }
    }
    return 0
}
