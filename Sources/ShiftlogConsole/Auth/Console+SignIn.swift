import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ShiftlogCore

/// Signing in with the API key, and out.
extension Console {

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
}
