import ShiftlogCore

/// The frame around every page: the navigation, the live/paused toggle, the sign-out button,
/// the one-time notice of the last action, and the facts the script needs (`data-` attributes
/// of `<body>`): where the page stands in the log and which events concern it.
struct Layout {
    struct Link {
        var href: String
        var label: String
        var current: Bool
    }

    var title: String
    var nav: [Link]
    var body: String
    var csrf: String?
    var canSignOut: Bool
    var readOnly: Bool
    var live: Bool
    var sequence: UInt64
    var scope: String
    var notice: String?
    /// Set on a page shown as of a past event (`?at=`).
    var history: History?
    var assetVersion = Assets.version
    /// Every event type, for the script's listeners (the stream names each event by its type).
    var eventTypes = EventType.allCases.map(\.rawValue).joined(separator: " ")

    /// The sections, and beside a live service (`withAPI`) its OpenAPI document: every
    /// route, its shapes and its errors (a copy of a log served alone has no API).
    static func links(current: String, withAPI: Bool) -> [Link] {
        let api = withAPI ? [("/openapi.json", "API")] : []
        return ([("/", "Overview"), ("/workers", "Workers"), ("/items", "Items"), ("/events", "Events"), ("/what-if", "What if")] + api).map {
            Link(href: $0.0, label: $0.1, current: $0.0 == current)
        }
    }
}

/// One page's content, before the layout: its title, its section in the navigation, its body
/// (rendered by its own template), and which events make it worth refreshing (``scope``).
struct Page {
    var title: String
    var section: String
    var body: String
    /// `all`, `workers`, `items`, `item:<id>` or `events`: what the script compares each
    /// event of the stream with (DESIGN.md, "The console": live updates).
    var scope: String
    var status = 200
}
