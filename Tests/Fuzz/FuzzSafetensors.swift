// libFuzzer entry point for lesson 07's safetensors reader (the reference solution). Any byte
// sequence must give tensors or a CheckpointError: a trap, an out-of-bounds access or a huge
// allocation is a bug. Built and run by Tests/Fuzz/run.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let (tensors, _) = try? Safetensors.parse(bytes) {
        // What the reader promises: every tensor's data matches its shape.
        for (name, tensor) in tensors {
            precondition(tensor.shape.reduce(1, *) == tensor.data.count, "\(name): shape \(tensor.shape) vs \(tensor.data.count) numbers")
        }
    }
    return 0
}
