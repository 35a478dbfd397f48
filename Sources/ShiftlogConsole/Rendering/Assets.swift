/// The console's style sheet and script, compiled into the module: no CDN, no npm, nothing
/// fetched at run time. Served under `/assets/` with a long cache life, since a new build
/// changes their names' query (``version``).
enum Assets {
    static let stylesheet = PackageResources.console_css
    static let script = PackageResources.console_js

    /// Changes whenever either file does, so that a browser never mixes an old script with a
    /// new page.
    static let version: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in stylesheet + script {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 36)
    }()
}
