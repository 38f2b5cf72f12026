// Provided: you do not need to change this file.
//
// Every random number in the course comes from `SeededGenerator`, passed in by the caller.
//
// Why seed? Training a network starts from random weights and visits the data in random order.
// If those choices change on every run, so does the result, and you cannot tell whether a change
// you made helped or whether you were lucky. With a fixed seed, the same program prints the same
// losses on every run and on every machine, so experiments can be repeated and compared — and
// tests can check exact numbers.

import Foundation  // log, cos and sqrt for the Box–Muller transform; no randomness from Foundation

/// A small, fast, reproducible random number generator: xoshiro256** seeded with SplitMix64.
///
/// Both algorithms are by David Blackman and Sebastiano Vigna (https://prng.di.unimi.it):
/// xoshiro256** keeps 256 bits of state and passes the standard statistical test suites;
/// SplitMix64 spreads a single 64-bit seed over those 256 bits, as the authors recommend.
///
/// The conversions to `Float` are written here rather than taken from the standard library
/// (`Float.random(in:using:)`), whose algorithm is free to change between Swift versions: with
/// these, a seed gives the same numbers on every machine and every release.
///
/// ```swift
/// var generator = SeededGenerator(seed: 42)
/// let w = Tensor.uniform([784, 128], in: -0.1...0.1, using: &generator)
/// ```
///
/// It conforms to `RandomNumberGenerator`, so `array.shuffle(using: &generator)` works; for an
/// order that is also fixed across Swift versions, use `generator.shuffle(&array)`.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        state = (
            Self.splitMix64(&splitMix), Self.splitMix64(&splitMix),
            Self.splitMix64(&splitMix), Self.splitMix64(&splitMix)
        )
    }

    /// SplitMix64: advances `x` by a fixed odd constant and scrambles it into a well-mixed output.
    private static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// The next 64 random bits (one step of xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(state.1 &* 5, by: 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniformly distributed `Float` in `range`.
    ///
    /// The top 24 bits of `next()` give a number `u` in [0, 1) on an even grid of 2⁻²⁴ (a `Float`
    /// has exactly 24 bits of precision, so `u` is exact); the result is
    /// `lower + u · (upper − lower)`. Example: bits `0x8000_00…` give u = 0.5, so
    /// `nextFloat(in: -1...1)` returns 0.
    public mutating func nextFloat(in range: ClosedRange<Float> = 0...1) -> Float {
        let unit = Float(next() >> 40) * 0x1p-24
        return range.lowerBound + unit * (range.upperBound - range.lowerBound)
    }

    /// A normally distributed `Float` (a bell curve around `mean`, spread `standardDeviation`).
    ///
    /// Box–Muller transform (Box & Muller, 1958), computed in `Double`: with u₁ in (0, 1] and u₂ in
    /// [0, 1) from two calls to `next()`, `z = √(−2 ln u₁) · cos(2π u₂)` is a standard normal
    /// number, and the result is `mean + standardDeviation · z`. The transform could give a second
    /// number (with `sin`); it is dropped so that each call uses exactly two `next()` values.
    public mutating func nextNormal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53  // (0, 1]: never 0, so the log is finite
        let u2 = Double(next() >> 11) * 0x1p-53        // [0, 1)
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return Float(Double(mean) + Double(standardDeviation) * z)
    }

    /// A uniformly distributed integer in `0..<upperBound`, without bias.
    ///
    /// Rejection sampling: values from the incomplete last block of `upperBound` are drawn again,
    /// so every result is equally likely. Example: `nextInt(below: 6)` rolls a die (0 to 5).
    public mutating func nextInt(below upperBound: Int) -> Int {
        require(upperBound > 0, "nextInt(below: \(upperBound)): the bound must be positive")
        let bound = UInt64(upperBound)
        // A multiple of `bound`: 0..<limit is whole blocks of `bound` values.
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let x = next()
            if x < limit { return Int(x % bound) }
        }
    }

    /// Shuffles `elements` in place (Fisher–Yates), in an order fixed by the seed alone.
    ///
    /// Used to visit training examples in a new random order every epoch:
    /// `generator.shuffle(&indices)`.
    public mutating func shuffle<Elements: MutableCollection & RandomAccessCollection>(
        _ elements: inout Elements
    ) {
        var remaining = elements.count
        var position = elements.startIndex
        while remaining > 1 {
            let offset = nextInt(below: remaining)
            elements.swapAt(position, elements.index(position, offsetBy: offset))
            elements.formIndex(after: &position)
            remaining -= 1
        }
    }
}
