import ShiftlogEngine
@testable import ShiftlogRuntimes
import Testing

/// The parts of the Docker runtime that need no daemon: the log stream's frames, DOCKER_HOST,
/// the create body and the list rows' exit codes.
@Suite struct DockerProtocolTests {
    private func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let n = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + payload
    }

    @Test func framesAreDemultiplexedIntoLinesEvenWhenALineSpansFrames() {
        let bytes = frame(1, "first li") + frame(2, "an error\n") + frame(1, "ne\nsecond\n") + frame(1, "no newline")
        #expect(DockerLogFrames.lines(bytes) == ["an error", "first line", "second", "no newline"])
    }

    @Test func aStreamThatIsNotFramedIsReadAsRawLines() {
        #expect(DockerLogFrames.lines(Array("tty line\r\nnext\n".utf8)) == ["tty line", "next"])
        #expect(DockerLogFrames.lines([]) == [])
    }

    @Test func dockerHostIsParsedOrRefusedWithItsProblem() throws {
        #expect(try DockerEndpoint(dockerHost: "unix:///run/docker.sock").transport == .unixSocket(path: "/run/docker.sock"))
        #expect(try DockerEndpoint(dockerHost: "tcp://127.0.0.1:2375").transport == .tcp(host: "127.0.0.1", port: 2375))
        #expect(try DockerEndpoint.fromEnvironment([:]) == .defaultSocket)
        for bad in ["unix://relative.sock", "tcp://nohost", "tcp://:2375", "ssh://host", "tcp://h:99999"] {
            #expect(throws: DockerError.self, "\(bad)") { try DockerEndpoint(dockerHost: bad) }
        }
        #expect(throws: DockerError.self) { try DockerEndpoint.fromEnvironment(["DOCKER_TLS_VERIFY": "1"]) }
        #expect(DockerEndpoint(transport: .unixSocket(path: "/tmp/a b.sock")).url("/v1.41/version")
            == "http+unix://%2Ftmp%2Fa%20b.sock/v1.41/version")
    }

    @Test func theCreateBodyCarriesEnvironmentLabelsAndLimits() {
        var limits = ContainerLimits()
        limits.cpus = 1.5
        let config = DockerRuntime.config(ContainerSpec(
            name: "worker-1", image: "img", environment: ["B": "2", "A": "1"], labels: ["l": "v"], limits: limits))
        #expect(config.env == ["A=1", "B=2"])
        #expect(config.cmd == nil, "an empty command runs the image's own")
        #expect(config.hostConfig.nanoCpus == 1_500_000_000)
        #expect(config.hostConfig.memory == 4 << 30 && config.hostConfig.memorySwap == 4 << 30)
        #expect(config.hostConfig.pidsLimit == 256 && config.hostConfig.networkMode == "host")
    }

    @Test func listRowsGiveTheExitCodeOfExitedContainers() {
        #expect(DockerRuntime.exitCode(status: "Exited (137) 2 seconds ago") == 137)
        #expect(DockerRuntime.exitCode(status: "Up 3 seconds") == nil)
        #expect(DockerClient.compare("1.41", "1.41") == 0 && DockerClient.compare("1.40", "1.41") < 0 && DockerClient.compare("1.43", "1.41") > 0)
    }
}
