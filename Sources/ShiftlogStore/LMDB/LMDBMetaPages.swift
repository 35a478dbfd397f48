import Foundation

/// A cheap structural check of `data.mdb`'s two meta pages, read with `pread` before LMDB
/// follows any page pointer: the page header, the magic number and version, a power-of-two
/// page size, and the root and last page numbers inside the file.
///
/// LMDB does not checksum its pages and follows page numbers without bounds checks, so a
/// damaged meta page makes it read outside the file (a memory fault, not an error). Two
/// reads of 152 bytes at open catch the damage there; a full structural walk of every page
/// would cost O(file) at every open, so damage deeper in the tree is left to the memory-fault
/// report of the tool (see DESIGN.md, "Damaged files").
///
/// The layout is LMDB 0.9's (`mdb.c`): a 16-byte page header (`mp_pgno` u64, `mp_pad` u16,
/// `mp_flags` u16, `mp_lower`/`mp_upper` u16), then `MDB_meta` in native byte order.
enum LMDBMetaPages {
    static let magic: UInt32 = 0xBEEF_C0DE
    static let dataVersion: UInt32 = 1
    private static let pageHeaderSize = 16
    private static let metaSize = 136
    private static let metaFlag: UInt16 = 0x08  // P_META
    private static let invalidPage = UInt64.max  // P_INVALID: an empty database
    private static let maxDepth: UInt16 = 32  // LMDB's cursor stack

    /// Checks both meta pages of the `data.mdb` in `folder`; a damaged one is a
    /// ``StoreError`` with code `corrupt` naming the file. A check that fails is read again
    /// once, so a meta page being rewritten by a live writer at that moment is not mistaken
    /// for damage.
    static func check(folder: String) throws(StoreError) {
        if let problem = problem(in: folder + "/data.mdb"), problem == self.problem(in: folder + "/data.mdb") {
            throw StoreError(.corrupt, "\(folder): data.mdb is damaged (\(problem)); restore it from a copy")
        }
    }

    /// What is wrong with the meta pages of the file at `path`, or `nil`. A file that cannot
    /// be read is left to LMDB to report.
    static func problem(in path: String) -> String? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        guard let fileSize = try? file.seekToEnd() else { return nil }
        var pageSize: UInt64 = 0
        for index in 0..<2 as Range<UInt64> {
            let offset = index * pageSize
            guard (try? file.seek(toOffset: offset)) != nil,
                let bytes = try? file.read(upToCount: pageHeaderSize + metaSize),
                bytes.count == pageHeaderSize + metaSize
            else { return "meta page \(index) is cut short" }
            func read<T: FixedWidthInteger>(_: T.Type, _ at: Int) -> T {
                bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) }
            }
            let meta = pageHeaderSize
            guard read(UInt64.self, 0) == index, read(UInt16.self, 10) & metaFlag != 0 else {
                return "page \(index) is not a meta page"
            }
            guard read(UInt32.self, meta) == magic else { return "meta page \(index) has no LMDB magic number" }
            guard read(UInt32.self, meta + 4) == dataVersion else { return "meta page \(index) has an unknown version" }
            let size = UInt64(read(UInt32.self, meta + 24))
            if index == 0 {
                guard size >= 256, size <= 65_536, size & (size - 1) == 0 else {
                    return "meta page 0 gives a page size of \(size)"
                }
                pageSize = size
            } else if size != pageSize {
                return "the meta pages disagree on the page size (\(pageSize), \(size))"
            }
            let pages = fileSize / pageSize
            let lastPage = read(UInt64.self, meta + 120)
            guard lastPage >= 1, lastPage < pages else {
                return "meta page \(index) names page \(lastPage) as the last, but the file has \(pages)"
            }
            for (name, depthAt, rootAt) in [("free-page", meta + 30, meta + 64), ("main", meta + 78, meta + 112)] {
                let root = read(UInt64.self, rootAt)
                guard root == invalidPage || (root >= 2 && root <= lastPage) else {
                    return "meta page \(index) puts the \(name) tree's root at page \(root), outside pages 2…\(lastPage)"
                }
                guard read(UInt16.self, depthAt) <= maxDepth else {
                    return "meta page \(index) gives the \(name) tree a depth of \(read(UInt16.self, depthAt))"
                }
            }
        }
        return nil
    }
}
