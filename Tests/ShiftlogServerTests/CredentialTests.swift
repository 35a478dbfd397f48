import ShiftlogServer
import Testing

/// A worker's credential is `<id>.<base64url(HMAC-SHA256(key, "shiftlog-worker:" + id))>`,
/// unpadded. The expected values were computed outside Swift (Python's `hmac` and
/// `base64.urlsafe_b64encode`), so a change to the encoding cannot pass by agreeing with itself,
/// and credentials handed to running workers stay valid.
@Suite("Worker credentials")
struct CredentialTests {
    let credentials = WorkerCredentials(key: InstanceKey(bytes: Array(repeating: 1, count: 32)))

    @Test(arguments: [
        ("worker-1", "16xZJNOft8GERhSVF62ERq2sANrIL9QXxfBWhHQ_XTo"),
        ("fbdae7ac-f95a-44df-a242-a65f9c7f81b8", "KHdzalM9Ff6-ZFiBk8LrM9Ve0Qvt2TYPe2Nz_UjShXs"),
    ])
    func theCredentialIsTheIdAndItsMACInBase64URL(workerId: String, mac: String) {
        #expect(credentials.credential(for: workerId) == workerId + "." + mac)
        #expect(credentials.worker(presenting: workerId + "." + mac) == workerId)
    }

    @Test func aMACOffByOneCharacterIsRefused() {
        #expect(credentials.worker(presenting: "worker-1.16xZJNOft8GERhSVF62ERq2sANrIL9QXxfBWhHQ_XTp") == nil)
        #expect(credentials.worker(presenting: "worker-1.16xZJNOft8GERhSVF62ERq2sANrIL9QXxfBWhHQ_XTo=") == nil)
    }
}
