// Provided: you do not need to change this file.
//
// `todo` marks code that is not written yet, like Rust's `todo!()`: every function you are to
// write starts out as
//
//     public func relu(_ x: Tensor) -> Tensor {
//         todo("TODO(lesson 02): implement relu(_:)")
//     }
//
// Called, it stops the program with that message and the file and line of the call, exactly as
// `fatalError` does. Replace the whole `todo(…)` line with your code.
//
// Why not `fatalError` itself: a crash ends the whole test process, so every test that reaches a
// stub would need a process of its own — about 50 ms each, most of the wait for a verdict on a
// lesson you have just started. The course's tests (Tests/LessonTests/Support/LessonTestCase.swift)
// run each test on a thread of its own and set `TodoTrap.handler`: a `todo` there reports the
// same "Fatal error" and parks its thread for good, and the next test runs in the same process.
// Anywhere else — a milestone, the playground, another thread — it is `fatalError`.

/// Stops the program: `message` (say which lesson and function: `"TODO(lesson 01): implement
/// matmul(_:)"`) and the file and line of the call, as `fatalError` prints them.
public func todo(_ message: String, file: StaticString = #file, line: UInt = #line) -> Never {
    TodoTrap.handler?(message, "\(file)", Int(line))
    fatalError(message, file: file, line: line)
}

/// Where the course's tests catch a `todo` (see the top of this file). The handler either never
/// returns (the calling thread is parked) or returns, and then `todo` stops the program.
public enum TodoTrap {
    public static var handler: ((_ message: String, _ file: String, _ line: Int) -> Void)?
}
