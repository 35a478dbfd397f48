import CoreMetrics

/// A metrics factory that records nothing, so scenarios don't touch the global system.
func NoMetrics() -> any MetricsFactory { NOOPMetricsHandler.instance }
