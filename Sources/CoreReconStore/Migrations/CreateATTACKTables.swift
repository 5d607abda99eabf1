/// Migration: imported MITRE ATT&CK data (`corerecon mitre import`, `mitre sync`).
///
/// `attack_objects` holds every kept STIX object (techniques, tactics, groups, software, mitigations, data
/// sources, ...) under its STIX id, with the columns look-ups and lists need; `attack_relationships` the STIX
/// relationships between them, indexed both ways so `mitre show` finds a technique's mitigations, groups and
/// sub-techniques with index look-ups. `domains` lists the imported bundles (enterprise-attack, mobile-attack,
/// ics-attack) an object or relationship came from, comma-joined: objects shared between domains are stored once.
/// `attack_imports` records the last import of each domain. Lists (`platforms`, `tactics`) are comma-joined.
struct CreateATTACKTables: Migration {
    let version = 3
    let name = "attack_tables"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            """
            CREATE TABLE attack_objects (
                stix_id TEXT PRIMARY KEY,
                type TEXT NOT NULL,
                external_id TEXT,
                name TEXT NOT NULL,
                domains TEXT NOT NULL,
                description TEXT,
                detection TEXT,
                platforms TEXT NOT NULL DEFAULT '',
                tactics TEXT NOT NULL DEFAULT '',
                short_name TEXT,
                is_subtechnique INTEGER NOT NULL DEFAULT 0,
                revoked INTEGER NOT NULL DEFAULT 0,
                deprecated INTEGER NOT NULL DEFAULT 0,
                modified TEXT,
                version TEXT,
                position INTEGER
            )
            """,
            "CREATE INDEX attack_objects_external_id ON attack_objects (external_id, type)",
            "CREATE INDEX attack_objects_type ON attack_objects (type, external_id)",
            """
            CREATE TABLE attack_relationships (
                stix_id TEXT PRIMARY KEY,
                relationship_type TEXT NOT NULL,
                source_ref TEXT NOT NULL,
                target_ref TEXT NOT NULL,
                description TEXT,
                domains TEXT NOT NULL,
                revoked INTEGER NOT NULL DEFAULT 0,
                deprecated INTEGER NOT NULL DEFAULT 0,
                modified TEXT
            )
            """,
            "CREATE INDEX attack_relationships_target ON attack_relationships (target_ref, relationship_type)",
            "CREATE INDEX attack_relationships_source ON attack_relationships (source_ref, relationship_type)",
            """
            CREATE TABLE attack_imports (
                domain TEXT PRIMARY KEY,
                attack_version TEXT,
                spec_version TEXT NOT NULL,
                bundle_id TEXT NOT NULL,
                source TEXT NOT NULL,
                imported_at BIGINT NOT NULL,
                object_count INTEGER NOT NULL,
                relationship_count INTEGER NOT NULL,
                technique_count INTEGER NOT NULL,
                skipped_count INTEGER NOT NULL,
                counts TEXT NOT NULL
            )
            """,
        ]
    }
}
