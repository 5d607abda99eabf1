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
    char *error = NULL;
    if (sqlite_nio_sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", argv[2], error);
        return 65;
    }
    return sqlite_nio_sqlite3_close(db) == SQLITE_OK ? 0 : 70;
}
