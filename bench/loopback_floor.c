// What the kernel alone costs to deliver one message to many loopback TCP connections: the floor under any
// WebSocket fan-out on this machine. Opens N connected pairs in one process, writes one message of SIZE bytes
// to every server-side socket (one write each, as a server does per client), then reads each client side.
//
//   cc -O2 -o loopback_floor bench/loopback_floor.c && ./loopback_floor 9900 1400
//
// Both ends are in this process, so N is at most half the open-file limit.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s CONNECTIONS MESSAGE_BYTES\n", argv[0]);
        return 64;
    }
    int count = atoi(argv[1]);
    size_t size = (size_t)atoi(argv[2]);
    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);

    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 4096) < 0 ||
        getsockname(listener, (struct sockaddr *)&address, &length) < 0) {
        perror("listen");
        return 1;
    }
    int *clients = malloc((size_t)count * sizeof(int)), *servers = malloc((size_t)count * sizeof(int));
    int one = 1;
    for (int i = 0; i < count; i++) {
        clients[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(clients[i], (struct sockaddr *)&address, sizeof address) < 0) {
            perror("connect");
            return 1;
        }
        servers[i] = accept(listener, NULL, NULL);
        setsockopt(servers[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(clients[i], F_SETFL, O_NONBLOCK);
    }
    char *message = malloc(size), buffer[65536];
    memset(message, 'x', size);
    double send_total = 0, receive_total = 0;
    int rounds = 5;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ms();
        for (int i = 0; i < count; i++)
            if (write(servers[i], message, size) != (ssize_t)size) perror("write");
        double t1 = now_ms();
        for (int i = 0; i < count; i++)
            if (read(clients[i], buffer, sizeof buffer) <= 0) perror("read");
        double t2 = now_ms();
        send_total += t1 - t0;
        receive_total += t2 - t1;
    }
    double send = send_total / rounds, receive = receive_total / rounds;
    printf("%d connections, %zu-byte message, mean of %d rounds: writes %.1f ms (%.2f us each), "
           "reads %.1f ms (%.2f us each)\n",
           count, size, rounds, send, send * 1000 / count, receive, receive * 1000 / count);
    return 0;
}
