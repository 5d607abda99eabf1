/* Runs a file of SQL against a database with the SQLite that corerecon links (SQLiteNIO's amalgamation), for
 * benchmarks that need features newer than the system's sqlite3 shell (Debian 12 has 3.40; the contentless
 * full-text index of schema 20 needs 3.43). bench/ingest.sh builds it:
 *
 *   cc -O2 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_THREADSAFE=0 -DSQLITE_DQS=0 \
 *      -I .build/checkouts/sqlite-nio/Sources/VaporCSQLite/include bench/sqlite-run.c \
 *      .build/checkouts/sqlite-nio/Sources/VaporCSQLite/sqlite_nio_sqlite3.c -o sqlite-run -lm
 *   sqlite-run DATABASE FILE.sql
 */
#include <stdio.h>
#include <stdlib.h>
#include "sqlite_nio_sqlite3.h"

/* corerecon_observable_key(type, value), as the writer's connection has it (Sources/CoreReconStore/Alerts/
 * ObservableKey.swift): 16 hex digits of the 64-bit FNV-1a hash of type, 0x1F and value. */
static void observable_key(sqlite3_context *context, int argc, sqlite3_value **argv) {
    (void)argc;
    if (sqlite_nio_sqlite3_value_type(argv[0]) != SQLITE_TEXT || sqlite_nio_sqlite3_value_type(argv[1]) != SQLITE_TEXT) {
        sqlite_nio_sqlite3_result_null(context);
        return;
    }
    unsigned long long hash = 0xcbf29ce484222325ULL;
    for (int part = 0; part < 2; part++) {
        const unsigned char *text = sqlite_nio_sqlite3_value_text(argv[part]);
        int length = sqlite_nio_sqlite3_value_bytes(argv[part]);
        for (int i = 0; i < length; i++) {
            hash ^= text[i];
            hash *= 0x100000001b3ULL;
        }
        if (part == 0) {
            hash ^= 0x1F;
            hash *= 0x100000001b3ULL;
        }
    }
    char key[17];
    snprintf(key, sizeof key, "%016llx", hash);
    sqlite_nio_sqlite3_result_text(context, key, 16, SQLITE_TRANSIENT);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s DATABASE FILE.sql\n", argv[0]);
        return 64;
    }
    FILE *file = fopen(argv[2], "rb");
    if (!file) {
        perror(argv[2]);
        return 66;
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    char *sql = malloc(size + 1);
    if (!sql || fread(sql, 1, size, file) != (size_t)size) {
        fprintf(stderr, "%s: cannot read it\n", argv[2]);
        return 66;
    }
    sql[size] = 0;
    fclose(file);
    sqlite3 *db;
    if (sqlite_nio_sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], sqlite_nio_sqlite3_errmsg(db));
        return 69;
    }
    sqlite_nio_sqlite3_create_function(db, "corerecon_observable_key", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                       observable_key, NULL, NULL);
    char *error = NULL;
    if (sqlite_nio_sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", argv[2], error);
        return 65;
    }
    return sqlite_nio_sqlite3_close(db) == SQLITE_OK ? 0 : 70;
}
