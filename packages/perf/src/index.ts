export { Histogram, type HistogramSnapshot } from './histogram';
export {
  DEFAULT_PERFORMANCE_MONITOR_OPTIONS,
  PerformanceMonitor,
  type PerformanceMetrics,
  type PerformanceMonitorOptions,
  type PerformanceSummary,
  type TelemetrySourceLike,
} from './performance-monitor';
