import Foundation

/// Raw sockets on 127.0.0.1, for tests that need a client no library gives: a half-sent request, a datagram from a
/// chosen loopback address, a port held open.
public enum LoopbackSocket {
    /// An IPv4 address and port as `sockaddr_in`.
    public static func address(_ host: String = "127.0.0.1", port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }

    /// A TCP connection to 127.0.0.1:`port`; nil when it is refused. The caller closes it.
    public static func connect(port: Int) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = address(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            return nil
        }
        return socket
    }

    /// Writes all of `bytes`; false when the connection broke first.
    public static func send(_ bytes: [UInt8], on socket: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Binds a socket of `type` (SOCK_STREAM or SOCK_DGRAM) to `host` on `port` (0: any free one); the socket and
    /// the port it got, or nil when the address cannot be bound. The caller closes it.
    public static func bound(_ type: Int32, host: String = "127.0.0.1", port: Int = 0) -> (socket: Int32, port: Int)? {
        let socket = Glibc.socket(AF_INET, type, 0)
        var address = address(host, port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard bound == 0 else {
            close(socket)
            return nil
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Sends one UDP datagram from `source` (a loopback address such as 127.0.0.2) to 127.0.0.1:`port`; false when
    /// it could not be sent whole.
    public static func sendDatagram(_ bytes: [UInt8], from source: String = "127.0.0.1", to port: Int) -> Bool {
        guard let (socket, _) = bound(Int32(SOCK_DGRAM.rawValue), host: source) else { return false }
        defer { close(socket) }
        var remote = address(port: port)
        let sent = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(socket, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return sent == bytes.count
    }
}
