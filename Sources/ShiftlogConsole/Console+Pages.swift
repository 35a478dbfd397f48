import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ShiftlogCore

/// How a page and an action are answered: the session first, then the page or the action, in
/// the layout; a refusal is a page with its status.
extension Console {

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
            return redirect(to: "/sign-in?next=" + FormFields.encoded(request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")))
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
            title: page.title, nav: Layout.links(current: page.section, withAPI: actions != nil), body: page.body, csrf: session?.csrfToken,
            canSignOut: access.needsSignIn && session != nil, readOnly: actions == nil,
            // Only a page of the log follows it, and only for a session the stream lets in.
            live: source.streamsEvents && session != nil && page.scope != "none",
            sequence: sequence, scope: page.scope, notice: session.flatMap { sessions.takeNotice(for: $0.id) }, history: history)
        return Templates.render("layout", layout)
    }
}
