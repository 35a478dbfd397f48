import Foundation

/// A harness's entry point: the bytes of one input (libFuzzer's `LLVMFuzzerTestOneInput`).
/// It returns 0; a bug traps.
public typealias FuzzEntry = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// The `main` of every harness.
///
/// Built for fuzzing (`-sanitize=fuzzer -DFUZZING`, see `scripts/fuzz`), it hands the command
/// line to libFuzzer's driver. libFuzzer's own `main` cannot be used: SwiftPM links an
/// executable's entry point under the name `<Target>_main` and points `main` at it, so the
/// target must have a `@main` of its own.
///
/// Built normally (`swift build`), it runs the files named on the command line (or every file
/// in a named folder) through the entry point once each, so a crashing input kept by
/// `scripts/fuzz` can be replayed without the fuzz build.
public enum FuzzInputs {
    public static func main(_ entry: FuzzEntry) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = Optional(CommandLine.unsafeArgv)
        exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
        #else
        replay(Array(CommandLine.arguments.dropFirst()), through: entry)
        #endif
    }

    static func replay(_ arguments: [String], through entry: FuzzEntry) -> Never {
        guard !arguments.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) FILE_OR_FOLDER...\n".utf8))
            exit(64)
        }
        var count = 0
        for path in arguments.flatMap(files(at:)) {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(66)
            }
            _ = [UInt8](data).withUnsafeBufferPointer { entry($0.baseAddress, $0.count) }
            count += 1
        }
        print("ran \(count) inputs")
        exit(0)
    }

    private static func files(at path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { "\(path)/\($0)" }
    }
}

#if FUZZING
/// libFuzzer's driver (`int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const
/// uint8_t *, size_t))`, in the runtime `-sanitize=fuzzer` links).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ entry: FuzzEntry
) -> CInt
#endif
