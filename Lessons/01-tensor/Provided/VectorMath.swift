// Lesson 01 (given — you do not need to change it, and you need not use it): e^x and tanh for
// 8 numbers at once, for the lessons whose element-wise work is mostly transcendental functions.
//
// Foundation's `exp` and `tanh` are a call into the C library per number, a few nanoseconds each.
// That adds up: attention computes an exponential for every query–key pair (196,608 per layer for
// the 2017 milestone's batch: 12 sequences × 4 heads × 64 × 64, about 1 ms per layer, more than the
// rest of its masked softmax together, lesson 12), and GELU a tanh for every hidden number of every
// transformer block (393,216 per block and step: 10 ms one at a time, 1.6 ms 8 at a time, lessons 02
// and 05). These functions compute 8 at a time with SIMD instructions, under a nanosecond per
// number. `vectorExp` is within 2 units in the last place (1.2 measured over [−87, 10]) — the
// method of the Cephes library (Moshier, 1984), which most vectorized math libraries follow:
//
//     e^x = 2^n · e^r,   n = round(x / ln 2),   r = x − n · ln 2  ∈ [−ln 2 / 2, ln 2 / 2]
//
// e^r, on that short interval, is a polynomial of degree 7 (fitted to minimize the largest
// error); 2^n is built directly in the number's exponent bits. `ln 2` is split into a part with
// few bits and a tiny correction, so that `n · ln 2` is exact enough for large n.

/// `e^x` for each of 8 numbers, for `x ≤ 0` (softmax's `x − max`), within 2 ulp of the true
/// value.
///
/// Below −87.3 (where `e^x` is under 1.2e-38, the smallest normal `Float`) the result is 0; −∞
/// gives exactly 0; NaN gives NaN. Positive inputs up to 88 are right too (above, e^88).
///
///     vectorExp(SIMD8<Float>(0, -1, -2, -0.5, -10, -87.5, -.infinity, .nan))
///     // [1, 0.36787945, 0.13533528, 0.60653067, 4.539993e-05, 0, 0, nan]
@inlinable @inline(__always)
public func vectorExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let smallest: Float = -87.3
    // Out-of-range and NaN inputs are computed as `smallest` and fixed at the end, so that no
    // NaN or infinity ever reaches the conversion to whole numbers below.
    let clamped = x.replacing(with: smallest, where: .!(x .>= smallest))
        .replacing(with: 88, where: x .> 88)
    // round(x / ln 2) by adding 1.5 · 2^23: a Float that large has no bits after the point, so
    // the addition rounds to a whole number, which then sits in the low bits of the sum's bit
    // pattern. (Swift's SIMD conversion of Floats to Int32 checks each number one by one;
    // this stays 8 at a time.)
    let magic: Float = 12_582_912                                  // 1.5 · 2^23
    let shifted = clamped * 1.44269504088896341 + magic
    let n = shifted - magic                                         // round(x / ln 2), a Float
    let r = clamped - n * 0.693359375 + n * 2.12194440e-4          // x − n · ln 2, in two steps
    // Cephes expf's polynomial, by Horner's rule with fused multiply-adds (c + p · r, rounded
    // once): e^r ≈ 1 + r + r² · (0.5 + r · (1/6 + r · (…))).
    var p = SIMD8<Float>(repeating: 1.9875691500e-4)
    p = SIMD8(repeating: 1.3981999507e-3).addingProduct(p, r)
    p = SIMD8(repeating: 8.3334519073e-3).addingProduct(p, r)
    p = SIMD8(repeating: 4.1665795894e-2).addingProduct(p, r)
    p = SIMD8(repeating: 1.6666665459e-1).addingProduct(p, r)
    p = SIMD8(repeating: 5.0000001201e-1).addingProduct(p, r)
    p = (r + 1).addingProduct(p, r * r)
    // 2^n: the exponent field of a Float holds n + 127, in bits 23…30.
    let wholeN = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000   // n as Int32
    let twoToTheN = unsafeBitCast((wholeN &+ 127) &<< 23, to: SIMD8<Float>.self)
    return (p * twoToTheN)
        .replacing(with: 0, where: x .< smallest)
        .replacing(with: x, where: x .!= x)   // NaN stays NaN
}

/// `tanh x` for each of 8 numbers, from `vectorExp`: `tanh x = ±(1 − e) / (1 + e)` with
/// `e = e^(−2|x|) ∈ [0, 1]`, which never overflows. Within 1e-7 of the true value (8.9e-8
/// measured over [−12, 12]) — an absolute bound: near 0, where tanh x ≈ x is tiny, the relative
/// error is larger than Foundation's, so use it where tanh is added to 1, as in GELU. ±∞ gives
/// ±1; NaN gives NaN.
///
///     vectorTanh(SIMD8<Float>(0, 0.5, -0.5, 1, -3, 20, -.infinity, .nan))
///     // [0, 0.46211717, -0.46211717, 0.7615941, -0.9950548, 1, -1, nan]
@inlinable @inline(__always)
public func vectorTanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let negative = x .< 0
    let e = vectorExp(-2 * x.replacing(with: -x, where: negative))
    let magnitude = (1 - e) / (1 + e)
    return magnitude.replacing(with: -magnitude, where: negative)
}
