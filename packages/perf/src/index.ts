export { Histogram, type HistogramSnapshot } from './histogram';
export {
  DEFAULT_PERFORMANCE_MONITOR_OPTIONS,
  PerformanceMonitor,
  type PerformanceMetrics,
  type PerformanceMonitorOptions,
  type PerformanceSummary,
  type TelemetrySourceLike,
} from './performance-monitor';
export {
  BinaryPool,
  DEFAULT_BINARY_POOL_OPTIONS,
  type BinaryPoolOptions,
  type BinaryPoolStats,
  type PoolKey,
} from './binary-pool';
export { Cacheable, cacheable, uncached } from './cacheable';
export { pooledSerializer } from './pooled-serializer';
export { DEFAULT_ROUTE_CACHE_OPTIONS, RouteCache, type RouteCacheOptions, type RouteCacheStats } from './route-cache';
export {
  DEFAULT_HIBERNATION_OPTIONS,
  HibernationManager,
  resolveHibernationOptions,
  type HibernatedEvent,
  type HibernationHost,
  type HibernationMode,
  type HibernationOptions,
  type HibernationReason,
  type HibernationState,
  type HibernationStats,
  type ResolvedHibernationOptions,
  type WakeReason,
  type WokeEvent,
} from './hibernation-manager';
export type { PerfScheduler } from './options-check';
export type { MeteredCacheStats } from './metered-cache';
