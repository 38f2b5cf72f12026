// Generated from Lessons/course.json by `swift run tutor manifest --update`: do not edit.
//
// The umbrella module: `import TinyTorch` gives a milestone program every lesson declared in
// this build (Package.swift defines LESSON_NN for each).
#if LESSON_01
@_exported import TinyTorchTensor
#endif
#if LESSON_02
@_exported import TinyTorchActivations
#endif
#if LESSON_03
@_exported import TinyTorchLayers
#endif
#if LESSON_04
@_exported import TinyTorchLosses
#endif
#if LESSON_05
@_exported import TinyTorchAutograd
#endif
#if LESSON_06
@_exported import TinyTorchOptimizers
#endif
#if LESSON_07
@_exported import TinyTorchTraining
#endif
#if LESSON_08
@_exported import TinyTorchData
#endif
#if LESSON_09
@_exported import TinyTorchSpatial
#endif
#if LESSON_10
@_exported import TinyTorchTokenization
#endif
#if LESSON_11
@_exported import TinyTorchEmbeddings
#endif
#if LESSON_12
@_exported import TinyTorchAttention
#endif
#if LESSON_13
@_exported import TinyTorchTransformers
#endif
