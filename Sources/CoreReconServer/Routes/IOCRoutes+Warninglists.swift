import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird

/// `/api/v1/warninglists`: MISP warninglists, as `ioc warninglist` has them. Everyone who reads may list and
/// check; a list changes what is matched, so importing one is for leads and admins.
extension IOCRoutes {
    func registerWarninglists(on table: inout RouteTable) {
        let summary = Schema.object(
            [
                ("name", Schema.string()),
                ("type", Schema.string(enumeration: Warninglist.Kind.allCases.map(\.rawValue))),
                ("version", Schema.integer()), ("entries", Schema.integer(0...Int.max)),
                ("description", Schema.string()),
            ], required: ["name", "type", "version", "entries", "description"])
        table.add(
            .get, "/api/v1/warninglists", .read, tag: "iocs", "The warninglists, by name.",
            APIOperation(responses: [.json(200, "The lists.", Schema.array(summary))])
        ) { _, _ in
            try Body.response(try await LocalWarninglists(indicators: services.indicators).lists())
        }
        table.add(
            .post, "/api/v1/warninglists", .respond, tag: "iocs",
            "Import a MISP warninglist (list.json as MISP publishes it), replacing the list of the same name; the "
                + "stored indicators on it are flagged.",
            APIOperation(
                query: [QueryParameter("name", .text(maxLength: 1_000), "The file's name, for messages.")],
                body: .json(Schema.object([], "A MISP warninglist: name, type, list, and so on.")),
                responses: [
                    .json(
                        200, "What was stored.",
                        Schema.object(
                            [
                                ("name", Schema.string()), ("type", Schema.string()),
                                ("entries", Schema.integer(0...Int.max)),
                                ("indicatorsOnIt", Schema.integer(0...Int.max, "Stored indicators on the list.")),
                            ], required: ["name", "type", "entries", "indicatorsOnIt"]))
                ],
                problems: [(422, "The body is not a MISP warninglist.")])
        ) { request, context in
            let identity = try context.require(.respond)
            let bytes = Array(try await Body.json(request, limit: bodyLimit).readableBytesView)
            let file = request.query("name") ?? "body"
            let list = try Warninglist.parse(bytes, location: file)
            return try Body.response(
                try await LocalWarninglists(indicators: services.indicators).importList(
                    list, bytes: bytes, file: file, by: identity.actor))
        }
        table.add(
            .get, "/api/v1/warninglists/check", .read, tag: "iocs",
            "Which warninglists a value is on (refanged and made canonical first).",
            APIOperation(
                query: [
                    QueryParameter("value", .text(maxLength: 10_000), "The value.", required: true),
                    QueryParameter(
                        "type", .choice(IndicatorType.allCases.map(\.rawValue)), "Its type (default: detected)."),
                ],
                responses: [
                    .json(
                        200, "The lists it is on; none is an answer too.",
                        Schema.object(
                            [
                                ("type", Schema.string()), ("value", Schema.string()),
                                ("warninglists", Schema.array(Schema.string())),
                            ], required: ["type", "value", "warninglists"]))
                ],
                problems: [(422, "The value is not of the type given, or its type cannot be told.")])
        ) { request, _ in
            // `value` is required (checked before this); an empty one is not an indicator: 422, as for any other.
            let value = request.query("value") ?? ""
            return try Body.response(
                try await LocalWarninglists(indicators: services.indicators).check(
                    value, type: try request.query("type").map(Self.type)))
        }
    }
}
