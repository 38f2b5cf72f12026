// Your playground: try your own framework here, outside any test.
//
//     swift run Playground                  every written lesson (as in Lessons/*/Exercise)
//     TUTOR_LESSONS=3 swift run Playground  lesson 03 and the lessons it builds on (01, 02) only:
//                                           others, half-written, stay out
//
// `import TinyTorch` brings in every lesson built. Code that needs a later lesson can wait behind
// `#if LESSON_05 … #endif` (LESSON_01, LESSON_02, … are set for the lessons built). Nothing here
// is tested or graded, and `tutor reset` never touches this file: change it as you like. (Until
// lesson 01 passes, it stops at the first `TODO` it meets: that is expected.)
import TinyTorch

let x = Tensor([[1, 2, 3], [4, 5, 6]])
print("x has shape \(x.shape) and holds \(x.data)")
print("x.transposed() has shape \(x.transposed().shape)")

#if LESSON_08
// After lesson 08: how bright is an average MNIST digit? (`swift run tutor data fetch mnist` first.)
// let training = try MNIST.load(split: .train)
// print("mean pixel:", training.inputs.mean().scalar)
#endif
