// The Swift half of the PyTorch parity check: `python3 Tests/Benchmarks/parity/parity.py` builds
// this program (Package.swift declares it only with TUTOR_PARITY set) and runs it.
//
// It reads one JSON document of cases on standard input, runs each through the course's own
// framework and writes one JSON document of results on standard output, in the same order:
//
//     in:  {"cases": [{"op": "softmax", "args": {"axis": 1},
//                      "inputs": [{"shape": [2, 3], "data": "<base64>", "grad": true}],
//                      "upstream": {"shape": [2, 3], "data": "<base64>"}}, …]}
//     out: {"results": [{"output": {…}, "gradients": [{…} or null, …]}, …]}
//
// A tensor's numbers travel as base64 of little-endian float32: exact, and NaN survives (JSON
// has no NaN). An operation (Operations.swift) is run forward, then `backward(gradient:
// upstream)`, and the gradient of each input marked "grad" is returned. A procedure
// (Procedures.swift: optimizers, schedules, clipping) gets the inputs and a list of steps and
// returns a list of tensors. An op this build does not have (its lesson is not declared) comes
// back as {"missing": "…"}, an output of another shape than PyTorch's as {"error": "…"}.

import Foundation
import TinyTorch

/// The arguments of a case, as the Python side wrote them.
struct Arguments {
    let values: [String: Any]

    func int(_ key: String) -> Int { values[key] as! Int }
    func float(_ key: String) -> Float { Float(values[key] as! Double) }
    func bool(_ key: String) -> Bool { values[key] as! Bool }
    func ints(_ key: String) -> [Int] { values[key] as! [Int] }
    func has(_ key: String) -> Bool { values[key] != nil && !(values[key] is NSNull) }
}

func decodeTensor(_ object: Any) -> Tensor {
    let fields = object as! [String: Any]
    let shape = fields["shape"] as! [Int]
    let bytes = Data(base64Encoded: fields["data"] as! String)!
    let data = bytes.withUnsafeBytes { raw in
        (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }
    return Tensor(shape: shape, data: data)
}

func encodeTensor(_ tensor: Tensor) -> [String: Any] {
    var bytes = Data(capacity: tensor.data.count * 4)
    for value in tensor.data {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
    return ["shape": tensor.shape, "data": bytes.base64EncodedString()]
}

func run(_ spec: [String: Any]) -> [String: Any] {
    let name = spec["op"] as! String
    let arguments = Arguments(values: spec["args"] as? [String: Any] ?? [:])
    let inputSpecs = spec["inputs"] as? [[String: Any]] ?? []
    let inputs = inputSpecs.map(decodeTensor)

    if let operation = operations[name] {
        #if LESSON_05
        for (tensor, input) in zip(inputs, inputSpecs) where input["grad"] as? Bool == true {
            tensor.requiresGrad = true
        }
        let result = operation(inputs, arguments)
        let upstream = decodeTensor(spec["upstream"]!)
        guard upstream.shape == result.output.shape else {
            return ["error": "\(name) gave shape \(result.output.shape), PyTorch \(upstream.shape)"]
        }
        if result.output.requiresGrad {
            result.output.backward(gradient: upstream)
        }
        let gradients: [Any] = zip(result.gradientHolders, inputSpecs).map { holder, input in
            guard input["grad"] as? Bool == true, let gradient = holder.grad else { return NSNull() }
            return encodeTensor(gradient)
        }
        return ["output": encodeTensor(result.output), "gradients": gradients]
        #else
        let result = operation(inputs, arguments)
        return ["output": encodeTensor(result.output), "gradients": inputs.map { _ in NSNull() }]
        #endif
    }
    if let procedure = procedures[name] {
        let steps = (spec["steps"] as? [[Any]] ?? []).map { $0.map(decodeTensor) }
        return ["outputs": procedure(inputs, steps, arguments).map(encodeTensor)]
    }
    return ["missing": "\(name) is not in this build (is its lesson declared, TUTOR_LESSONS?)"]
}

let document = try JSONSerialization.jsonObject(with: FileHandle.standardInput.readDataToEndOfFile()) as! [String: Any]
let results = (document["cases"] as! [[String: Any]]).map(run)
let output = try JSONSerialization.data(withJSONObject: ["results": results])
FileHandle.standardOutput.write(output)
