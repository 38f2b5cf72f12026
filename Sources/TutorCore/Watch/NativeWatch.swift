// The platform's own change notification, in one guarded file: inotify on Linux. Elsewhere
// (macOS) the watcher polls — cheap for a lesson's handful of files.
#if os(Linux)
import Glibc
import Foundation

enum NativeWatch {
    static func make(directories: [URL]) -> Result<any WatchBackend, WatchProblem> {
        for directory in directories {
            if let reason = unreliableFileSystem(directory.path) { return .failure(WatchProblem(reason: reason)) }
        }
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else {
            let reason = errno == EMFILE
                ? "the system's limit of inotify instances is reached (fs.inotify.max_user_instances)"
                : "inotify is not available (\(String(cString: strerror(errno))))"
            return .failure(WatchProblem(reason: reason))
        }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB)
        for directory in directories where inotify_add_watch(fd, directory.path, mask) < 0 {
            let code = errno
            Glibc.close(fd)
            let reason = code == ENOSPC
                ? "the system's limit of inotify watches is reached (fs.inotify.max_user_watches)"
                : "cannot watch \(directory.lastPathComponent) with inotify (\(String(cString: strerror(code))))"
            return .failure(WatchProblem(reason: reason))
        }
        return .success(InotifyBackend(fd: fd))
    }

    /// Folders where inotify sees no change made from outside this machine's kernel: network file
    /// systems, Windows folders mounted into WSL (9p, drvfs) and FUSE. An editor there can save
    /// unseen, so poll. The file system type comes from the longest mount point above the folder.
    static func unreliableFileSystem(_ path: String) -> String? {
        guard let type = fileSystemType(of: path) else { return nil }
        switch type {
        case "nfs", "nfs4": return "the folder is on NFS, where inotify misses changes"
        case "cifs", "smb3", "smbfs": return "the folder is on a network share (SMB), where inotify misses changes"
        case "9p", "drvfs", "v9fs": return "the folder is a Windows mount (e.g. /mnt/c in WSL), where inotify misses changes"
        case "vboxsf", "vmhgfs", "prl_fs": return "the folder is shared from a virtual machine's host, where inotify misses changes"
        default: return type.hasPrefix("fuse") ? "the folder is on a FUSE file system (\(type)), where inotify may miss changes" : nil
        }
    }

    static func fileSystemType(of path: String) -> String? {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let inside = point == "/" || resolved == point || resolved.hasPrefix(point + "/")
            if inside && point.count >= (best?.point.count ?? -1) { best = (point, String(fields[2])) }
        }
        return best?.type
    }
}

/// Reads inotify events for watched folders.
/// Used from the watcher's thread only.
final class InotifyBackend: WatchBackend, @unchecked Sendable {
    private var fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32) { self.fd = fd }

    func changes(timeout: Double) -> [WatchEvent] {
        guard fd >= 0 else { return [] }
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, Int32(max(0, timeout * 1000))) > 0 else { return [] }
        var events: [WatchEvent] = []
        let completing = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
            var offset = 0
            buffer.withUnsafeBytes { bytes in
                while offset + 16 <= count {
                    let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = bytes[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                    if !nameBytes.isEmpty {
                        events.append(WatchEvent(name: String(decoding: nameBytes, as: UTF8.self),
                                                 isComplete: mask & completing != 0))
                    }
                    offset += 16 + length
                }
            }
        }
        return events
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
#else
import Foundation

enum NativeWatch {
    static func make(directories: [URL]) -> Result<any WatchBackend, WatchProblem> {
        .failure(WatchProblem(reason: "this system has no inotify"))
    }
}
#endif
