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
/// | `POST /items/:id/retry`, `POST /items/:id/priority` | run it again now; change its priority |
/// | `GET /events`, `GET /events/:sequence` | the log, filtered; one event |
/// | `GET /what-if?STALE_THRESHOLD=…` | the log decided again under other rules |
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
        router.get("what-if") { request, _ in
            await page(request, section: "/what-if") { view in try WhatIfPage.render(view.state, view.source, query: view.query) }
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
        router.post("items/{id}/retry") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request) { form, actions in
                try await actions.retry(itemId: id, requestedBy: "console")
                return ("Queued \(id) to run again now.", form.localPath("back") ?? "/items/\(id)")
            }
        }
        router.post("items/{id}/priority") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request) { form, actions in
                guard let priority = form.text("priority").flatMap(Priority.init(rawValue:)) else {
                    throw ConsoleActionError(status: 400, message: "Choose a priority: low, medium, high or critical.")
                }
                try await actions.changePriority(itemId: id, to: priority, requestedBy: "console")
                return ("\(id) is now \(priority.rawValue) priority.", form.localPath("back") ?? "/items/\(id)")
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
}
