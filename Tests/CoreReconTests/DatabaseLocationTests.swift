import CoreRecon
import Testing

@Suite("Database URLs")
struct DatabaseLocationTests {
    let environment: [String: String] = ["HOME": "/home/analyst", "USER": "analyst"]

    @Test("SQLite URLs: absolute, relative, memory")
    func sqlite() throws {
        #expect(
            try DatabaseLocation(url: "sqlite:///var/lib/cr.db", environment: environment)
                == .sqliteFile(path: "/var/lib/cr.db"))
        #expect(
            try DatabaseLocation(url: "sqlite:data/cr.db", environment: environment, currentDirectory: "/srv")
                == .sqliteFile(path: "/srv/data/cr.db")
        )
        #expect(try DatabaseLocation(url: "sqlite::memory:", environment: environment) == .sqliteMemory)
    }

    @Test("A full PostgreSQL URL is taken as written, with the password percent-decoded")
    func postgresFull() throws {
        let location = try DatabaseLocation(
            url: "postgresql://soc:p%40ss@db.internal:6432/corerecon?sslmode=require",
            environment: environment
        )
        guard case .postgres(let postgres) = location else {
            Issue.record("expected PostgreSQL, got \(location)")
            return
        }
        #expect(postgres.host == "db.internal")
        #expect(postgres.port == 6432)
        #expect(postgres.user == "soc")
        #expect(postgres.password == "p@ss")
        #expect(postgres.database == "corerecon")
        #expect(postgres.tlsMode == .require)
    }

    @Test("Parts left out of a PostgreSQL URL come from PG* variables, as libpq does")
    func postgresFallbacks() throws {
        var environment = self.environment
        environment["PGHOST"] = "pg.example"
        environment["PGPORT"] = "5433"
        environment["PGUSER"] = "svc"
        environment["PGPASSWORD"] = "hunter2"
        environment["PGDATABASE"] = "soc"
        environment["PGSSLMODE"] = "disable"
        let location = try DatabaseLocation(url: "postgres://", environment: environment)
        #expect(
            location
                == .postgres(
                    PostgresLocation(
                        host: "pg.example", port: 5433, user: "svc", password: "hunter2", database: "soc",
                        tlsMode: .disable
                    )
                )
        )
        // Without PG* variables: localhost, 5432, the login name as user and database, sslmode=prefer.
        let defaults = try DatabaseLocation(url: "postgres://", environment: self.environment)
        #expect(
            defaults == .postgres(PostgresLocation(host: "localhost", user: "analyst", database: "analyst"))
        )
    }

    @Test("libpq options carry run-time parameters such as search_path")
    func postgresOptions() throws {
        let location = try DatabaseLocation(
            url: "postgres://u@h/db?options=-c%20search_path%3Dtenant_a", environment: environment)
        guard case .postgres(let postgres) = location else { return }
        #expect(postgres.parameters == ["search_path": "tenant_a"])
    }

    @Test("Printing a location never shows the password")
    func masked() throws {
        let location = try DatabaseLocation(url: "postgres://soc:topsecret@h:5432/db", environment: environment)
        #expect(!location.description.contains("topsecret"))
        #expect(location.description == "postgres://soc:***@h:5432/db?sslmode=prefer")
    }

    @Test(
        "Malformed URLs are configuration errors that never echo the password",
        arguments: [
            "mysql://u@h/db", "postgres://u:topsecret@h:notaport/db", "postgres://u@h/db?sslmode=sometimes",
            "no-scheme-here", "sqlite:",
        ]
    )
    func malformed(url: String) {
        #expect {
            try DatabaseLocation(url: url, environment: environment)
        } throws: { error in
            guard case .configuration(let message) = error as? CoreReconError else { return false }
            return !message.contains("topsecret") && message.contains("--database-url")
        }
    }

    @Test("The default database is an SQLite file under XDG_DATA_HOME, else ~/.local/share")
    func defaultLocation() {
        #expect(
            DatabaseLocation.defaultSQLite(environment: ["XDG_DATA_HOME": "/data"])
                == .sqliteFile(path: "/data/corerecon/corerecon.db")
        )
        #expect(
            DatabaseLocation.defaultSQLite(environment: ["HOME": "/home/a"])
                == .sqliteFile(path: "/home/a/.local/share/corerecon/corerecon.db")
        )
    }
}
