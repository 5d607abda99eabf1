// WebSocket fan-out latency of `corerecon serve`: connects N stream clients from one epoll loop, posts alerts
// through the Suricata webhook, and measures for every client how long each alert took from the POST to its
// arrival. C, so that the load generator costs the shared cores as little as possible.
//
//   cc -O2 -o ws_fanout bench/ws_fanout.c
//   ./ws_fanout PORT CLIENTS VIEWER_KEY INGEST_KEY [ALERTS=20] [INTERVAL_MS=500]
//
// Prints connected clients, deliveries and POST-to-arrival latency percentiles (milliseconds) on stdout.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;
    unsigned char *pending; // bytes of an incomplete frame
    size_t length, capacity;
    int received;
    int closed;
} Client;

static int port;
static double *latencies;
static size_t latency_count, latency_capacity;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int connect_local(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void send_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        data += n;
        length -= (size_t)n;
    }
}

// Reads an HTTP response head; returns its status code. Any bytes after the head stay unread (none expected).
static int read_head(int fd) {
    char head[4096];
    size_t length = 0;
    while (length < sizeof head - 1) {
        ssize_t n = read(fd, head + length, 1);
        if (n <= 0) return -1;
        length += 1;
        if (length >= 4 && memcmp(head + length - 4, "\r\n\r\n", 4) == 0) break;
    }
    head[length] = 0;
    int status = 0;
    sscanf(head, "HTTP/1.1 %d", &status);
    return status;
}

static void record(double latency) {
    if (latency_count == latency_capacity) {
        latency_capacity = latency_capacity ? latency_capacity * 2 : 1 << 16;
        latencies = realloc(latencies, latency_capacity * sizeof *latencies);
        if (!latencies) die("realloc");
    }
    latencies[latency_count++] = latency;
}

// Consumes complete frames at the start of the client's bytes; answers pings.
static void consume(Client *client, unsigned char *data, size_t length, double arrival) {
    static const char marker[] = "\"title\":\"bench-";
    size_t offset = 0;
    while (length - offset >= 2) {
        unsigned char *frame = data + offset;
        int opcode = frame[0] & 0x0F;
        uint64_t payload = frame[1] & 0x7F;
        size_t header = 2;
        if (payload == 126) {
            if (length - offset < 4) break;
            payload = ((uint64_t)frame[2] << 8) | frame[3];
            header = 4;
        } else if (payload == 127) {
            if (length - offset < 10) break;
            payload = 0;
            for (int i = 0; i < 8; i++) payload = (payload << 8) | frame[2 + i];
            header = 10;
        }
        if (length - offset < header + payload) break;
        unsigned char *body = frame + header;
        if (opcode == 1) {
            unsigned char *found = memmem(body, payload, marker, sizeof marker - 1);
            if (found) {
                double sent = strtod((char *)found + sizeof marker - 1, NULL);
                record((arrival - sent) / 1000.0);
                client->received += 1;
            }
        } else if (opcode == 9 && payload <= 125) {
            unsigned char pong[2 + 4 + 125];
            pong[0] = 0x8A;
            pong[1] = 0x80 | (unsigned char)payload;
            memset(pong + 2, 0, 4); // a zero mask leaves the payload as it is
            memcpy(pong + 6, body, payload);
            send_all(client->fd, (char *)pong, 6 + payload);
        } else if (opcode == 8) {
            client->closed = 1;
        }
        offset += header + payload;
    }
    // Keep the incomplete rest.
    size_t rest = length - offset;
    if (rest > client->capacity) {
        client->capacity = rest * 2;
        client->pending = realloc(client->pending, client->capacity);
        if (!client->pending) die("realloc");
    }
    memmove(client->pending, data + offset, rest);
    client->length = rest;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double p) {
    if (latency_count == 0) return 0;
    size_t index = (size_t)(p * (double)(latency_count - 1) + 0.5);
    return latencies[index];
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s PORT CLIENTS VIEWER_KEY INGEST_KEY [ALERTS=20] [INTERVAL_MS=500]\n", argv[0]);
        return 64;
    }
    port = atoi(argv[1]);
    int count = atoi(argv[2]);
    const char *viewer = argv[3], *ingest = argv[4];
    int alerts = argc > 5 ? atoi(argv[5]) : 20;
    int interval_ms = argc > 6 ? atoi(argv[6]) : 500;

    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);

    Client *clients = calloc((size_t)count, sizeof *clients);
    int epoll = epoll_create1(0);
    if (!clients || epoll < 0) die("setup");
    char request[1024];
    for (int i = 0; i < count; i++) {
        int fd = connect_local();
        int length = snprintf(request, sizeof request,
                              "GET /api/v1/stream?channels=alerts HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: Y29yZXJlY29uLWJlbmNoLQ==\r\nSec-WebSocket-Version: 13\r\n"
                              "Authorization: Bearer %s\r\n\r\n",
                              port, viewer);
        send_all(fd, request, (size_t)length);
        int status = read_head(fd);
        if (status != 101) {
            fprintf(stderr, "client %d: upgrade answered %d\n", i, status);
            return 1;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        clients[i].fd = fd;
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) < 0) die("epoll_ctl");
        if (i % 1000 == 999) fprintf(stderr, "\r%d clients connected", i + 1);
    }
    fprintf(stderr, "\r%d clients connected\n", count);
    sleep(1);

    static unsigned char buffer[1 << 18];
    static unsigned char joined[1 << 19];
    struct epoll_event ready[1024];
    for (int a = 0; a < alerts; a++) {
        char body[768];
        int body_length = snprintf(
            body, sizeof body,
            "{\"timestamp\":\"2026-11-25T10:00:00.000000+0000\",\"flow_id\":%d%06d,\"event_type\":\"alert\","
            "\"src_ip\":\"203.0.113.%d\",\"src_port\":4904,\"dest_ip\":\"10.0.0.2\",\"dest_port\":22,\"proto\":\"TCP\","
            "\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":%d,\"rev\":1,\"signature\":\"bench-%.0f\","
            "\"category\":\"Attempted Information Leak\",\"severity\":1}}",
            getpid(), a, a % 250 + 1, 9000000 + a, now_us());
        int post = connect_local();
        int length = snprintf(request, sizeof request,
                              "POST /api/v1/webhooks/suricata HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                              "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                              "Content-Length: %d\r\nConnection: close\r\n\r\n",
                              port, ingest, body_length);
        send_all(post, request, (size_t)length);
        send_all(post, body, (size_t)body_length);
        fcntl(post, F_SETFL, fcntl(post, F_GETFL) | O_NONBLOCK);
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
        epoll_ctl(epoll, EPOLL_CTL_ADD, post, &event);

        double until = now_us() + interval_ms * 1000.0;
        for (double left; (left = until - now_us()) > 0;) {
            int n = epoll_wait(epoll, ready, 1024, (int)(left / 1000) + 1);
            double arrival = now_us();
            for (int r = 0; r < n; r++) {
                if (ready[r].data.u32 == UINT32_MAX) { // the POST's answer, or its end
                    ssize_t got = read(post, buffer, sizeof buffer);
                    if (got == 0 || (got < 0 && errno != EAGAIN)) {
                        epoll_ctl(epoll, EPOLL_CTL_DEL, post, NULL);
                        close(post);
                    } else if (got > 0 && memcmp(buffer, "HTTP/1.1 202", 12) != 0) {
                        fprintf(stderr, "webhook answered: %.*s\n", (int)(got < 80 ? got : 80), buffer);
                    }
                    continue;
                }
                Client *client = &clients[ready[r].data.u32];
                for (;;) {
                    ssize_t got = read(client->fd, buffer, sizeof buffer);
                    if (got < 0 && (errno == EAGAIN || errno == EINTR)) break;
                    if (got <= 0) {
                        client->closed = 1;
                        epoll_ctl(epoll, EPOLL_CTL_DEL, client->fd, NULL);
                        break;
                    }
                    if (client->length > 0 && client->length + (size_t)got <= sizeof joined) {
                        memcpy(joined, client->pending, client->length);
                        memcpy(joined + client->length, buffer, (size_t)got);
                        consume(client, joined, client->length + (size_t)got, arrival);
                    } else {
                        consume(client, buffer, (size_t)got, arrival);
                    }
                    if ((size_t)got < sizeof buffer) break;
                }
            }
        }
        fprintf(stderr, "\ralert %d/%d posted", a + 1, alerts);
    }
    fprintf(stderr, "\n");

    int closed = 0, complete = 0;
    for (int i = 0; i < count; i++) {
        closed += clients[i].closed;
        complete += clients[i].received == alerts;
    }
    qsort(latencies, latency_count, sizeof *latencies, compare);
    printf("clients %d, alerts %d: %zu of %ld deliveries, %d clients got every alert, %d closed\n", count, alerts,
           latency_count, (long)count * alerts, complete, closed);
    printf("POST -> client latency (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", percentile(0.5),
           percentile(0.9), percentile(0.99), latency_count ? latencies[latency_count - 1] : 0.0);
    return latency_count == (size_t)count * alerts ? 0 : 1;
}
