import CoreRecon
import CoreReconStore

/// The named schemas of the OpenAPI document: what the API's responses (and a few request bodies) hold.
/// `required` lists what is always present; a nullable field is present and may be null.
enum APISchemas {
    private static let string = Schema.string()
    private static let dateTime = Schema.dateTime()
    private static let id = Schema.integer(1...Int(Int64.max))
    private static let severity = Schema.string(enumeration: Severity.allCases.map(\.name))
    private static let strings = Schema.array(Schema.string())

    static let components: [(String, JSONValue)] = [
        (
            "Problem",
            Schema.object(
                [
                    ("type", Schema.string("A URI naming the kind of problem.")), ("title", string),
                    ("status", Schema.integer()), ("detail", Schema.string("What went wrong, naming the field.")),
                    ("instance", string), ("requestId", Schema.string("The X-Request-ID of the request.")),
                ], required: ["title", "status"], "An RFC 9457 problem document.")
        ),
        (
            "Health",
            Schema.object(
                [
                    ("status", Schema.string(enumeration: ["ok", "unavailable"])),
                    (
                        "database",
                        Schema.string(enumeration: [DatabaseBackend.sqlite.rawValue, DatabaseBackend.postgres.rawValue])
                    ),
                    ("detail", Schema.string("Why it is not ready.")),
                ], required: ["status"])
        ),
        (
            "TokenRequest",
            Schema.object(
                [
                    ("grant_type", Schema.string(enumeration: ["password", "refresh_token"])),
                    ("username", string), ("password", Schema.string(format: "password")), ("refresh_token", string),
                ], required: ["grant_type"], "RFC 6749 §4.3 (password) or §6 (refresh_token).")
        ),
        (
            "TokenResponse",
            Schema.object(
                [
                    ("access_token", Schema.string("A JWT for Authorization: Bearer.")),
                    ("token_type", Schema.string(enumeration: ["Bearer"])),
                    ("expires_in", Schema.integer(nil, "Seconds the access token is valid.")),
                    ("refresh_token", Schema.string("Single use: each refresh returns a new one.")),
                    ("role", Schema.string(enumeration: Role.allCases.map(\.rawValue))),
                ], required: ["access_token", "token_type", "expires_in", "refresh_token", "role"])
        ),
        (
            "GenericAlert",
            Schema.object(
                [
                    (
                        "title",
                        .object([
                            JSONMember(
                                "description",
                                .string(
                                    "What fired (or name, rule_name, signature, message ...); a number or true/false is taken as its text, and from a list (as Elasticsearch's fields hold values) the first text."
                                )),
                            JSONMember(
                                "anyOf",
                                .array([
                                    Schema.string(pattern: nonBlank), Schema.number(), Schema.boolean(),
                                    Schema.array(Schema.any),
                                ])),
                        ])
                    ),
                    ("severity", Schema.describe("informational to critical, or a number.")),
                    ("timestamp", Schema.describe("When it happened: RFC 3339, or epoch seconds or milliseconds.")),
                    ("description", Schema.describe("Text.")), ("host", Schema.describe("A host name.")),
                    ("src_ip", Schema.describe("Source address.")),
                    ("dest_ip", Schema.describe("Destination address.")),
                    ("user", Schema.describe("A user name.")),
                ], required: ["title"],
                "A SIEM alert in the generic format; records in the other formats are accepted as their vendors write them."
            )
        ),
        (
            "IngestSummary",
            Schema.object(
                [
                    ("alertIds", Schema.array(id, "The alerts created or merged into, in record order.")),
                    ("read", Schema.integer()), ("created", Schema.integer()), ("merged", Schema.integer()),
                    ("redelivered", Schema.integer()), ("rejected", Schema.integer()),
                    (
                        "rejections",
                        Schema.array(
                            Schema.object(
                                [("location", Schema.string("line N of the body.")), ("reason", string)],
                                required: ["location", "reason"]))
                    ),
                    (
                        "indicatorMatches",
                        Schema.array(
                            Schema.object(
                                [("alertId", id), ("indicatorId", id)], required: ["alertId", "indicatorId"]),
                            "New matches of the stored alerts with active indicators (`alert show` lists them).")
                    ),
                ],
                required: [
                    "alertIds", "read", "created", "merged", "redelivered", "rejected", "rejections",
                    "indicatorMatches",
                ])
        ),
        (
            "Alert",
            Schema.object(
                [
                    ("id", id), ("title", string), ("severity", severity), ("severityId", Schema.integer(0...99)),
                    ("status", Schema.string(enumeration: AlertStatus.allCases.map(\.rawValue))),
                    ("assignee", Schema.string(nullable: true)),
                    ("closeReason", Schema.string(enumeration: CloseReason.allCases.map(\.rawValue), nullable: true)),
                    ("source", string), ("product", string), ("vendor", Schema.string(nullable: true)),
                    ("ruleUid", Schema.string(nullable: true)),
                    ("occurrences", Schema.integer()), ("firstSeen", dateTime), ("lastSeen", dateTime),
                    ("createdAt", dateTime), ("updatedAt", dateTime), ("techniques", strings),
                    ("fingerprint", Schema.string("What merges repeats: the same fingerprint in the window.")),
                    ("description", Schema.string(nullable: true)),
                ],
                required: [
                    "id", "title", "severity", "severityId", "status", "assignee", "closeReason", "source", "product",
                    "vendor", "ruleUid", "occurrences", "firstSeen", "lastSeen", "createdAt", "updatedAt", "techniques",
                    "fingerprint", "description",
                ])
        ),
        (
            "AlertExplanation",
            Schema.object(
                [
                    ("alert", Schema.ref("Alert")),
                    (
                        "fields",
                        Schema.array(
                            Schema.object([("field", string), ("value", string)], required: ["field", "value"]),
                            "The fingerprint's fields and their values.")
                    ),
                    (
                        "deliveries",
                        Schema.array(
                            Schema.object(
                                [
                                    ("deliveryKey", string), ("eventTime", Schema.dateTime(nullable: true)),
                                    ("receivedAt", dateTime),
                                ], required: ["deliveryKey", "eventTime", "receivedAt"]),
                            "Every delivery, oldest first.")
                    ),
                ], required: ["alert", "fields", "deliveries"])
        ),
        (
            "AlertDetail",
            .object([
                JSONMember(
                    "allOf",
                    .array([
                        Schema.ref("Alert"),
                        Schema.object(
                            [
                                ("ocsf", Schema.object([], "The OCSF 1.5.0 Detection Finding (class_uid 2004).")),
                                (
                                    "iocMatches",
                                    Schema.array(Schema.ref("IOCMatch"), "Indicators its observables matched.")
                                ),
                                ("sla", Schema.array(Schema.ref("SLAClock"), "Its SLA clocks, oldest first.")),
                            ],
                            required: ["ocsf", "iocMatches", "sla"]),
                    ]))
            ])
        ),
        (
            "IOCFeed",
            Schema.object(
                [
                    ("name", string),
                    ("kind", Schema.string(enumeration: FeedSubscription.Kind.allCases.map(\.rawValue))),
                    ("url", string), ("collection", string), ("inputFormat", string), ("source", string),
                    ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue))),
                    ("confidence", Schema.integer(0...100)), ("tags", strings), ("username", string),
                    ("passwordEnvironment", Schema.string("The variable's name, never its value.")),
                    ("tokenEnvironment", Schema.string("The variable's name, never its value.")),
                    ("every", Schema.number("Seconds between pulls by `serve`.")),
                    ("cursor", Schema.string("Where the next pull starts.")), ("lastPull", dateTime),
                    ("lastStatus", string), ("lastSummary", string),
                ], required: ["name", "kind", "url", "inputFormat", "source", "confidence", "tags"])
        ),
        (
            "IOCFeedPull",
            Schema.object(
                [
                    ("feed", string), ("fetched", Schema.integer(nil, "Objects, events or bytes fetched.")),
                    ("changed", Schema.boolean("False when the server said nothing changed.")),
                    (
                        "summary",
                        Schema.object(
                            [
                                ("read", Schema.integer()), ("new", Schema.integer()), ("updated", Schema.integer()),
                                ("unchanged", Schema.integer()), ("rejected", Schema.integer()),
                            ], required: ["read", "new", "updated", "unchanged", "rejected"])
                    ),
                    (
                        "rejected",
                        Schema.array(
                            Schema.object(
                                [("location", string), ("reason", string)], required: ["location", "reason"]),
                            "Records left out: where (the feed's address and line) and why.")
                    ),
                    ("cursor", string),
                ], required: ["feed", "fetched", "changed", "summary", "rejected"])
        ),
        (
            "SLAClock",
            Schema.object(
                [
                    ("id", id), ("target", Schema.string(enumeration: SLATarget.allCases.map(\.rawValue))),
                    ("ref", Schema.string("The alert id or incident key.")),
                    ("metric", Schema.string(enumeration: SLAMetric.allCases.map(\.rawValue))),
                    ("cycle", Schema.integer(nil, "1, then 2 after a reopening, ...")),
                    ("state", Schema.string(enumeration: SLAState.allCases.map(\.rawValue))),
                    ("policy", string), ("calendar", string),
                    ("goalSeconds", Schema.integer(nil, "The goal in working seconds of the calendar.")),
                    ("startedAt", dateTime), ("atRiskAt", dateTime), ("deadline", dateTime),
                    (
                        "secondsLeft",
                        Schema.integer(nil, "To the deadline, negative when overdue; working time while paused.")
                    ),
                    ("pausedAt", Schema.dateTime(nullable: true)), ("stoppedAt", Schema.dateTime(nullable: true)),
                    ("severity", Schema.string(nullable: true)), ("assignee", Schema.string(nullable: true)),
                    ("title", Schema.string(nullable: true)),
                ],
                required: [
                    "id", "target", "ref", "metric", "cycle", "state", "policy", "calendar", "goalSeconds", "startedAt",
                    "atRiskAt", "deadline", "secondsLeft", "pausedAt", "stoppedAt", "severity", "assignee", "title",
                ])
        ),
        (
            "Notification",
            Schema.object(
                [
                    ("id", id), ("channel", string), ("rule", Schema.string(nullable: true)), ("eventType", string),
                    ("subject", string), ("state", Schema.string(enumeration: ["pending", "delivered", "failed"])),
                    ("attempts", Schema.integer()), ("createdAt", dateTime), ("nextAttemptAt", dateTime),
                    ("deliveredAt", Schema.dateTime(nullable: true)), ("lastError", Schema.string(nullable: true)),
                    ("response", Schema.string("The receiver's answer.", nullable: true)),
                ],
                required: ["id", "channel", "eventType", "subject", "state", "attempts", "createdAt", "nextAttemptAt"])
        ),
        (
            "NotifyChannel",
            Schema.object(
                [
                    ("name", string), ("type", Schema.string(enumeration: NotifyChannel.Kind.allCases.map(\.rawValue))),
                    (
                        "target",
                        Schema.string("Where it goes: the URL's source (never a secret), mail server, syslog address.")
                    ),
                    ("pending", Schema.integer()), ("failed", Schema.integer()),
                    ("lastSuccess", Schema.dateTime(nullable: true)), ("lastFailure", Schema.dateTime(nullable: true)),
                    ("lastError", Schema.string(nullable: true)),
                ], required: ["name", "type", "target", "pending", "failed"])
        ),
        (
            "SLAPolicy",
            Schema.object(
                [
                    ("name", string), ("target", Schema.string(enumeration: SLATarget.allCases.map(\.rawValue))),
                    ("severities", strings), ("sources", strings), ("types", strings),
                    ("goals", Schema.map(Schema.integer(), "Goals in working seconds, by metric.")),
                    ("calendar", string),
                    ("calendarHours", Schema.string("The calendar's time zone, days, hours and holidays; 24x7.")),
                    ("atRisk", Schema.number("The share of a goal after which a clock is at risk.")),
                    ("onBreach", Schema.string("The breach actions, `-` for none.")),
                ],
                required: [
                    "name", "target", "severities", "sources", "types", "goals", "calendar", "calendarHours", "atRisk",
                    "onBreach",
                ])
        ),
        (
            "SLASweep",
            Schema.object(
                [
                    (
                        "records",
                        Schema.array(
                            Schema.ref("SLAClock"),
                            "Each clock newly at risk or breached; `record` (at_risk, breached) is added to the clock.")
                    ),
                    (
                        "actions",
                        Schema.array(
                            Schema.object(
                                [("reference", string), ("action", string)], required: ["reference", "action"]),
                            "Breach actions taken.")
                    ),
                    ("policyChanged", Schema.boolean("The policy set changed and was recorded.")),
                    ("queued", Schema.integer(nil, "Notifications queued.")),
                    (
                        "delivery",
                        Schema.object(
                            [
                                ("delivered", Schema.integer()), ("retrying", Schema.integer()),
                                ("failed", Schema.integer()), ("deferred", Schema.integer()),
                            ], required: ["delivered", "retrying", "failed", "deferred"])
                    ),
                ], required: ["records", "actions", "policyChanged", "queued", "delivery"])
        ),
        (
            "SLAReportRow",
            Schema.object(
                [
                    ("target", string), ("group", string), ("metric", string), ("clocks", Schema.integer()),
                    ("met", Schema.integer()), ("breached", Schema.integer()), ("open", Schema.integer()),
                    ("metShare", Schema.number("met / (met + breached)", nullable: true)),
                    ("meanSeconds", Schema.number(nullable: true)), ("medianSeconds", Schema.number(nullable: true)),
                    ("p90Seconds", Schema.number(nullable: true)),
                ],
                required: ["target", "group", "metric", "clocks", "met", "breached", "open"])
        ),
        (
            "IOCMatch",
            Schema.object(
                [
                    ("value", Schema.string("The alert's observable that matched.")),
                    ("indicatorId", id), ("type", Schema.string(enumeration: IndicatorType.allCases.map(\.rawValue))),
                    ("indicator", Schema.string("The indicator's value (a listed parent domain, a network ...).")),
                    ("tags", strings),
                    ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue), nullable: true)),
                    ("sources", strings), ("matchedAt", dateTime),
                ], required: ["value", "indicatorId", "type", "indicator", "tags", "tlp", "sources", "matchedAt"])
        ),
        (
            "Indicator",
            Schema.object(
                [
                    ("id", id), ("type", Schema.string(enumeration: IndicatorType.allCases.map(\.rawValue))),
                    ("value", Schema.string("Canonical.")), ("score", Schema.integer(0...100, "Decayed score now.")),
                    ("active", Schema.boolean("Matched: not expired and on no warninglist.")),
                    ("expired", Schema.string("Why it is expired.", nullable: true)),
                    ("warninglists", Schema.string("The warninglists it is on.", nullable: true)),
                    ("confidence", Schema.integer(0...100)),
                    ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue), nullable: true)),
                    ("tags", strings), ("techniques", strings),
                    (
                        "sources",
                        Schema.array(
                            Schema.object(
                                [("name", string), ("firstSeen", dateTime), ("lastSeen", dateTime)],
                                required: ["name", "firstSeen", "lastSeen"]))
                    ),
                    ("sightings", Schema.integer()), ("falsePositives", Schema.integer()),
                    ("description", Schema.string(nullable: true)), ("validFrom", Schema.dateTime(nullable: true)),
                    ("validUntil", Schema.dateTime(nullable: true)), ("revoked", Schema.boolean()),
                    ("firstSeen", dateTime), ("lastSeen", dateTime),
                ],
                required: [
                    "id", "type", "value", "score", "active", "expired", "warninglists", "confidence", "tlp", "tags",
                    "techniques", "sources", "sightings", "falsePositives", "description", "validFrom", "validUntil",
                    "revoked", "firstSeen", "lastSeen",
                ])
        ),
        (
            "IndicatorDetail",
            .object([
                JSONMember(
                    "allOf",
                    .array([
                        Schema.ref("Indicator"),
                        Schema.object(
                            [
                                ("pattern", Schema.string("For stix-pattern indicators.", nullable: true)),
                                (
                                    "recentSightings",
                                    Schema.array(
                                        Schema.object(
                                            [
                                                ("at", dateTime), ("source", string),
                                                ("falsePositive", Schema.boolean()),
                                                ("alertId", Schema.integer(nullable: true)),
                                            ], required: ["at", "source", "falsePositive", "alertId"]))
                                ),
                                (
                                    "scoreHistory",
                                    Schema.array(
                                        Schema.object(
                                            [
                                                ("at", dateTime), ("event", string),
                                                ("score", Schema.integer(0...100)),
                                            ], required: ["at", "event", "score"]),
                                        "The score after each report and sighting, when it expires, and now.")
                                ),
                            ], required: ["pattern", "recentSightings", "scoreHistory"]),
                    ]))
            ])
        ),
        (
            "IOCImport",
            Schema.object(
                [
                    ("read", Schema.integer()), ("new", Schema.integer()), ("updated", Schema.integer()),
                    ("unchanged", Schema.integer()), ("rejected", Schema.integer()), ("patternOnly", Schema.integer()),
                    ("skipped", Schema.integer()), ("warninglisted", Schema.integer()),
                    (
                        "rejections",
                        Schema.array(
                            Schema.object(
                                [("location", string), ("reason", string)], required: ["location", "reason"]))
                    ),
                    (
                        "warnings",
                        Schema.array(string, "Steps after storing that failed (the retro-hunt, the matcher).")
                    ),
                    (
                        "retroMatches",
                        Schema.integer(nil, "Stored alerts the retro-hunt matched (absent when it is off).")
                    ),
                    ("retroAlerts", Schema.array(id, "Their ids.")),
                ],
                required: [
                    "read", "new", "updated", "unchanged", "rejected", "patternOnly", "skipped", "warninglisted",
                    "rejections", "warnings",
                ])
        ),
        (
            "IndicatorReport",
            Schema.object(
                [
                    ("type", Schema.string(enumeration: IndicatorType.allCases.map(\.rawValue))),
                    ("value", Schema.string("Made canonical by the server.")),
                    ("source", Schema.string("The feed that reported it.")),
                    ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue), nullable: true)),
                    ("confidence", Schema.integer(0...100, nullable: true)), ("tags", strings), ("techniques", strings),
                    ("description", Schema.string(nullable: true)), ("validFrom", Schema.dateTime(nullable: true)),
                    ("validUntil", Schema.dateTime(nullable: true)), ("revoked", Schema.boolean()),
                    ("pattern", Schema.string("A STIX pattern kept whole.", nullable: true)),
                    ("location", Schema.string("Where it was read (feed.txt:12), for rejections.")),
                ], required: ["type", "value", "source"])
        ),
        (
            "IndicatorStats",
            Schema.object(
                [
                    ("total", Schema.integer()), ("active", Schema.integer()), ("expired", Schema.integer()),
                    ("byType", Schema.map(Schema.integer())), ("bySource", Schema.map(Schema.integer())),
                    ("sightings", Schema.integer()),
                ], required: ["total", "active", "expired", "byType", "bySource", "sightings"])
        ),
        (
            "AlertPage",
            Schema.object(
                [
                    ("alerts", Schema.array(Schema.ref("Alert"))),
                    (
                        "nextCursor",
                        Schema.string("Give it as `cursor` for the next page; null on the last.", nullable: true)
                    ),
                ], required: ["alerts", "nextCursor"])
        ),
        (
            "BulkResults",
            Schema.object(
                [
                    (
                        "results",
                        Schema.array(
                            Schema.object(
                                [
                                    ("id", Schema.integer()), ("ok", Schema.boolean()),
                                    ("status", Schema.string("The alert's status after the change.")),
                                    ("previousStatus", Schema.string("The alert's status before the change.")),
                                    ("assignee", Schema.string(nullable: true)),
                                    ("error", Schema.string("Why the alert was not changed.")),
                                ], required: ["id", "ok"]))
                    )
                ], required: ["results"])
        ),
        (
            "RelatedAlert",
            Schema.object(
                [
                    ("alert", Schema.ref("Alert")),
                    (
                        "shared",
                        Schema.array(
                            Schema.object([("type", string), ("value", string)], required: ["type", "value"]))
                    ),
                ], required: ["alert", "shared"])
        ),
        (
            "AlertChange",
            Schema.object(
                [
                    ("at", dateTime), ("actor", string), ("action", string), ("field", Schema.string(nullable: true)),
                    ("oldValue", Schema.string(nullable: true)), ("newValue", Schema.string(nullable: true)),
                    ("message", Schema.string(nullable: true)),
                ], required: ["at", "actor", "action", "field", "oldValue", "newValue", "message"])
        ),
        (
            "Incident",
            Schema.object(
                [
                    ("id", Schema.string("The key.", pattern: IncidentRoutes.keyPattern)), ("title", string),
                    ("severity", severity),
                    ("state", Schema.string(enumeration: IncidentState.allCases.map(\.rawValue))),
                    ("type", Schema.string(nullable: true)), ("description", Schema.string(nullable: true)),
                    ("assignee", Schema.string(nullable: true)), ("createdBy", string),
                    ("createdAt", dateTime), ("updatedAt", dateTime),
                    ("acknowledgedAt", Schema.dateTime(nullable: true)),
                    ("investigatingAt", Schema.dateTime(nullable: true)),
                    ("containedAt", Schema.dateTime(nullable: true)), ("eradicatedAt", Schema.dateTime(nullable: true)),
                    ("recoveredAt", Schema.dateTime(nullable: true)), ("closedAt", Schema.dateTime(nullable: true)),
                    (
                        "resolution",
                        Schema.string(enumeration: IncidentResolution.allCases.map(\.rawValue), nullable: true)
                    ),
                    ("summary", Schema.string(nullable: true)), ("lessons", Schema.string(nullable: true)),
                    ("timeToAcknowledgeSeconds", Schema.number(nullable: true)),
                    ("timeToInvestigateSeconds", Schema.number(nullable: true)),
                    ("timeToResolveSeconds", Schema.number(nullable: true)),
                ], required: ["id", "title", "severity", "state", "createdBy", "createdAt", "updatedAt"])
        ),
        (
            "IncidentAlert",
            Schema.object(
                [
                    ("id", id), ("title", string), ("severity", severity), ("status", string), ("source", string),
                    ("firstSeen", dateTime), ("lastSeen", dateTime),
                ], required: ["id", "title", "severity", "status", "source", "firstSeen", "lastSeen"])
        ),
        (
            "Observable",
            Schema.object(
                [
                    ("id", id), ("type", Schema.string(enumeration: ObservableType.allCases.map(\.rawValue))),
                    ("value", Schema.string("Canonical: refanged, lower-case where the type is.")),
                    ("isIOC", Schema.boolean()), ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue))),
                    ("tags", strings), ("origin", Schema.string("manual, or alert:ID.")), ("addedBy", string),
                    ("addedAt", dateTime),
                ], required: ["id", "type", "value", "isIOC", "tags", "origin", "addedBy", "addedAt"])
        ),
        (
            "Task",
            Schema.object(
                [
                    ("number", Schema.integer(1...Int(Int32.max))), ("title", string), ("description", string),
                    ("phase", string), ("state", Schema.string(enumeration: TaskState.allCases.map(\.rawValue))),
                    ("assignee", string), ("origin", Schema.string("manual, or the template it came from.")),
                    ("createdAt", dateTime), ("updatedAt", dateTime), ("completedAt", dateTime),
                ], required: ["number", "title", "state", "origin", "createdAt", "updatedAt"])
        ),
        (
            "EvidenceCheck",
            Schema.object(
                [
                    ("evidence", Schema.ref("Evidence")),
                    ("actualSHA256", Schema.string("The content's hash now; null when it is gone.", nullable: true)),
                    ("intact", Schema.boolean("The content still has its recorded SHA-256.")),
                ], required: ["evidence", "actualSHA256", "intact"])
        ),
        (
            "CustodyEntry",
            Schema.object(
                [
                    ("action", Schema.string("added, verified, exported, ...")), ("actor", string), ("at", dateTime),
                    ("detail", Schema.string(nullable: true)),
                ], required: ["action", "actor", "at"])
        ),
        (
            "Evidence",
            Schema.object(
                [
                    ("id", id), ("sha256", Schema.string(pattern: "^[0-9a-f]{64}$")), ("size", Schema.integer()),
                    ("fileName", string), ("description", string), ("addedBy", string), ("addedAt", dateTime),
                ], required: ["id", "sha256", "size", "fileName", "addedBy", "addedAt"])
        ),
        (
            "TimelineEntry",
            Schema.object(
                [
                    ("at", Schema.dateTime("When it happened.")), ("category", string), ("message", string),
                    ("actor", string), ("kind", Schema.string("note (written by someone) or change (recorded).")),
                    ("recordedAt", Schema.dateTime("When it was written down.")),
                ], required: ["at", "message", "actor", "kind", "recordedAt"])
        ),
        (
            "TechniqueMapping",
            Schema.object(
                [("techniqueID", string), ("tactic", string), ("origin", Schema.string("manual, or alert:ID."))],
                required: ["techniqueID", "origin"])
        ),
        (
            "IncidentChange",
            Schema.object(
                [
                    ("at", dateTime), ("actor", string), ("action", string), ("field", string), ("oldValue", string),
                    ("newValue", string),
                ], required: ["at", "actor", "action"])
        ),
        (
            "IncidentDetail",
            Schema.object(
                [
                    ("incident", Schema.ref("Incident")), ("alerts", Schema.array(Schema.ref("IncidentAlert"))),
                    ("observables", Schema.array(Schema.ref("Observable"))),
                    ("tasks", Schema.array(Schema.ref("Task"))),
                    ("techniques", Schema.array(Schema.ref("TechniqueMapping"))),
                    ("evidence", Schema.array(Schema.ref("Evidence"))),
                    ("timeline", Schema.array(Schema.ref("TimelineEntry"))),
                    ("sla", Schema.array(Schema.ref("SLAClock"), "Its SLA clocks, oldest first.")),
                ],
                required: ["incident", "alerts", "observables", "tasks", "techniques", "evidence", "timeline", "sla"])
        ),
        (
            "IncidentReport",
            Schema.object(
                [
                    ("incident", Schema.ref("Incident")), ("generatedAt", dateTime),
                    ("alerts", Schema.array(Schema.ref("IncidentAlert"))),
                    ("observables", Schema.array(Schema.ref("Observable"))),
                    ("tasks", Schema.array(Schema.ref("Task"))),
                    (
                        "techniques",
                        Schema.array(
                            Schema.object(
                                [("id", string), ("name", string), ("tactic", string), ("origin", string)],
                                required: ["id", "origin"]))
                    ),
                    ("evidence", Schema.array(Schema.ref("Evidence"))),
                    ("timeline", Schema.array(Schema.ref("TimelineEntry"))),
                    ("metrics", Schema.map(Schema.number(), "Response times in seconds, where reached.")),
                ], required: ["incident", "generatedAt", "alerts", "observables", "tasks", "techniques", "timeline"])
        ),
        (
            "DurationStats",
            Schema.object(
                [
                    ("count", Schema.integer()), ("meanSeconds", Schema.number()), ("medianSeconds", Schema.number()),
                    ("p90Seconds", Schema.number()),
                ], required: ["count"])
        ),
        (
            "ResponseTimes",
            Schema.object(
                [
                    ("incidents", Schema.integer()), ("timeToAcknowledge", Schema.ref("DurationStats")),
                    ("timeToInvestigate", Schema.ref("DurationStats")), ("timeToResolve", Schema.ref("DurationStats")),
                ], required: ["incidents", "timeToAcknowledge", "timeToInvestigate", "timeToResolve"])
        ),
        (
            "IncidentMetrics",
            Schema.object(
                [
                    ("since", dateTime), ("until", dateTime), ("total", Schema.integer()),
                    ("byState", Schema.map(Schema.integer())), ("bySeverity", Schema.map(Schema.integer())),
                    ("byType", Schema.map(Schema.integer())), ("byResolution", Schema.map(Schema.integer())),
                    ("byTechnique", Schema.map(Schema.integer())), ("responseTimes", Schema.ref("ResponseTimes")),
                    ("responseTimesBySeverity", Schema.map(Schema.ref("ResponseTimes"))),
                ], required: ["since", "until", "total", "byState", "bySeverity", "responseTimes"])
        ),
        (
            "Technique",
            Schema.object(
                [
                    ("id", Schema.string(pattern: QueryParameter.techniquePattern)), ("name", string),
                    ("tactics", strings), ("platforms", strings), ("domains", strings),
                    ("isDeprecated", Schema.boolean()), ("isRevoked", Schema.boolean()),
                ], required: ["id", "name", "tactics"])
        ),
        (
            "Tactic",
            Schema.object(
                [("id", string), ("name", string), ("shortName", string), ("domain", string)],
                required: ["id", "name", "shortName"])
        ),
        (
            "TechniqueDetail",
            Schema.object(
                [
                    ("technique", Schema.ref("Technique")), ("tactics", Schema.array(Schema.ref("Tactic"))),
                    ("url", Schema.string(format: "uri")), ("catalog", Schema.string("Where the data came from.")),
                    ("subtechniques", Schema.array(Schema.ref("RelatedObject"))),
                    ("mitigations", Schema.array(Schema.ref("RelatedObject"))),
                    ("groups", Schema.array(Schema.ref("RelatedObject"))),
                    ("software", Schema.array(Schema.ref("RelatedObject"))),
                    ("campaigns", Schema.array(Schema.ref("RelatedObject"))),
                ], required: ["technique", "tactics", "catalog"])
        ),
        (
            "RelatedObject",
            Schema.object([("id", string), ("name", string), ("type", string)], required: ["id", "name"])
        ),
        (
            "Coverage",
            Schema.object(
                [
                    ("source", Schema.string(enumeration: ["alerts", "incidents"])), ("catalog", string),
                    ("attackVersion", string),
                    (
                        "tactics",
                        Schema.array(
                            Schema.object(
                                [
                                    ("tactic", Schema.ref("Tactic")),
                                    ("techniques", Schema.array(Schema.ref("CoverageCount"))),
                                ], required: ["tactic", "techniques"]))
                    ),
                    ("techniques", Schema.array(Schema.ref("CoverageCount"))),
                ], required: ["source", "tactics", "techniques"])
        ),
        (
            "CoverageCount",
            Schema.object(
                [("id", string), ("name", string), ("count", Schema.integer()), ("tactics", strings)],
                required: ["id", "count"])
        ),
        (
            "ATTACKImport",
            Schema.object(
                [
                    (
                        "record",
                        Schema.object(
                            [
                                ("domain", Schema.string(enumeration: ATTACKDomain.allCases.map(\.rawValue))),
                                ("attackVersion", string), ("specVersion", string), ("bundleID", string),
                                ("source", Schema.string("Where the bundle came from.")), ("importedAt", dateTime),
                                ("objectCount", Schema.integer(0...Int.max)),
                                ("relationshipCount", Schema.integer(0...Int.max)),
                                ("techniqueCount", Schema.integer(0...Int.max)),
                                ("skippedCount", Schema.integer(0...Int.max)),
                            ],
                            required: [
                                "domain", "specVersion", "bundleID", "source", "importedAt", "objectCount",
                                "relationshipCount", "techniqueCount", "skippedCount",
                            ])
                    ),
                    ("counts", Schema.map(Schema.integer(0...Int.max), "Stored objects by STIX type.")),
                    ("added", Schema.integer(0...Int.max)), ("updated", Schema.integer(0...Int.max)),
                    ("removed", Schema.integer(0...Int.max)), ("revoked", Schema.integer(0...Int.max)),
                    ("deprecated", Schema.integer(0...Int.max)),
                    ("skipped", Schema.map(Schema.integer(0...Int.max), "Objects not kept, by STIX type.")),
                ],
                required: ["record", "counts", "added", "updated", "removed", "revoked", "deprecated", "skipped"])
        ),
        (
            "LayerComparison",
            Schema.object(
                [
                    ("layer", Schema.string("The layer's name.")), ("layerVersion", string),
                    ("domain", Schema.string(enumeration: ATTACKDomain.allCases.map(\.rawValue))),
                    ("catalog", Schema.string("The catalog the ids were checked against.")),
                    ("source", Schema.string(enumeration: ["alerts", "incidents"])), ("since", dateTime),
                    ("layerOnly", Schema.array(Schema.ref("LayerItem"), "In the layer, never seen.")),
                    ("seenOnly", Schema.array(Schema.ref("LayerItem"), "Seen, not in the layer.")),
                    ("both", Schema.array(Schema.ref("LayerItem"))),
                    (
                        "outdated",
                        Schema.array(
                            string, "Layer techniques ATT&CK has revoked or deprecated since, with replacements.")
                    ),
                ],
                required: [
                    "layer", "layerVersion", "domain", "catalog", "source", "layerOnly", "seenOnly", "both", "outdated",
                ])
        ),
        (
            "LayerItem",
            Schema.object(
                [
                    ("id", string), ("name", string),
                    ("count", Schema.integer(0...Int.max, "Alerts or incidents that carried it.")),
                    ("score", Schema.number("The layer's score.")),
                ], required: ["id", "name", "count"])
        ),
        (
            "User",
            Schema.object(
                [
                    ("id", id), ("name", string), ("role", Schema.string(enumeration: Role.allCases.map(\.rawValue))),
                    ("isDisabled", Schema.boolean("Whether sign-ins are refused.")), ("createdAt", dateTime),
                    ("updatedAt", dateTime),
                ], required: ["id", "name", "role", "isDisabled", "createdAt", "updatedAt"])
        ),
        (
            "APIKey",
            Schema.object(
                [
                    ("id", id), ("name", string), ("role", Schema.string(enumeration: Role.allCases.map(\.rawValue))),
                    ("prefix", Schema.string("The key's first characters, to recognise it.")),
                    ("createdBy", string), ("createdAt", dateTime),
                    ("expiresAt", Schema.dateTime("Absent: the key does not expire.")),
                    ("lastUsedAt", Schema.dateTime("Absent: never used.")),
                    ("revokedAt", Schema.dateTime("Absent: not revoked.")),
                ], required: ["id", "name", "role", "prefix", "createdBy", "createdAt"])
        ),
        (
            "AuditVerification",
            Schema.object(
                [
                    ("rowsChecked", Schema.integer(nil, "Rows checked before the first problem (all when intact).")),
                    ("lastID", Schema.integer(nil, "The last row that checked out.")),
                    ("lastHash", Schema.string("Its hash: keep it elsewhere to detect a rewrite of the whole log.")),
                    (
                        "problem",
                        Schema.object(
                            [
                                ("kind", Schema.string(enumeration: ["altered", "removed", "reordered"])),
                                ("id", Schema.integer(nil, "The first broken row (the first missing one).")),
                                ("detail", string),
                            ], required: ["kind", "id", "detail"], "The first broken row; absent when intact.")
                    ),
                ], required: ["rowsChecked", "lastID", "lastHash"])
        ),
        (
            "AuditEntry",
            Schema.object(
                [
                    ("id", id), ("at", dateTime), ("actor", string), ("action", string), ("target", string),
                    (
                        "summary",
                        .object([
                            JSONMember(
                                "anyOf",
                                .array([
                                    Schema.object(
                                        [("before", Schema.map(string)), ("after", Schema.map(string))],
                                        required: ["before", "after"], "What changed."),
                                    Schema.string("A summary that is not before/after (a row written by hand)."),
                                ]))
                        ])
                    ),
                    ("prevHash", Schema.string(pattern: "^[0-9a-f]{64}$")),
                    (
                        "hash",
                        Schema.string(
                            "SHA-256 over the row and prevHash: the chain `audit verify` checks.",
                            pattern: "^[0-9a-f]{64}$")
                    ),
                ], required: ["id", "at", "actor", "action", "target", "prevHash", "hash"])
        ),
        (
            "PlaybookIssue",
            Schema.object(
                [
                    ("file", string), ("line", Schema.integer(1...Int(Int32.max))),
                    ("column", Schema.integer(1...Int(Int32.max))),
                    ("level", Schema.string(enumeration: ["error", "warning"])), ("message", string),
                ], required: ["file", "line", "column", "level", "message"])
        ),
        (
            "PlaybookLint",
            Schema.object(
                [("valid", Schema.boolean()), ("issues", Schema.array(Schema.ref("PlaybookIssue")))],
                required: ["valid", "issues"])
        ),
        (
            "PlaybookRun",
            Schema.object(
                [
                    ("id", id), ("playbook", string), ("version", Schema.string("SHA-256 of the file it ran.")),
                    ("trigger", string), ("triggerKey", string), ("eventId", Schema.integer(nullable: true)),
                    ("targetType", Schema.string(enumeration: ["alert", "incident"], nullable: true)),
                    ("targetId", Schema.string(nullable: true)), ("concurrencyKey", Schema.string(nullable: true)),
                    ("status", Schema.string(enumeration: PlaybookRun.Status.allCases.map(\.rawValue))),
                    ("actor", string), ("error", Schema.string(nullable: true)),
                    ("joinedRun", Schema.integer(nullable: true)), ("parentRun", Schema.integer(nullable: true)),
                    ("createdAt", dateTime), ("startedAt", Schema.dateTime(nullable: true)),
                    ("finishedAt", Schema.dateTime(nullable: true)), ("wakeAt", Schema.dateTime(nullable: true)),
                ],
                required: [
                    "id", "playbook", "version", "trigger", "triggerKey", "eventId", "targetType", "targetId",
                    "concurrencyKey", "status", "actor", "error", "joinedRun", "parentRun", "createdAt", "startedAt",
                    "finishedAt", "wakeAt",
                ])
        ),
        (
            "PlaybookRunDetail",
            Schema.object(
                [
                    ("id", id), ("playbook", string), ("status", string),
                    (
                        "steps",
                        Schema.array(
                            Schema.object(
                                [
                                    ("position", Schema.integer()),
                                    ("iteration", Schema.integer(nil, "-1 for the step as a whole; 0... per item.")),
                                    ("step", string), ("action", string),
                                    (
                                        "status",
                                        Schema.string(enumeration: [
                                            "running", "waiting", "succeeded", "failed", "skipped",
                                        ])
                                    ),
                                    ("attempts", Schema.integer()),
                                    ("inputs", Schema.describe("Resolved, secrets masked.")),
                                    ("outputs", Schema.describe("What later steps read.")),
                                    ("error", Schema.string(nullable: true)),
                                    ("startedAt", Schema.dateTime(nullable: true)),
                                    ("finishedAt", Schema.dateTime(nullable: true)),
                                    ("milliseconds", Schema.integer(nullable: true)),
                                ],
                                required: [
                                    "position", "iteration", "step", "action", "status", "attempts", "inputs",
                                    "outputs", "error", "startedAt", "finishedAt", "milliseconds",
                                ]))
                    ),
                ], required: ["id", "playbook", "status", "steps"], "A run (every field of PlaybookRun) and its steps.")
        ),
        (
            "Playbook",
            Schema.object(
                [
                    ("name", string), ("description", Schema.string(nullable: true)), ("enabled", Schema.boolean()),
                    ("file", string), ("version", string),
                    (
                        "on",
                        Schema.array(
                            Schema.object(
                                [("event", string), ("cron", Schema.string(nullable: true))],
                                required: ["event", "cron"]))
                    ),
                    (
                        "inputs",
                        Schema.array(
                            Schema.object(
                                [
                                    ("name", string), ("required", Schema.boolean()),
                                    ("description", Schema.string(nullable: true)),
                                ], required: ["name", "required", "description"]))
                    ),
                    (
                        "steps",
                        Schema.array(
                            Schema.object(
                                [
                                    ("id", string), ("uses", string),
                                    ("if", Schema.boolean("Whether the step has a condition.")),
                                    ("forEach", Schema.boolean("Whether the step runs for each item of a list.")),
                                ], required: ["id", "uses", "if", "forEach"]))
                    ),
                    ("lastRun", Schema.describe("The last run (a PlaybookRun), or null.")),
                ],
                required: ["name", "description", "enabled", "file", "version", "on", "inputs", "steps", "lastRun"])
        ),
        (
            "PlaybookList",
            Schema.object(
                [
                    ("playbooks", Schema.array(Schema.ref("Playbook"))),
                    (
                        "issues",
                        Schema.array(
                            Schema.ref("PlaybookIssue"), "Problems of the files; one with an error is left out.")
                    ),
                    ("directory", Schema.string("playbooks.path of the server; null when not set.", nullable: true)),
                ], required: ["playbooks", "issues", "directory"])
        ),
        (
            "PlaybookTestReport",
            Schema.object(
                [
                    ("playbook", string), ("file", string), ("event", string), ("triggered", Schema.boolean()),
                    ("reason", string), ("concurrencyKey", Schema.string(nullable: true)),
                    (
                        "steps",
                        Schema.array(
                            Schema.object(
                                [
                                    ("id", string), ("action", string),
                                    ("decision", Schema.string(enumeration: ["run", "would run", "skip", "error"])),
                                    ("inputs", Schema.describe("Resolved inputs.")),
                                    ("outputs", Schema.describe("Outputs of read-only steps.")),
                                    ("note", Schema.string(nullable: true)),
                                ], required: ["id", "action", "decision", "inputs", "outputs", "note"]))
                    ),
                ], required: ["playbook", "file", "event", "triggered", "reason", "concurrencyKey", "steps"])
        ),
    ]
}
