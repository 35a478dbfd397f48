import Foundation
public import ShiftlogStore

/// Where a PostgreSQL event log lives: the server, the role, the database, and the schema that
/// holds Shiftlog's tables, read from a URL such as
/// `postgres://shiftlog:secret@db.internal:5432/orchestrator?schema=shiftlog`.
///
/// Several logs can share one database in schemas of their own; the default schema is
/// `shiftlog`. The password never appears in ``description``, so a location can be logged.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The server's host name or address.
    public var host: String
    /// The server's port (5432 by default).
    public var port: Int
    /// The role to connect as.
    public var user: String
    /// The role's password, if any; never shown in ``description``.
    public var password: String?
    /// The database holding the schema.
    public var database: String
    /// The schema holding the log's tables: lower-case letters, digits and `_`, at most 40.
    public var schema: String

    /// Whether `text` names a PostgreSQL store (`postgres://` or `postgresql://`) rather than
    /// a folder.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a `postgres://` URL.
    ///
    /// - Throws: `StoreError` `missing` with a message naming the part that is wrong.
    public init(url text: String) throws(StoreError) {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw StoreError(.missing, "'\(Self.redacted(text))' is not a PostgreSQL URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME])")
        }
        guard let host = url.host, !host.isEmpty else {
            throw StoreError(.missing, "\(Self.redacted(text)): the URL names no host")
        }
        self.host = host
        self.port = url.port ?? 5432
        guard (1...65_535).contains(port) else { throw StoreError(.missing, "\(Self.redacted(text)): port \(port) is out of range") }
        self.user = url.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        self.password = url.password.flatMap { $0.removingPercentEncoding }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        self.database = path.isEmpty ? user : path
        var schema = "shiftlog"
        for item in url.queryItems ?? [] {
            switch item.name {
            case "schema": schema = item.value ?? ""
            default:
                throw StoreError(.missing, "\(Self.redacted(text)): unknown URL parameter '\(item.name)' (only 'schema' is read)")
            }
        }
        guard Self.isValidSchema(schema) else {
            throw StoreError(.missing, "\(Self.redacted(text)): schema '\(schema)' must be 1 to 40 lower-case letters, digits or '_', starting with a letter or '_'")
        }
        self.schema = schema
    }

    /// The URL without its password, escaped so that it reads back to the same place.
    public var description: String {
        // An IPv6 address goes in brackets; anything with URL syntax in it is percent-encoded.
        // (A zone, `fe80::1%eth0`, has its `%` escaped, as RFC 6874 writes it.)
        let host = self.host.contains(":") && !self.host.hasPrefix("[")
            ? "[\(self.host.replacingOccurrences(of: "%", with: "%25"))]" : Self.escape(self.host, allowing: .urlHostAllowed)
        var databaseAllowed = CharacterSet.urlPathAllowed
        databaseAllowed.remove("/")
        var userAllowed = CharacterSet.urlUserAllowed
        userAllowed.remove(":")
        return "postgres://\(Self.escape(user, allowing: userAllowed))@\(host):\(port)/"
            + "\(Self.escape(database, allowing: databaseAllowed))?schema=\(schema)"
    }

    private static func escape(_ part: String, allowing allowed: CharacterSet) -> String {
        part.addingPercentEncoding(withAllowedCharacters: allowed) ?? part
    }

    /// The name other instances listen on for appends to this log.
    var notificationChannel: String { "shiftlog_\(schema)_appended" }

    static func isValidSchema(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...40).contains(bytes.count), let first = bytes.first else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_") }
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        return isLetter(first) && bytes.allSatisfy { isLetter($0) || isDigit($0) }
    }

    /// `text` with any password replaced, for messages about a URL that does not parse.
    private static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound <= at,
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
