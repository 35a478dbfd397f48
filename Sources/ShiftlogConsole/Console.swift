import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import NIOCore
import ShiftlogCore

/// The console: server-rendered pages over a ``ConsoleSource``, with the actions of a
/// ``ConsoleActions`` when there is one (none over a copy of a log). `shiftlog serve` mounts it
/// at `/` beside `/health`, `/metrics` and `/api`; `shiftlog console` serves it alone
/// (``ConsoleServer``).
///
/// | route | what |
/// |---|---|
/// | `GET /` | overview |
/// | `GET /workers`, `POST /workers/:id/kill` | active workers; kill with a reason |
/// | `GET /items`, `POST /items` | items by filter, sort and page; add one |
/// | `GET /items/cancel`, `POST /items/cancel` | bulk cancel of a filter: the count, then the cancel |
/// | `GET /items/:id`, `POST /items/:id/cancel` | one item's story as a picture; cancel it |
/// | `GET /events`, `GET /events/:sequence` | the log, filtered; one event |
/// | `GET /sign-in`, `POST /sign-in`, `POST /sign-out` | sessions, when `API_KEY` is set |
/// | `GET /assets/console.css`, `/assets/console.js` | compiled in |
public struct Console: Sendable {
    let source: any ConsoleSource
    let actions: (any ConsoleActions)?
    let access: ConsoleAccess
    /// The sessions signed in to this console.
    public let sessions: ConsoleSessions
    let logger: Logger
    let pastStates = PastStates()

    /// A console reading `source`, acting through `actions` (`nil`: read-only), letting people
    /// in as `access` says.
    public init(source: any ConsoleSource, actions: (any ConsoleActions)?, access: ConsoleAccess, logger: Logger) {
        self.source = source
        self.actions = actions
        self.access = access
        self.sessions = ConsoleSessions(lifetime: access.sessionLifetime)
        self.logger = logger
    }

    /// Adds the console's routes to `router`.
    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("") { request, _ in await page(request, section: "/") { view in try OverviewPage.render(view.state, view.source) } }
        router.get("workers") { request, _ in
            await page(request, section: "/workers") { view in WorkersPage.render(view.state, view.source, canAct: view.canAct, csrf: view.csrf) }
        }
        router.get("items") { request, _ in
            await page(request, section: "/items") { view in
                try ItemsPage.render(view.state, query: try ItemsQuery(view.query), canAct: view.canAct, csrf: view.csrf)
            }
        }
        router.get("items/cancel") { request, _ in
            await page(request, section: "/items") { view in
                try BulkCancel.confirmation(view.state, query: try ItemsQuery(view.query), canAct: view.canAct, csrf: view.csrf)
            }
        }
        router.get("items/{id}") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request, section: "/items") { view in
                try ItemPage.render(id: id, view.state, view.source, canAct: view.canAct, csrf: view.csrf)
            }
        }
        router.get("events") { request, _ in
            await page(request, section: "/events") { view in
                try EventsPage.render(view.state, view.source, query: try EventsQuery(view.query))
            }
        }
        router.get("events/{sequence}") { request, context in
            let text = context.parameters.get("sequence") ?? ""
            return await page(request, section: "/events") { view in try EventPage.render(sequenceText: text, view.source) }
        }

        router.post("items") { request, _ in
            await action(request) { form, actions in
                let key = form.text("idempotencyKey") ?? ConsoleSessions.token()
                let id = try await actions.addItem(form.values, idempotencyKey: key)
                return ("Queued \(id).", "/items/\(id)")
            }
        }
        router.post("items/cancel") { request, _ in
            await action(request) { form, actions in
                let query = try ItemsQuery(form)
                guard let filter = query.cancelFilter else { throw ConsoleError.badInput(BulkCancel.notExpressible) }
                let ids = try await actions.cancel(matching: filter, reason: form.text("reason"))
                return ("Cancelled \(ids.count) item\(ids.count == 1 ? "" : "s") matching \(query.summary).", "/items" + query.link(page: 1))
            }
        }
        router.post("items/{id}/cancel") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request) { form, actions in
                let status = try await actions.cancel(itemId: id, reason: form.text("reason"))
                let message = status == .cancelled ? "Cancelled \(id)." : "Asked \(id)'s worker to end: the item is cancelled when it does."
                return (message, form.localPath("back") ?? "/items/\(id)")
            }
        }
        router.post("workers/{id}/kill") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request) { form, actions in
                try await actions.kill(workerId: id, reason: form.text("reason"))
                return ("Killed \(id).", form.localPath("back") ?? "/workers")
            }
        }

        router.get("sign-in") { request, _ in signInPage(request) }
        router.post("sign-in") { request, _ in await signIn(request) }
        router.post("sign-out") { request, _ in await signOut(request) }
        router.get("assets/console.css") { _, _ in asset(Assets.stylesheet, type: "text/css; charset=utf-8") }
        router.get("assets/console.js") { _, _ in asset(Assets.script, type: "text/javascript; charset=utf-8") }
    }

    // MARK: Pages and actions

    /// What a page is drawn from: the projections (now, or `?at=` a past point), the source
    /// they come from, the request's query, and whether its forms may act.
    struct PageView {
        var state: LifecycleState
        var source: any ConsoleSource
        var query: FormFields
        var csrf: String
        var canAct: Bool
    }

    /// A page: the session (or the way to one), then the page from the current state (or the
    /// state `?at=` names), in the layout. A refusal (``ConsoleError``) is a page with its
    /// status and message.
    func page(_ request: Request, section: String, _ build: (PageView) throws -> Page) async -> Response {
        var newSession: ConsoleSessions.Session?
        let session: ConsoleSessions.Session
        if let existing = sessions.session(cookieHeader: request.headers[.cookie]) {
            session = existing
        } else if access.needsSignIn {
            return redirect(to: "/sign-in?next=" + Self.percentEncoded(request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")))
        } else {
            session = sessions.open()
            newSession = session
        }
        var sequence: UInt64 = 0
        var history: History?
        let content: Page
        do {
            let query = try FormFields(request.uri.query ?? "")
            var view = PageView(state: try source.state(), source: source, query: query, csrf: session.csrfToken, canAct: actions != nil)
            if let at = query.text("at"), at != "now" {
                let last = view.state.lastSequence
                let past = try History.resolve(at, in: source.log, last: last)
                let state = past == last ? view.state : try pastStates.state(of: source.log, through: past)
                view = PageView(
                    state: state, source: PastSource(base: source, past: state, prefix: LogPrefix(base: source.log, through: past)),
                    query: query, csrf: session.csrfToken, canAct: false)
                history = History(at: past, last: last, time: state.lastEventTime, path: request.uri.path, query: query)
            }
            sequence = view.state.lastSequence
            content = try build(view)
        } catch let error as ConsoleError {
            content = Page(title: "Not shown", section: section, body: Templates.render("message", ["message": error.message]), scope: "none", status: error.status)
        } catch {
            logger.error("console page failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            content = Page(
                title: "Log unreadable", section: section,
                body: Templates.render("message", ["message": "The log could not be read: \(error)"]), scope: "none", status: 503)
        }
        var text = layout(history == nil ? content : Page(
            title: content.title, section: content.section, body: content.body, scope: "none", status: content.status),
            session: session, sequence: sequence, history: history)
        if let history { text = history.linkingPages(text) }
        var response = html(text, status: content.status)
        if let newSession { response.headers[.setCookie] = sessions.cookie(for: newSession) }
        return response
    }

    /// An action: a session whose CSRF token the form carries, then `perform`, then back to a
    /// page (303) that shows what happened once.
    func action(
        _ request: Request, _ perform: (FormFields, any ConsoleActions) async throws -> (notice: String, location: String)
    ) async -> Response {
        guard let session = sessions.session(cookieHeader: request.headers[.cookie]) else {
            if access.needsSignIn { return redirect(to: "/sign-in") }
            return refusal(actions == nil ? .readOnly : .expiredForm, session: nil)
        }
        do {
            guard let actions else { throw ConsoleError.readOnly }
            let form = try await Self.form(request)
            guard let token = form["csrf"], ConsoleSessions.constantTimeEquals(token, session.csrfToken) else {
                throw ConsoleError.expiredForm
            }
            let (notice, location) = try await perform(form, actions)
            sessions.setNotice(notice, for: session.id)
            return redirect(to: location)
        } catch let error as ConsoleError {
            return refusal(error, session: session)
        } catch let error as ConsoleActionError {
            return refusal(ConsoleError(status: error.status, message: error.message), session: session)
        } catch {
            logger.error("console action failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return refusal(ConsoleError(status: 503, message: "The action could not be done: \(error)"), session: session)
        }
    }

    func refusal(_ error: ConsoleError, session: ConsoleSessions.Session?) -> Response {
        let page = Page(title: "Refused", section: "", body: Templates.render("message", ["message": error.message]), scope: "none")
        return html(layout(page, session: session, sequence: (try? source.state().lastSequence) ?? 0), status: error.status)
    }

    func layout(_ page: Page, session: ConsoleSessions.Session?, sequence: UInt64, history: History? = nil) -> String {
        let layout = Layout(
            title: page.title, nav: Layout.links(current: page.section), body: page.body, csrf: session?.csrfToken,
            canSignOut: access.needsSignIn && session != nil, readOnly: actions == nil,
            // Only a page of the log follows it, and only for a session the stream lets in.
            live: source.streamsEvents && session != nil && page.scope != "none",
            sequence: sequence, scope: page.scope, notice: session.flatMap { sessions.takeNotice(for: $0.id) }, history: history)
        return Templates.render("layout", layout)
    }

    // MARK: Signing in

    func signInPage(_ request: Request, message: String? = nil, status: Int = 200) -> Response {
        guard access.needsSignIn else { return redirect(to: "/") }
        let next = Self.queryFields(request.uri.query).localPath("next") ?? "/"
        let body = Templates.render("sign-in", SignInView(next: next, message: message))
        let page = Page(title: "Sign in", section: "", body: body, scope: "none", status: status)
        return html(layout(page, session: nil, sequence: 0), status: status)
    }

    struct SignInView {
        var next: String
        var message: String?
    }

    func signIn(_ request: Request) async -> Response {
        guard access.needsSignIn else { return redirect(to: "/") }
        let form: FormFields
        do {
            form = try await Self.form(request)
        } catch {
            return html(layout(Page(title: "Sign in", section: "", body: Templates.render("message", ["message": error.message]), scope: "none"), session: nil, sequence: 0), status: 400)
        }
        let next = form.localPath("next") ?? "/"
        guard let key = form["key"], !key.isEmpty, access.accepts(key) else {
            await access.recordRefusal("POST /sign-in", form["key"]?.isEmpty == false ? "invalid credential" : "missing credential")
            let body = Templates.render("sign-in", SignInView(next: next, message: "That is not this service's API key."))
            return html(layout(Page(title: "Sign in", section: "", body: body, scope: "none"), session: nil, sequence: 0), status: 401)
        }
        let session = sessions.open()
        var response = redirect(to: next)
        response.headers[.setCookie] = sessions.cookie(for: session)
        return response
    }

    func signOut(_ request: Request) async -> Response {
        if let session = sessions.session(cookieHeader: request.headers[.cookie]),
            let form = try? await Self.form(request), let token = form["csrf"],
            ConsoleSessions.constantTimeEquals(token, session.csrfToken)
        {
            sessions.close(session.id)
        }
        var response = redirect(to: access.needsSignIn ? "/sign-in" : "/")
        response.headers[.setCookie] = ConsoleSessions.expiredCookie
        return response
    }

    // MARK: Responses

    func html(_ text: String, status: Int) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    func redirect(to location: String) -> Response {
        var headers = Self.securityHeaders
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    func asset(_ bytes: [UInt8], type: String) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Nothing but the console's own files may run or be loaded; no other site may frame it.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]

    static func form(_ request: Request) async throws(ConsoleError) -> FormFields {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 1 << 20)
        } catch {
            throw ConsoleError(status: 413, message: "The form is larger than 1 MB.")
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw ConsoleError.badInput("The form is not UTF-8 text.")
        }
        return try FormFields(text)
    }

    /// The query's fields, or none when the query is malformed (only for the sign-in page's
    /// `next`, which then falls back to the overview).
    static func queryFields(_ query: String?) -> FormFields {
        (try? FormFields(query ?? "")) ?? FormFields(values: [:])
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}


extension FormFields {
    /// A path on this console (`/items?status=queued`), never another site's (`//evil`, `http:`).
    func localPath(_ name: String) -> String? {
        guard let path = text(name), path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
            !path.contains(where: { $0.isNewline || $0 == "\0" })
        else { return nil }
        return path
    }
}
