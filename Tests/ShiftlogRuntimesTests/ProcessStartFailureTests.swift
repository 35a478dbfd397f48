import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes
import Testing

/// The process runtime's side of "a failed start removes only what it created".
@Suite struct ProcessStartFailureTests {
    let directory = NSTemporaryDirectory() + "shiftlog-process-start-\(UUID().uuidString)"

    private func spec(_ name: String, instance: String, command: [String]) -> ContainerSpec {
        ContainerSpec(
            name: name, image: "", environment: [:],
            labels: [ContainerLabel.workerId: name, ContainerLabel.instance: instance], limits: ContainerLimits(),
            command: command)
    }

    @Test func aStartThatCannotRunLeavesNoFolderBehind() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let processes = try ProcessRuntime(directory: directory)
        await #expect(throws: ContainerRuntimeError.self) {
            try await processes.start(spec("worker-1", instance: "shiftlog", command: ["no-such-program-here"]))
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/worker-1"))
    }

    @Test func anotherInstancesWorkerOfTheSameNameIsRefusedAndKeepsRunning() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let processes = try ProcessRuntime(directory: directory)
        let theirs = try await processes.start(spec("worker-1", instance: "staging", command: ["sleep", "30"]))
        let refusal = await #expect(throws: ContainerRuntimeError.self) {
            try await processes.start(spec("worker-1", instance: "shiftlog", command: ["sleep", "30"]))
        }
        #expect(refusal?.code == .nameTaken)
        #expect(try await processes.list(instance: "staging").map(\.id) == [theirs.id])
        #expect(try await processes.list(instance: "staging").first?.running == true)
        #expect(try await processes.remove(name: "worker-1"))
    }
}
