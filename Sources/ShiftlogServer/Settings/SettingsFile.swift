import Foundation
public import ShiftlogCore

/// A settings file (`shiftlog serve --config FILE`): one JSON object whose keys are setting
/// names, as the environment spells them, kept under version control beside a deployment.
///
/// ```json
/// { "MAX_WORKERS": 4, "COOLDOWN_SECONDS": 0, "RETRY_BACKOFF_SECONDS": [60, 300, 1800] }
/// ```
///
/// A whole number may be written as a number or a string, a list as an array or a
/// comma-separated string. Refused, in one line naming the file (and the key): a file that is
/// missing or not one JSON object, a key no setting has (a typo must not pass silently), a
/// secret (it belongs in the environment, not in version control), and a value that is not a
/// number, a string or an array of them. A value's own check happens with every other
/// source's, in ``SettingValues``.
public struct SettingsFile: Sendable {
    /// The path the file was read from, as given.
    public var path: String
    /// Each key's value, as text.
    public var values: [String: String]

    /// Reads the file at `path` and checks its keys against `settings`.
    ///
    /// - Throws: `SettingError` with code `unreadableFile`, `unknownName` or `notAllowedHere`.
    public init(contentsOf path: String, settings: [any SettingDeclaration] = ShiftlogSettings.all) throws(SettingError) {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let missing = !FileManager.default.fileExists(atPath: path)
            throw SettingError(
                .unreadableFile, source: .file(path),
                missing ? "the settings file \(path) does not exist" : "the settings file \(path) cannot be read")
        }
        try self.init(bytes: bytes, path: path, settings: settings)
    }

    /// Parses `bytes` as the settings file at `path`, checking its keys against `settings`.
    ///
    /// - Throws: `SettingError`, as ``init(contentsOf:settings:)``.
    public init(bytes: [UInt8], path: String, settings: [any SettingDeclaration] = ShiftlogSettings.all)
        throws(SettingError)
    {
        func refuse(_ code: SettingError.Code, _ message: String) -> SettingError {
            SettingError(code, source: .file(path), "\(path): \(message)")
        }
        if let problem = StrictJSONSyntax.problem(in: bytes) {
            throw refuse(.unreadableFile, "the settings file is not JSON: \(problem)")
        }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            throw refuse(.unreadableFile, "the settings file must hold one JSON object of settings by name")
        }
        var values: [String: String] = [:]
        for key in object.keys.sorted() {
            guard let setting = settings.first(where: { $0.name == key }) else {
                let hint = nearestName(to: key.uppercased(), among: settings.filter { $0.sources.contains(.file) }.map(\.name))
                throw refuse(.unknownName, "\(quoted(key)) is not a setting" + (hint.map { " (did you mean \($0)?)" } ?? ""))
            }
            guard setting.sources.contains(.file) else {
                throw refuse(
                    .notAllowedHere,
                    setting.isSecret
                        ? "\(key) is a secret: set it in the environment, not in a file kept under version control"
                        : "\(key) is read from the environment only")
            }
            guard let text = object[key].flatMap(Self.text) else {
                throw refuse(.badValue, "\(key) must be a number, a string, or an array of them")
            }
            values[key] = text
        }
        self.path = path
        self.values = values
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .integer(let number): "\(number)"
        case .number(let number): "\(number)"
        case .string(let string): string
        case .array(let elements):
            elements.allSatisfy({ if case .array = $0 { false } else { text($0) != nil } })
                ? elements.compactMap(text).joined(separator: ",") : nil
        case .null, .bool, .object: nil
        }
    }
}
