#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `export --output` writes: into what the user named.
///
/// * A new file, or an existing regular file, is written as a temporary file beside it and
///   renamed over it at the end, so a reader never sees half an export and a failed export
///   leaves the old file as it was. (An existing file's permissions are kept.)
/// * A symbolic link is followed: its target is written as above and the link stays a link
///   (a dangling link's target is created in place).
/// * Anything else that can be opened for writing — a FIFO, a device, a terminal — is opened
///   and written in place: renaming over it would replace the node with a regular file.
/// * Never a file in a log folder (one holding a `data.mdb`), or in a folder inside one:
///   an export written over `data.mdb` would replace the log a running service writes to,
///   and a file beside it is one a restore or a copy of the folder would carry along.
final class OutputFile {
    /// The path as the user gave it, for messages.
    let path: String
    private let descriptor: Int32
    /// The temporary file and the file it will be renamed to, when writing by rename.
    private let rename: (temporary: String, target: String)?

    /// Opens `path` for writing according to what it is now.
    init(_ path: String) throws(OutputFileError) {
        self.path = path
        var status = stat()
        guard lstat(path, &status) == 0 else {
            guard errno == ENOENT else { throw OutputFileError(path, "cannot examine it") }
            try Self.refuseInsideALog(path, named: path)
            let opened = try Self.temporary(beside: path, mode: nil)
            (descriptor, rename) = (opened.descriptor, opened.rename)
            return
        }
        var target = path
        if status.st_mode & mode_t(S_IFMT) == mode_t(S_IFLNK) {
            guard let resolved = realpath(path, nil) else {
                // A dangling link: create its target through it.
                descriptor = try Self.open(path, O_WRONLY | O_CREAT | O_TRUNC)
                rename = nil
                return
            }
            target = String(cString: resolved)
            free(resolved)
            guard stat(target, &status) == 0 else { throw OutputFileError(path, "cannot examine its target \(target)") }
        }
        switch status.st_mode & mode_t(S_IFMT) {
        case mode_t(S_IFREG):
            try Self.refuseInsideALog(target, named: path)
            let opened = try Self.temporary(beside: target, mode: status.st_mode & 0o7777)
            (descriptor, rename) = (opened.descriptor, opened.rename)
        case mode_t(S_IFDIR):
            throw OutputFileError(path, "is a folder")
        default:
            descriptor = try Self.open(target, O_WRONLY)
            rename = nil
        }
    }

    deinit {
        // Not finished: drop what was written.
        if descriptor >= 0 { close(descriptor) }
        if let rename, !finished { unlink(rename.temporary) }
    }

    private var finished = false

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws(OutputFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputFileError(path, "cannot write to it")
            }
            offset += written
        }
    }

    /// Finishes the file: flushes it and, when writing by rename, puts it in place.
    func finish() throws(OutputFileError) {
        if let rename {
            guard fsync(descriptor) == 0 else { throw OutputFileError(path, "cannot write to it") }
            guard systemRename(rename.temporary, rename.target) == 0 else {
                throw OutputFileError(path, "cannot put the new file in place")
            }
        }
        finished = true
    }

    /// Refuses `target` (a file that exists or is to be created) when its folder, or a folder
    /// above it, is a log folder.
    private static func refuseInsideALog(_ target: String, named path: String) throws(OutputFileError) {
        let slash = target.lastIndex(of: "/")
        let parent = slash.map { $0 == target.startIndex ? "/" : String(target[..<$0]) } ?? "."
        guard let resolved = realpath(parent, nil) else { return }  // opening it will say why
        var folder = String(cString: resolved)
        free(resolved)
        while true {
            if access(folder + "/data.mdb", F_OK) == 0 {
                throw OutputFileError(
                    path, refusing: "is inside the log folder \(folder); write the output outside it (the log is never overwritten)")
            }
            guard let up = folder.lastIndex(of: "/"), folder != "/" else { return }
            folder = up == folder.startIndex ? "/" : String(folder[..<up])
        }
    }

    private static func open(_ path: String, _ flags: Int32) throws(OutputFileError) -> Int32 {
        let descriptor = systemOpen(path, flags | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw OutputFileError(path, "cannot open it for writing") }
        return descriptor
    }

    /// A new temporary file in the folder of `target`, with `mode` (or the default one).
    private static func temporary(beside target: String, mode: mode_t?) throws(OutputFileError)
        -> (descriptor: Int32, rename: (temporary: String, target: String)?)
    {
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[...$0]) } ?? ""
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array("\(folder).\(name).shiftlog-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw OutputFileError(target, "cannot create a file beside it") }
        // mkstemp filled in the X's.
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let defaultMode: mode_t = {
            let mask = umask(0)
            umask(mask)
            return 0o666 & ~mask
        }()
        fchmod(descriptor, mode ?? defaultMode)
        return (descriptor, (temporary, target))
    }
}

// The system calls, named apart from the methods of the same names.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }

/// `export --output` could not write where it was told: the path and what went wrong.
struct OutputFileError: Error, CustomStringConvertible {
    var message: String

    init(_ path: String, _ problem: String) {
        let reason = String(cString: strerror(errno))
        message = "\(path): \(problem) (\(reason))"
    }

    /// A refusal of the command's own, with no system error behind it.
    init(_ path: String, refusing problem: String) {
        message = "\(path): \(problem)"
    }

    var description: String { message }
}
