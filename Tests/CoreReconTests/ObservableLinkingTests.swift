import CoreRecon
import Testing

@Suite("Which observables link alerts")
struct ObservableLinkingTests {
    @Test(
        "Loopback, link-local, unspecified and broadcast addresses are too common to link",
        arguments: [
            "127.0.0.1", "127.8.9.10", "0.0.0.0", "169.254.169.254", "255.255.255.255", "::", "::1",
            "0:0:0:0:0:0:0:1", "fe80::1", "FE80::a00:27ff:fe4e:66a1", "febf::1", "fe80::1%eth0", "[::1]",
            "::ffff:127.0.0.1",
        ])
    func commonAddresses(address: String) {
        #expect(Observable.isTooCommonToLink(kind: .ip, value: address))
        #expect(!Observable(kind: .ip, value: address, name: "src_endpoint.ip").isLinkable)
    }

    @Test(
        "Addresses that identify a host link alerts",
        arguments: [
            "203.0.113.77", "10.0.0.2", "192.168.1.1", "1.2.3.4", "2001:db8::1", "fec0::1", "::ffff:203.0.113.9",
            "128.0.0.1",
        ])
    func hostAddresses(address: String) {
        #expect(!Observable.isTooCommonToLink(kind: .ip, value: address))
        #expect(Observable(kind: .ip, value: address, name: "src_endpoint.ip").isLinkable)
    }

    @Test("Placeholders are too common to link, whatever the kind; real names are not")
    func placeholders() {
        for value in ["", " ", "-", "N/A", "n/a", "unknown", "UNKNOWN", "null", "(null)", "none"] {
            #expect(Observable.isTooCommonToLink(kind: .user, value: value), "\(value)")
            #expect(Observable.isTooCommonToLink(kind: .hostname, value: value), "\(value)")
        }
        #expect(Observable.isTooCommonToLink(kind: .hostname, value: "localhost"))
        #expect(!Observable.isTooCommonToLink(kind: .user, value: "j.doe"))
        #expect(!Observable.isTooCommonToLink(kind: .hostname, value: "bastion-01"))
        // Kinds that never correlate do not link, common or not.
        #expect(!Observable(kind: .process, value: "sshd", name: "process.name").isLinkable)
    }
}
