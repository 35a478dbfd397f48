import CoreMetrics
import ShiftlogCore
import Synchronization

/// A metrics factory that keeps each counter's total and each gauge's last value, and lets a
/// test wait for a counter to reach a value (a ``ProgressSignal`` per label) instead of
/// polling.
final class SignallingMetrics: MetricsFactory, Sendable {
    private let counters = Mutex<[String: SignallingCounter]>([:])
    private let gauges = Mutex<[String: LastValue]>([:])

    /// The counter's signal (its value is the total so far).
    func counter(_ label: String) -> ProgressSignal { counterHandler(label).signal }

    /// The last value recorded by the gauge, if any.
    func gauge(_ label: String) -> Double? { gauges.withLock { $0[label] }?.value }

    private func counterHandler(_ label: String) -> SignallingCounter {
        counters.withLock { counters in
            if let counter = counters[label] { return counter }
            let counter = SignallingCounter()
            counters[label] = counter
            return counter
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { counterHandler(label) }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        NOOPMetricsHandler.instance
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        gauges.withLock { gauges in
            if let gauge = gauges[label] { return gauge }
            let gauge = LastValue()
            gauges[label] = gauge
            return gauge
        }
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { NOOPMetricsHandler.instance }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

private final class SignallingCounter: CounterHandler, Sendable {
    let signal = ProgressSignal()
    private let total = Mutex<Int64>(0)

    func increment(by amount: Int64) {
        let value = total.withLock { total in
            total += amount
            return total
        }
        signal.advance(to: UInt64(max(value, 0)))
    }

    func reset() {}
}

private final class LastValue: RecorderHandler, Sendable {
    private let last = Mutex<Double?>(nil)
    var value: Double? { last.withLock { $0 } }
    func record(_ value: Int64) { record(Double(value)) }
    func record(_ value: Double) { last.withLock { $0 = value } }
}
