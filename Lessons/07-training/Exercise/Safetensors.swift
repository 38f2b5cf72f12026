// Lesson 07, file 4 of 6: safetensors — the checkpoint format of Hugging Face, readable by
// Python's `safetensors` package and written here byte for byte as it writes it.
//
//     ┌───────────────┬───────────────────────────────────┬──────────────────────────────┐
//     │ 8 bytes       │ N bytes                           │ the data section             │
//     │ N, a UInt64,  │ JSON header, UTF-8, padded with   │ every tensor's numbers, raw, │
//     │ little-endian │ spaces so that 8 + N is a         │ little-endian, one tensor    │
//     │               │ multiple of 8                     │ after another                │
//     └───────────────┴───────────────────────────────────┴──────────────────────────────┘
//
//     {"__metadata__":{"format":"np"},
//      "bias":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},
//      "weight":{"dtype":"F32","shape":[2,3],"data_offsets":[16,40]}}
//
// `data_offsets` are `[begin, end)` byte positions counted from the start of the data section.
// Reading trusts nothing: every number in the file is checked before it is used.
//
// Write `encode`, `save`, `parse`, then `load`. Private helpers of your own are welcome (a
// struct for one checked header entry, a function that appends little-endian bytes, …);
// `CheckpointError` (given, in Provided/) has a case for every problem `parse` must report.

import Foundation  // Data and URL, to read and write files
import TinyTorchTensor

/// Reads and writes safetensors files (https://github.com/huggingface/safetensors).
///
///     try Safetensors.save([(name: "weight", tensor: w)], metadata: ["epoch": "3"], to: url)
///     let (tensors, metadata) = try Safetensors.load(url)
///     tensors["weight"]!.shape        // w.shape
///
/// Files are written with dtype F32. Reading accepts F32 and F64 (converted to `Float`; NumPy's
/// default dtype is float64) and rejects every other dtype with `CheckpointError.unsupportedDtype`.
public enum Safetensors {
    /// The largest header `parse` accepts, in bytes: 4 MB. A tensor's entry takes about 100
    /// bytes, so that is some 40,000 tensors; a 70-billion-parameter Llama has 723, and models too
    /// big for one file are split into files of a few hundred tensors each. Parsed, a header
    /// takes up to 25 times its size in memory: 4 MB stays near 100 MB, where the Rust
    /// implementation's limit, 100 MB, could take gigabytes. A bigger header is refused before
    /// any of it is parsed.
    public static let maximumHeaderSize = 4_000_000

    /// The bytes of a safetensors file holding `tensors` (as F32) and `metadata`.
    ///
    /// Done as Python's `safetensors.numpy.save` does it, so that both write the same bytes:
    ///
    ///  1. Names must be non-empty, not `__metadata__`, and all different; otherwise throw
    ///     `CheckpointError.invalidName`.
    ///  2. Sort the tensors by name, comparing the UTF-8 bytes (`a.utf8.lexicographicallyPrecedes
    ///     (b.utf8)`); the data section holds them in that order.
    ///  3. The header, with no spaces: `{`, then `"__metadata__":{"key":"value",…}` with the keys
    ///     sorted the same way (Python leaves them in hash order; sorting makes the bytes the same
    ///     every time; left out when `metadata` is empty), then for each tensor
    ///     `"name":{"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]}`, separated by `,`,
    ///     then `}`. Every string goes through `jsonQuoted(_:)`. `begin` is where the tensor
    ///     starts in the data section, `end = begin + 4 · count`.
    ///  4. Append spaces to the header until its length is a multiple of 8.
    ///  5. The file: the header's length as 8 little-endian bytes, the header, then every float's
    ///     `bitPattern` as 4 little-endian bytes, tensor after tensor.
    ///
    ///     try Safetensors.encode([(name: "b", tensor: Tensor([1]))])
    ///     // 38 00 00 00 00 00 00 00                                   N = 56, little-endian
    ///     // {"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}    54 bytes of JSON
    ///     // 20 20                                                     2 spaces: 8 + 56 = 64
    ///     // 00 00 80 3F                                               1.0 as 4 bytes
    public static func encode(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]
    ) throws -> [UInt8] {
        todo("TODO(lesson 07): implement Safetensors.encode(_:metadata:)")
    }

    /// Writes `encode(tensors, metadata:)` to `url` (atomically: a crash while writing leaves the
    /// old file, never half a new one). Throws `CheckpointError.invalidName` from `encode`, or
    /// `.unwritable(file:reason:)` if the file cannot be written.
    ///
    ///     try Safetensors.save(model.namedParameters(), metadata: ["epochs": "10"], to: url)
    public static func save(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
        to url: URL
    ) throws {
        todo("TODO(lesson 07): implement Safetensors.save(_:metadata:to:)")
    }

    /// Reads the safetensors file at `url`: `parse` of its bytes, with the file's name in the
    /// messages. Throws `.fileNotFound` if there is no such file, `.unreadable` if it cannot be
    /// read, and whatever `parse` throws.
    public static func load(_ url: URL) throws -> (tensors: [String: Tensor],
                                                    metadata: [String: String]) {
        todo("TODO(lesson 07): implement Safetensors.load(_:)")
    }

    /// The tensors and metadata in the bytes of a safetensors file, every field checked: any
    /// input at all gives either the tensors or a `CheckpointError` — never a crash, never an
    /// allocation larger than the input.
    ///
    /// The checks, in order (`name` is for the messages):
    ///
    ///  1. At least 8 bytes (`truncatedLength`). The first 8 are the header length `N`, a
    ///     little-endian `UInt64`. `N` must fit in the rest of the file (`truncatedHeader`) —
    ///     compare as `UInt64` before converting to `Int` — and be at most `maximumHeaderSize`
    ///     (`headerTooLarge`).
    ///  2. The header parses with `JSONValue.parse`, which also refuses arrays and objects nested
    ///     more than 3 deep and a key given twice (`invalidHeader`, with the `JSONError`'s
    ///     description as the reason: `"\(error)"`), and is an object (`invalidHeader`, naming
    ///     what it is instead).
    ///  3. `__metadata__`, if present and not null, is an object of strings (`invalidMetadata`).
    ///  4. For every other key, in sorted order — one tensor's entry: an object (`invalidEntry`)
    ///     with `"dtype"` a string, `"shape"` an array of integers ≥ 0 and `"data_offsets"` an
    ///     array of two integers ≥ 0 (`invalidEntry`, saying which field and what it found);
    ///     the dtype is F32 or F64 (`unsupportedDtype`); `begin ≤ end ≤` the size of the data
    ///     section (`offsetsOutOfRange`); the product of the shape times the dtype's size,
    ///     computed with `multipliedReportingOverflow(by:)` (`invalidEntry` on overflow), equals
    ///     `end − begin` (`sizeMismatch`).
    ///  5. Sorted by `begin` (then `end`), the tensors must tile the data section exactly: each
    ///     begins where the one before ended (`overlappingTensors` if earlier, `unusedBytes` if
    ///     later), and the last one ends at the end of the file (`unusedBytes`). This is what
    ///     the Rust implementation checks.
    ///  6. Only now, read each tensor's numbers: F32 as `Float(bitPattern:)` of 4 little-endian
    ///     bytes, F64 as `Float(Double(bitPattern:))` of 8.
    ///
    /// `maximumHeaderSize` can be lowered, to test the limit with a small input.
    ///
    ///     try Safetensors.parse(Safetensors.encode([(name: "b", tensor: Tensor([1]))]))
    ///     // (tensors: ["b": Tensor([1])], metadata: [:])
    public static func parse(
        _ bytes: [UInt8], name: String = "safetensors data",
        maximumHeaderSize: Int = maximumHeaderSize
    ) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        todo("TODO(lesson 07): implement Safetensors.parse(_:name:maximumHeaderSize:)")
    }
}
