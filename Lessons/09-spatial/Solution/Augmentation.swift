// Lesson 09, file 7 of 7: data augmentation — new training images from old ones, for free.
//
// A cat shifted two pixels to the left, or seen in a mirror, is still a cat. Showing the network
// randomly shifted and mirrored copies of the training images, a new variation every epoch,
// teaches it exactly that, and it generalizes better to images it has never seen:
//
//     random crop, padding 2            random horizontal flip
//     ┌─────────┐                       ┌───────┐        ┌───────┐
//     │0 0 0 0 0│ ← zeros around         │ ▗▖    │   ──►  │    ▗▖ │   each row reversed,
//     │0 ┌───┐ 0│   the image, then      │ ▐█▙   │        │   ▟█▌ │   with probability p
//     │0 │img│ 0│   a window of the      └───────┘        └───────┘
//     │0 └───┘ 0│   original size at a
//     │0 0 0 0 0│   random offset
//     └─────────┘
//
// Augmentation changes the data, not the model, and only while training: the test images are
// used as they are. Nothing here needs a gradient, so nothing is recorded.

import TinyTorchTensor

/// Pads each image with `padding` zeros on every side, then cuts out a `size × size` window at a
/// random place (a new place for each image): a random shift of up to `padding` pixels each way
/// when `size` is the image's own size.
///
/// For image `n`, in order, two draws from `generator`:
///
///     top  = generator.nextInt(below: H + 2·padding − outputHeight + 1)
///     left = generator.nextInt(below: W + 2·padding − outputWidth + 1)
///     output[n, c, y, x] = input[n, c, top + y − padding, left + x − padding]   (0 outside)
///
/// with `outputHeight = size ?? H` and `outputWidth = size ?? W`. Shape: `[N, C, H, W]` →
/// `[N, C, size ?? H, size ?? W]`. Not recorded. The window must fit in the padded image, and
/// `padding ≥ 0` (a `require`).
///
///     // a 1 × 1 × 2 × 2 image [[1, 2], [3, 4]], padding 1: top and left each in 0...2;
///     // top 0, left 1 gives the window [[0, 0], [1, 2]]; top 1, left 1 the image itself
public func randomCrop(
    _ images: Tensor, size: Int? = nil, padding: Int, using generator: inout SeededGenerator
) -> Tensor {
    require(images.rank == 4,
            "randomCrop: images \(images.shape) need 4 axes, [batch, channels, height, width]")
    let (batch, channels, height, width) = (images.shape[0], images.shape[1], images.shape[2],
                                            images.shape[3])
    let (outputHeight, outputWidth) = (size ?? height, size ?? width)
    require(padding >= 0, "randomCrop: padding \(padding) — it cannot be negative")
    require(outputHeight >= 1 && outputWidth >= 1
                && outputHeight <= height + 2 * padding && outputWidth <= width + 2 * padding,
            "randomCrop: a \(outputHeight) × \(outputWidth) window does not fit in images "
               + "\(images.shape) padded by \(padding) (\(height + 2 * padding) × "
               + "\(width + 2 * padding))")

    var output = [Float](repeating: 0, count: batch * channels * outputHeight * outputWidth)
    images.data.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { output in
            for n in 0..<batch {
                let top = generator.nextInt(below: height + 2 * padding - outputHeight + 1)
                let left = generator.nextInt(below: width + 2 * padding - outputWidth + 1)
                // Output columns whose source column is inside the image; the rest stay 0.
                let columns = max(0, padding - left)..<min(outputWidth, width + padding - left)
                for c in 0..<channels {
                    let plane = (n * channels + c) * height * width
                    for y in 0..<outputHeight {
                        let row = top + y - padding
                        guard row >= 0 && row < height else { continue }
                        let target = ((n * channels + c) * outputHeight + y) * outputWidth
                        for x in columns {
                            output[target + x] = source[plane + row * width + left + x - padding]
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: [batch, channels, outputHeight, outputWidth], data: output)
}

/// Mirrors each image left to right with probability `probability` (a new decision per image).
///
/// For image `n`, in order, one draw: the image is flipped when
/// `generator.nextFloat() < probability`, and then `output[n, c, y, x] = input[n, c, y, W − 1 − x]`
/// for every channel; otherwise it is copied as it is. Shape: `[N, C, H, W]` → the same. Not
/// recorded. `probability` must be in `[0, 1]` (a `require`): 0 never flips, 1 always does.
///
///     // [[1, 2, 3]] flipped is [[3, 2, 1]]
public func randomHorizontalFlip(
    _ images: Tensor, probability: Float = 0.5, using generator: inout SeededGenerator
) -> Tensor {
    require(images.rank == 4,
            "randomHorizontalFlip: images \(images.shape) need 4 axes, [batch, channels, "
               + "height, width]")
    require((0...1).contains(probability),
            "randomHorizontalFlip: probability \(probability) — it must be in [0, 1]")
    let (batch, width) = (images.shape[0], images.shape[3])
    let rowsPerImage = images.shape[1] * images.shape[2]
    var output = images.data
    output.withUnsafeMutableBufferPointer { output in
        for n in 0..<batch {
            guard generator.nextFloat() < probability else { continue }  // one draw per image
            for row in (n * rowsPerImage)..<((n + 1) * rowsPerImage) {
                let start = row * width
                output[start..<(start + width)].reverse()
            }
        }
    }
    return Tensor(shape: images.shape, data: output)
}
