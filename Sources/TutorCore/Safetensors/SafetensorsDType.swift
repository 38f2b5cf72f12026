/// The element types a safetensors file can hold, as the Rust implementation (0.8) names them
/// (https://github.com/huggingface/safetensors, `Dtype`), with their sizes in bits.
public enum SafetensorsDType: String, CaseIterable, Codable, Sendable {
    case bool = "BOOL"
    case f4 = "F4"
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case f8E4M3FNUZ = "F8_E4M3FNUZ"
    case f8E5M2FNUZ = "F8_E5M2FNUZ"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case c64 = "C64"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bits per element: 4 for F4, 16 for BF16, 64 for C64 (two F32s).
    public var bits: Int {
        switch self {
        case .f4: return 4
        case .f6E2M3, .f6E3M2: return 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0, .f8E4M3FNUZ, .f8E5M2FNUZ: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .c64, .f64, .i64, .u64: return 64
        }
    }

    /// Whether the course's reader (lesson 07, `Safetensors.load`) reads it: F32, and F64
    /// converted to `Float`. Every other dtype must be converted first (in Python,
    /// `tensor.float()` or `array.astype(np.float32)`).
    public var courseReads: Bool { self == .f32 || self == .f64 }
}
