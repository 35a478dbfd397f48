import Mustache

/// The console's Mustache templates, compiled into the module (`PackageResources`) and parsed
/// once. `{{name}}` escapes `<`, `>`, `&`, `"` and `'`, so every field a person or a worker
/// wrote reaches the page as text; `{{{name}}}` is used only for HTML the console made itself
/// (a page's body inside the layout, the SVG timeline).
enum Templates {
    static let library: MustacheLibrary = {
        let sources: [(String, [UInt8])] = [
            ("layout", PackageResources.layout_mustache),
            ("overview", PackageResources.overview_mustache),
            ("workers", PackageResources.workers_mustache),
            ("items", PackageResources.items_mustache),
            ("item", PackageResources.item_mustache),
            ("events", PackageResources.events_mustache),
            ("event", PackageResources.event_mustache),
            ("sign-in", PackageResources.sign_in_mustache),
            ("message", PackageResources.message_mustache),
            ("confirm", PackageResources.confirm_mustache),
            ("timeline", PackageResources.timeline_mustache),
            ("what-if", PackageResources.what_if_mustache),
        ]
        var library = MustacheLibrary()
        for (name, bytes) in sources {
            do {
                try library.register(String(decoding: bytes, as: UTF8.self), named: name)
            } catch {
                // The templates are part of the build: ConsolePagesTests render every one.
                preconditionFailure("console template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// `object` rendered with the template `name`.
    static func render(_ name: String, _ object: Any) -> String {
        guard let text = library.render(object, withTemplate: name) else {
            preconditionFailure("no console template \(name)")
        }
        return text
    }
}
