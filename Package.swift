// swift-tools-version: 6.0
//
// One package holds the tutor, the course and the milestones. It is evaluated in two modes:
//
// * Tutor mode (the default: `swift run tutor`, `swift test`): the tutor's own targets and tests,
//   every written lesson (as Exercise sources) and the `TinyTorch` umbrella. No lesson tests: the
//   shipped stubs would crash them.
// * Lesson mode (`TUTOR_UPTO=N`, set by the tutor when it builds a learner's code in its own
//   scratch path): lessons 1…N, their tests and the umbrella, and nothing else — so a half-written
//   lesson 9 never blocks re-testing lesson 3, and no package dependency is resolved.
//
// `TUTOR_SOLUTIONS` picks `Solution/` instead of `Exercise/` for some lessons: `all`, or a list
// such as `1-4,6`. The tutor uses it for `verify` and `milestone run --solutions`.
// docs/ARCHITECTURE.md explains the flow.
import PackageDescription

/// A lesson whose folder is written. Keep in step with `Lessons/course.json` (a test checks it).
/// `provided`: the lesson has a `Provided/` folder of code given to the learner (not an exercise),
/// compiled with whichever of `Exercise/` or `Solution/` is chosen. `example`: the product name of
/// a worked example program in the lesson's `Example/` folder, built on the learner's code.
struct WrittenLesson {
    let number: Int
    let folder: String
    let module: String
    var provided = false
    var example: String? = nil
}

let writtenLessons: [WrittenLesson] = [
    WrittenLesson(number: 1, folder: "01-tensor", module: "TinyTorchTensor", provided: true),
    WrittenLesson(number: 2, folder: "02-activations", module: "TinyTorchActivations", provided: true),
    WrittenLesson(number: 3, folder: "03-layers", module: "TinyTorchLayers", provided: true),
    WrittenLesson(number: 4, folder: "04-losses", module: "TinyTorchLosses", provided: true),
    WrittenLesson(number: 5, folder: "05-autograd", module: "TinyTorchAutograd"),
    WrittenLesson(number: 6, folder: "06-optimizers", module: "TinyTorchOptimizers"),
    WrittenLesson(number: 7, folder: "07-training", module: "TinyTorchTraining", provided: true,
                  example: "RegressionExample"),
    WrittenLesson(number: 8, folder: "08-dataloader", module: "TinyTorchData", provided: true),
]

/// A milestone program in `Checkpoints/`, built when every lesson it needs is declared. The
/// product name is what the tutor builds (`Course.Milestone.productName`).
struct WrittenMilestone {
    let folder: String
    let product: String
    let upTo: Int
}

let writtenMilestones: [WrittenMilestone] = [
    WrittenMilestone(folder: "01-perceptron", product: "MilestonePerceptron", upTo: 4),
    WrittenMilestone(folder: "02-xor", product: "MilestoneXor", upTo: 7),
    WrittenMilestone(folder: "03-mnist", product: "MilestoneMnist", upTo: 8),
]

// MARK: - Mode, read from the environment

let environment = Context.environment

/// Parses "all", "none", "3" or "1-4,6" into lesson numbers.
func lessonNumbers(_ text: String?) -> Set<Int> {
    guard let text, !text.isEmpty, text != "none" else { return [] }
    if text == "all" { return Set(writtenLessons.map(\.number)) }
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

let upTo: Int? = environment["TUTOR_UPTO"].flatMap { Int($0) }
let lessonMode = upTo != nil
let solutionLessons = lessonNumbers(environment["TUTOR_SOLUTIONS"])
let lessons = writtenLessons.filter { $0.number <= (upTo ?? Int.max) }

/// Learner code compiles in Swift 5 mode: in Swift 6 mode a beginner's top-level `var` is an error
/// about concurrency safety (DESIGN.md §8).
let learnerSettings: [SwiftSetting] = [.swiftLanguageMode(.v5)]

// MARK: - Targets

var targets: [Target] = []
var products: [Product] = []

for (index, lesson) in lessons.enumerated() {
    let useSolution = solutionLessons.contains(lesson.number)
    let sourceFolder = useSolution ? "Solution" : "Exercise"
    targets.append(.target(
        name: lesson.module,
        dependencies: lessons[..<index].map { .target(name: $0.module) },
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

// Milestone programs: one executable each, and what they all use to report progress.
let declaredLessons = Set(lessons.map(\.number))
let milestones = writtenMilestones.filter { (1...$0.upTo).allSatisfy(declaredLessons.contains) }
if !milestones.isEmpty {
    targets.append(.target(name: "MilestoneSupport", path: "Checkpoints/Support", swiftSettings: learnerSettings))
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

var dependencies: [Package.Dependency] = []

if lessonMode {
    // One test target for all lessons; folders of lessons not declared are left out.
    let declared = Set(lessons.map(\.folder))
    targets.append(.testTarget(
        name: "LessonTests",
        dependencies: lessons.map { .target(name: $0.module) },
        path: "Tests/LessonTests",
        exclude: writtenLessons.map(\.folder).filter { !declared.contains($0) } + ["SHA256SUMS"]
            + (declared.contains("07-training") ? ["07-training/Fixtures"] : []),
        swiftSettings: learnerSettings + lessonDefines
    ))
} else {
    dependencies = [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
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
