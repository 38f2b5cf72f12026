// swift-tools-version: 6.0
//
// One package holds the tutor, the course and the milestones. It is evaluated in two modes:
//
// * Tutor mode (the default: `swift run tutor`, `swift test`): the tutor's own targets and tests,
//   every written lesson (as Exercise sources) and the `TinyTorch` umbrella. No lesson tests: the
//   shipped stubs would crash them.
// * Lesson mode (`TUTOR_LESSONS=9`, set by the tutor when it builds a learner's code in its own
//   scratch path): lesson 9, the lessons it builds on (Lessons/course.json's `requires`, followed
//   through), their tests and the umbrella, and nothing else — so a half-written lesson 10 never
//   blocks testing lesson 9, and no package dependency is resolved. `TUTOR_LESSONS` also takes a
//   list (`9,13`) or `all`.
//
// `TUTOR_SOLUTIONS` picks `Solution/` instead of `Exercise/` for some lessons: `all`, or a list
// such as `1-4,6`. The tutor uses it for `verify` and `milestone run --solutions`.
// docs/ARCHITECTURE.md explains the flow.
import PackageDescription

/// A written lesson, as Lessons/course.json declares it. `lessons`: the lesson and every lesson it
/// builds on, directly or not: what a build of it declares. `provided`: it has a `Provided/`
/// folder of code given to the learner, compiled with whichever of `Exercise/` or `Solution/` is
/// chosen. `example`: the product name of a worked example program in its `Example/` folder.
/// `fixtures`: folders of test data in its test folder.
struct CourseLesson {
    let number: Int
    let folder: String
    let module: String
    let lessons: [Int]
    var provided = false
    var example: String? = nil
    var fixtures: [String] = []
}

/// A written milestone: its program in `Checkpoints/<folder>`, the product the tutor builds, and
/// the lessons it is built with.
struct CourseMilestone {
    let folder: String
    let product: String
    let lessons: [Int]
}

// The course, derived from Lessons/course.json — the one place where lessons and milestones are
// declared. Edit that file, then run `swift run tutor manifest --update`; the test suite fails
// while the two disagree. (Generated rather than read here: SwiftPM caches an evaluated manifest
// by its own text, so a Package.swift that read course.json would not see it change.)
// BEGIN GENERATED FROM Lessons/course.json
let courseLessons: [CourseLesson] = [
    CourseLesson(number: 1, folder: "01-tensor", module: "TinyTorchTensor", lessons: [1], provided: true),
    CourseLesson(number: 2, folder: "02-activations", module: "TinyTorchActivations", lessons: [1, 2], provided: true),
    CourseLesson(number: 3, folder: "03-layers", module: "TinyTorchLayers", lessons: [1, 2, 3], provided: true),
    CourseLesson(number: 4, folder: "04-losses", module: "TinyTorchLosses", lessons: [1, 2, 3, 4], provided: true),
    CourseLesson(number: 5, folder: "05-autograd", module: "TinyTorchAutograd", lessons: [1, 2, 3, 4, 5]),
    CourseLesson(number: 6, folder: "06-optimizers", module: "TinyTorchOptimizers", lessons: [1, 2, 3, 4, 5, 6]),
    CourseLesson(number: 7, folder: "07-training", module: "TinyTorchTraining", lessons: [1, 2, 3, 4, 5, 6, 7], provided: true, example: "RegressionExample", fixtures: ["Fixtures"]),
    CourseLesson(number: 8, folder: "08-dataloader", module: "TinyTorchData", lessons: [1, 2, 3, 4, 5, 6, 7, 8], provided: true),
    CourseLesson(number: 9, folder: "09-spatial", module: "TinyTorchSpatial", lessons: [1, 2, 3, 4, 5, 6, 7, 8, 9]),
    CourseLesson(number: 10, folder: "10-tokenization", module: "TinyTorchTokenization", lessons: [1, 10], provided: true),
    CourseLesson(number: 11, folder: "11-embeddings", module: "TinyTorchEmbeddings", lessons: [1, 2, 3, 4, 5, 10, 11], provided: true),
    CourseLesson(number: 12, folder: "12-attention", module: "TinyTorchAttention", lessons: [1, 2, 3, 4, 5, 10, 11, 12], provided: true),
    CourseLesson(number: 13, folder: "13-transformers", module: "TinyTorchTransformers", lessons: [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13], provided: true),
]
let courseMilestones: [CourseMilestone] = [
    CourseMilestone(folder: "01-perceptron", product: "MilestonePerceptron", lessons: [1, 2, 3, 4]),
    CourseMilestone(folder: "02-xor", product: "MilestoneXor", lessons: [1, 2, 3, 4, 5, 6, 7]),
    CourseMilestone(folder: "03-mnist", product: "MilestoneMnist", lessons: [1, 2, 3, 4, 5, 6, 7, 8]),
    CourseMilestone(folder: "04-cifar10", product: "MilestoneCifar10", lessons: [1, 2, 3, 4, 5, 6, 7, 8, 9]),
    CourseMilestone(folder: "05-transformer", product: "MilestoneTransformer", lessons: [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13]),
]
// END GENERATED FROM Lessons/course.json

// MARK: - Mode, read from the environment

let environment = Context.environment

/// Parses "all", "none", "3" or "1-4,6" into lesson numbers.
func lessonNumbers(_ text: String?) -> Set<Int> {
    guard let text, !text.isEmpty, text != "none" else { return [] }
    if text == "all" { return Set(courseLessons.map(\.number)) }
    var numbers: Set<Int> = []
    for part in text.split(separator: ",") {
        let bounds = part.split(separator: "-").compactMap { Int($0) }
        if bounds.count == 2, bounds[0] <= bounds[1] {
            numbers.formUnion(bounds[0]...bounds[1])
        } else if bounds.count == 1 {
            numbers.insert(bounds[0])
        }
    }
    return numbers
}

let lessonMode = environment["TUTOR_LESSONS"] != nil
let solutionLessons = lessonNumbers(environment["TUTOR_SOLUTIONS"])
/// The lessons declared: in lesson mode those asked for and what they build on; else all.
let requestedLessons = lessonNumbers(environment["TUTOR_LESSONS"])
let declaredLessons: Set<Int> = lessonMode
    ? Set(courseLessons.filter { requestedLessons.contains($0.number) }.flatMap(\.lessons))
    : Set(courseLessons.map(\.number))
let lessons = courseLessons.filter { declaredLessons.contains($0.number) }
let moduleOfLesson = Dictionary(uniqueKeysWithValues: courseLessons.map { ($0.number, $0.module) })

/// Learner code compiles in Swift 5 mode: in Swift 6 mode a beginner's top-level `var` is an error
/// about concurrency safety (DESIGN.md §8).
let learnerSettings: [SwiftSetting] = [.swiftLanguageMode(.v5)]

// MARK: - Targets

var targets: [Target] = []
var products: [Product] = []

for lesson in lessons {
    let useSolution = solutionLessons.contains(lesson.number)
    let sourceFolder = useSolution ? "Solution" : "Exercise"
    targets.append(.target(
        name: lesson.module,
        dependencies: lesson.lessons.filter { $0 != lesson.number }.compactMap { moduleOfLesson[$0] }.map { .target(name: $0) },
        path: "Lessons/\(lesson.folder)",
        exclude: ["README.md", "hints.md", useSolution ? "Exercise" : "Solution"] + (lesson.example == nil ? [] : ["Example"]),
        sources: [sourceFolder] + (lesson.provided ? ["Provided"] : []),
        swiftSettings: learnerSettings
    ))
}

/// `LESSON_01`, `LESSON_02`, … for each declared lesson: code shared across lessons (the umbrella,
/// the test helpers in Tests/LessonTests/Support) uses `#if LESSON_05` for what needs lesson 05.
/// (`#if canImport` is not safe: a scratch path keeps modules of lessons no longer declared.)
let lessonDefines: [SwiftSetting] = lessons.map { .define("LESSON_" + ($0.number < 10 ? "0" : "") + String($0.number)) }

// The umbrella: `import TinyTorch` re-exports every lesson declared in this evaluation.
targets.append(.target(
    name: "TinyTorch",
    dependencies: lessons.map { .target(name: $0.module) },
    path: "Lessons/TinyTorch",
    swiftSettings: learnerSettings + lessonDefines
))
products.append(.library(name: "TinyTorch", targets: ["TinyTorch"]))

// Milestone programs: one executable each, and what they all use to report progress. A milestone
// is declared when every lesson it is built with is.
let milestones = courseMilestones.filter { $0.lessons.allSatisfy(declaredLessons.contains) }
/// `SOLUTION_01`, … for each declared lesson compiled from its Solution/ folder: a milestone's
/// result says which code produced it (Checkpoints/Support/BuiltFrom.swift).
let solutionDefines: [SwiftSetting] = lessons.filter { solutionLessons.contains($0.number) }
    .map { .define("SOLUTION_" + ($0.number < 10 ? "0" : "") + String($0.number)) }
if !milestones.isEmpty {
    targets.append(.target(name: "MilestoneSupport", path: "Checkpoints/Support", swiftSettings: learnerSettings + solutionDefines))
}
for milestone in milestones {
    targets.append(.executableTarget(
        name: milestone.product,
        dependencies: ["TinyTorch", "MilestoneSupport"],
        path: "Checkpoints/\(milestone.folder)",
        swiftSettings: learnerSettings
    ))
    products.append(.executable(name: milestone.product, targets: [milestone.product]))
}
// Worked example programs of lessons (lesson 07: train → save → predict on a CSV).
for lesson in lessons {
    guard let example = lesson.example else { continue }
    targets.append(.executableTarget(
        name: example,
        dependencies: ["TinyTorch"],
        path: "Lessons/\(lesson.folder)/Example",
        swiftSettings: learnerSettings
    ))
    products.append(.executable(name: example, targets: [example]))
}

// The learner's playground (Lessons/Playground): `swift run Playground` tries their framework.
// Left out of the tutor's own builds (TUTOR_NO_PLAYGROUND), so a broken experiment there never
// stops a lesson from being tested.
if environment["TUTOR_NO_PLAYGROUND"] == nil {
    targets.append(.executableTarget(
        name: "Playground",
        dependencies: ["TinyTorch"],
        path: "Lessons/Playground",
        swiftSettings: learnerSettings + lessonDefines
    ))
    products.append(.executable(name: "Playground", targets: ["Playground"]))
}

// The Swift half of the PyTorch parity check (Tests/Benchmarks/parity/parity.py), declared only
// when that script builds it (TUTOR_PARITY): a benchmark, never part of the tutor's builds or CI.
if lessonMode && environment["TUTOR_PARITY"] != nil {
    targets.append(.executableTarget(
        name: "ParityRunner",
        dependencies: ["TinyTorch"],
        path: "Tests/Benchmarks/parity/Runner",
        swiftSettings: learnerSettings + lessonDefines
    ))
    products.append(.executable(name: "ParityRunner", targets: ["ParityRunner"]))
}

// The Swift half of the layer benchmark (Tests/Benchmarks/conv-layer.sh), declared only when that
// script builds it (TUTOR_LAYER_BENCHMARK): a benchmark, never part of the tutor's builds or CI.
if lessonMode && environment["TUTOR_LAYER_BENCHMARK"] != nil {
    targets.append(.executableTarget(
        name: "LayerBenchmark",
        dependencies: ["TinyTorch"],
        path: "Tests/Benchmarks/layers",
        swiftSettings: learnerSettings + lessonDefines
    ))
    products.append(.executable(name: "LayerBenchmark", targets: ["LayerBenchmark"]))
}

// The Swift half of the attention benchmark (Tests/Benchmarks/attention.sh), declared only when
// that script builds it (TUTOR_ATTENTION_BENCHMARK): a benchmark, never part of the tutor's builds
// or CI.
if lessonMode && environment["TUTOR_ATTENTION_BENCHMARK"] != nil {
    targets.append(.executableTarget(
        name: "AttentionBenchmark",
        dependencies: ["TinyTorch"],
        path: "Tests/Benchmarks/attention",
        swiftSettings: learnerSettings + lessonDefines
    ))
    products.append(.executable(name: "AttentionBenchmark", targets: ["AttentionBenchmark"]))
}

var dependencies: [Package.Dependency] = []

if lessonMode {
    // One test target for the declared lessons: the test folders of every other lesson of the
    // course, the lessons' fixtures and the manifest are left out.
    let declaredFolders = Set(lessons.map(\.folder))
    targets.append(.testTarget(
        name: "LessonTests",
        dependencies: lessons.map { .target(name: $0.module) },
        path: "Tests/LessonTests",
        // Only written lessons have test folders (the registry check sees to it): excluding a
        // folder that does not exist would make SwiftPM warn about it.
        exclude: courseLessons.map(\.folder).filter { !declaredFolders.contains($0) } + ["SHA256SUMS"]
            + lessons.flatMap { lesson in lesson.fixtures.map { "\(lesson.folder)/\($0)" } },
        swiftSettings: learnerSettings + lessonDefines
    ))
} else {
    dependencies = [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ]
    targets += [
        .target(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            linkerSettings: [
                .linkedLibrary("ncursesw", .when(platforms: [.linux])),
                .linkedLibrary("ncurses", .when(platforms: [.macOS])),
            ]
        ),
        .target(
            name: "TutorCore",
            path: "Sources/TutorCore"
        ),
        .target(
            name: "TutorTUI",
            dependencies: ["TutorCore", "CNcursesw"],
            path: "Sources/TutorTUI"
        ),
        .executableTarget(
            name: "tutor",
            dependencies: [
                "TutorCore",
                "TutorTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/tutor"
        ),
        // Helpers both tutor test targets use (temporary folders, the repository's path).
        .target(
            name: "TutorTestSupport",
            path: "Tests/TutorTestSupport"
        ),
        .testTarget(
            name: "TutorCoreTests",
            dependencies: ["TutorCore", "TutorTestSupport"],
            path: "Tests/TutorCoreTests"
        ),
        .testTarget(
            name: "TutorTUITests",
            dependencies: ["TutorTUI", "TutorCore", "TutorTestSupport"],
            path: "Tests/TutorTUITests"
        ),
    ]
    products.append(.executable(name: "tutor", targets: ["tutor"]))
}

let package = Package(
    name: "TinyTorchSwift",
    platforms: [.macOS(.v13)],
    products: products,
    dependencies: dependencies,
    targets: targets
)
