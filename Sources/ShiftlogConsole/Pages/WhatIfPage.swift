import ShiftlogCore
import ShiftlogInspect

/// `/what-if`: the CLI's `what-if` as a form. Each lifecycle rule is a field named as its
/// setting (`STALE_THRESHOLD`), checked by the setting's own declaration (the range and the
/// message `serve` and `what-if` give); the log's recorded inputs are decided again under the
/// rules given, and the page lists the kills that would not have happened, those that would
/// have instead, the items that would end differently, and every input whose outcome differs.
enum WhatIfPage {
    struct Rule {
        var name: String
        var help: String
        var allowed: String
        var value: String
    }

    struct Line {
        var text: String
    }

    struct Difference {
        var sequence: UInt64
        var input: String
        var recorded: String
        var whatIf: String
    }

    struct Report {
        var baseline: String
        var rules: String
        var inputs: Int
        var killsAvoided: [Line]
        var killsAvoidedCount: Int
        var newKills: [Line]
        var newKillsCount: Int
        var items: [Line]
        var itemsCount: Int
        var differences: [Difference]
        var moreDifferences: Int
    }

    struct View {
        var rules: [Rule]
        var report: Report?
    }

    static func render(_ state: LifecycleState, _ source: any ConsoleSource, query: FormFields) throws -> Page {
        var given: [(any SettingDeclaration, any Sendable)] = []
        var rules: [Rule] = []
        for setting in ShiftlogSettings.rules {
            let text = query.text(setting.name)
            if let text {
                do {
                    given.append((setting, try setting.parseAny(text, origin: setting.name, source: .flag)))
                } catch {
                    throw ConsoleError.badInput(error.message)
                }
            }
            rules.append(Rule(name: setting.name, help: setting.help, allowed: setting.allowed, value: text ?? ""))
        }
        var report: Report?
        if !given.isEmpty {
            let result = try WhatIf.run(source.log, through: state.lastSequence) { rules in
                for (setting, value) in given { setting.apply(value, to: &rules) }
            }
            let shown = result.differences.prefix(200)
            report = Report(
                baseline: Event.configurationRecorded(.init(lifecycle: result.baseline)).summary,
                rules: Event.configurationRecorded(.init(lifecycle: result.configuration)).summary, inputs: result.inputs,
                killsAvoided: result.killsAvoided.map(Line.init), killsAvoidedCount: result.killsAvoided.count,
                newKills: result.newKills.map(Line.init), newKillsCount: result.newKills.count,
                items: result.items.map { Line(text: "\($0.workItemId): \($0.recorded) → \($0.whatIf)") }, itemsCount: result.items.count,
                differences: shown.map { Difference(sequence: $0.sequence, input: $0.input, recorded: $0.recorded, whatIf: $0.whatIf) },
                moreDifferences: result.differences.count - shown.count)
        }
        return Page(title: "What if", section: "/what-if", body: Templates.render("what-if", View(rules: rules, report: report)), scope: "none")
    }
}
