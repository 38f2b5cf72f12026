// Lesson 01 (given — you do not need to change it, and you need not use it): running a job on
// every core at once, for the reference solutions' matrix product (this lesson) and convolution
// (lesson 09).
//
// Why not Dispatch's `DispatchQueue.concurrentPerform`? On Linux each call costs about 60 µs
// before the second core starts (measured on our 2-core test machine: two jobs of 20 µs took
// 68 µs together, longer than one after the other), so only products of 16 million multiply-adds
// and more were worth sharing out — and most of a transformer's are 12 million or fewer. Here the
// helper threads stay awake for a moment after each job, watching one number for the next, so
// a job starts on them within a microsecond when jobs follow each other (as the products of a
// training step do); after about 2 ms without work they sleep until woken. The same
// [768, 128] × [128, 128] product: 68 GFLOP/s with Dispatch (it stayed on one core), 151–179
// with these threads. Production libraries do the same (OpenMP's threads spin before sleeping).
// While they watch, and while the caller waits for their last parts, they call `sched_yield`:
// when the system has put two of the threads on one core, the one waiting steps aside at once
// instead of spinning through its time slice (the CIFAR milestone started as the tutor starts it,
// in a session of its own: 189–205 ms a step without it, 136–151 with it in most runs).

import Foundation  // ProcessInfo (the number of cores), Thread, DispatchSemaphore
import Synchronization  // Atomic

/// The number of cores, asked once (on Linux each question reads files).
public let coreCount = ProcessInfo.processInfo.activeProcessorCount

/// Calls `body(0)`, `body(1)`, …, `body(count − 1)`, spread over the cores, and returns when all
/// have returned. The calls may run at the same time, so each must write only what belongs to it.
///
/// One job runs at a time: a call made while another is running (from inside `body`, or from a
/// second thread) runs its bodies one after the other on its own thread.
///
///     var sums = [Float](repeating: 0, count: 2)
///     sums.withUnsafeMutableBufferPointer { sums in
///         runOnAllCores(2) { part in sums[part] = halves[part].reduce(0, +) }
///     }
public func runOnAllCores(_ count: Int, _ body: (Int) -> Void) {
    if #available(macOS 15, *) {  // `Atomic` is in macOS 15 and later, and in every Linux Swift 6
        WorkerThreads.shared.run(count, body)
    } else {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}

/// `coreCount − 1` threads that run the parts of a job beside the caller.
///
/// A job is published as one 64-bit number, the *ticket*: the job's generation (32 bits), its
/// number of parts (16 bits) and the next part to take (16 bits). A thread takes a part by
/// raising the ticket by one with compare-and-exchange, which fails if the ticket changed
/// meanwhile, so no part runs twice and no thread takes a part of a job that has ended.
@available(macOS 15, *)
final class WorkerThreads: @unchecked Sendable {
    static let shared = WorkerThreads(helpers: coreCount - 1)

    private let helpers: Int
    private let ticket = Atomic<UInt64>(0)
    private let partsDone = Atomic<Int>(0)
    private let inUse = Atomic<Bool>(false)
    /// Helpers asleep (or about to be) on `wakeUp`.
    private let sleeping = Atomic<Int>(0)
    private let wakeUp = DispatchSemaphore(value: 0)
    /// The running job's body: written only while no part of any job is outstanding.
    private var body: ((Int) -> Void)?
    private var generation: UInt64 = 0

    private init(helpers: Int) {
        self.helpers = max(0, helpers)
        for _ in 0..<self.helpers {
            let thread = Thread { [unowned self] in self.serve() }
            thread.stackSize = 8 << 20  // as the main thread's
            thread.start()
        }
    }

    func run(_ count: Int, _ job: (Int) -> Void) {
        guard helpers > 0, count > 1, count <= 0xFFFF,
              inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for part in 0..<count { job(part) }
            return
        }
        withoutActuallyEscaping(job) { job in
            body = job
            partsDone.store(0, ordering: .relaxed)
            generation = (generation + 1) & 0xFFFF_FFFF
            ticket.store(generation << 32 | UInt64(count) << 16, ordering: .sequentiallyConsistent)
            // Wake the helpers that went to sleep (each sleeper counted once, woken once).
            while takeOneSleeper() { wakeUp.signal() }
            takeParts()
            // The helpers' last parts. `sched_yield` lets a helper that waits for this core
            // (the system put both threads on it) run at once, rather than after this thread's
            // time slice; on a core of its own it returns at once.
            while partsDone.load(ordering: .acquiring) < count { sched_yield() }
            body = nil
        }
        inUse.store(false, ordering: .releasing)
    }

    /// Runs parts of the current job until none is left.
    private func takeParts() {
        var current = ticket.load(ordering: .acquiring)
        while current & 0xFFFF < (current >> 16) & 0xFFFF {
            let (taken, now) = ticket.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if taken {
                body!(Int(current & 0xFFFF))  // the job cannot end before this part is done
                partsDone.add(1, ordering: .releasing)
                current = ticket.load(ordering: .acquiring)
            } else {
                current = now
            }
        }
    }

    /// A helper's life: wait for a new generation (watching, then asleep), take parts, repeat.
    private func serve() {
        var seen: UInt64 = 0
        while true {
            var watched = 0
            while ticket.load(ordering: .acquiring) >> 32 == seen && watched < 3_000 {
                watched += 1
                sched_yield()  // as in `run`: never keep the caller waiting for this core
            }
            if ticket.load(ordering: .acquiring) >> 32 == seen {
                sleeping.add(1, ordering: .sequentiallyConsistent)
                if ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen {
                    wakeUp.wait()  // the next `run` sees the count and signals
                } else if !takeOneSleeper() {  // count ourselves out, unless `run` did
                    wakeUp.wait()  // `run` already took the count: its signal is ours
                }
            }
            seen = ticket.load(ordering: .acquiring) >> 32
            takeParts()
        }
    }

    /// Lowers `sleeping` by one, unless it is already zero; whether it did. `run` takes every
    /// sleeper this way (and signals each); a helper that finds a new job just after counting
    /// itself asleep takes one back.
    private func takeOneSleeper() -> Bool {
        var asleep = sleeping.load(ordering: .sequentiallyConsistent)
        while asleep > 0 {
            let (taken, now) = sleeping.compareExchange(
                expected: asleep, desired: asleep - 1, ordering: .sequentiallyConsistent)
            if taken { return true }
            asleep = now
        }
        return false
    }
}
