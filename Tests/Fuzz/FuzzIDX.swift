// libFuzzer entry point for lesson 08's IDX parser (the reference solution). Any byte sequence
// must give an IDXArray or a DataError: a trap, an out-of-bounds access or a huge allocation is
// a bug. Built and run by Tests/Fuzz/run.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let array = try? parseIDX(bytes, name: "fuzz") {
        // What the parser promises: the shape accounts for exactly the bytes it kept.
        let count = array.shape.reduce(1, *)
        precondition(count == array.bytes.count, "shape \(array.shape) does not match \(array.bytes.count) bytes")
    }
    return 0
}
