// Public face of the statistics layer: snapshots, their transport encoding, worker-side recording, the
// controller's store, SLA evaluation, and the CSV/JSON outputs in Hyperfoil's formats.
export {
  HISTOGRAM_HIGHEST_TRACKABLE_NS,
  HISTOGRAM_LOWEST_DISCERNIBLE_NS,
  HISTOGRAM_SIGNIFICANT_DIGITS,
  type CountsWidth,
  type StatsHistogram,
} from './histogram.js';
export { ExtensionCounters, FIXED_EXTENSION_NAMES } from './extension.js';
export { StatsSnapshot, UNSET_START_MS } from './snapshot.js';
export { SnapshotPool } from './snapshot-pool.js';
export {
  decodeSnapshot,
  encodeSnapshot,
  StatsDecodeError,
  type SnapshotEncodeOptions,
} from './codec.js';
export {
  decodeHistogramInto,
  encodeHistogram,
  HistogramDecodeError,
  type DecodeMode,
  type HistogramEncodeOptions,
} from './hdr-encoding.js';
export {
  DEFAULT_COLLECTION_PERIOD_MS,
  StatsRecorder,
  type DrainedBucket,
  type ExtensionSlot,
} from './recorder.js';
export { StatsRecorderRegistry, type DrainedRecorderBucket } from './recorder-registry.js';
export {
  extensionHeaders,
  extensionValue,
  fromIntendedStartJson,
  HTTP_EXTENSION_KEY,
  percentileKey,
  REPORTED_PERCENTILES,
  toSummary,
  type CountersExtensionJson,
  type ExtensionJson,
  type FromIntendedStartJson,
  type HttpExtensionJson,
  type StatisticsSummary,
} from './summary.js';
export {
  BLOCKED_MESSAGE,
  evaluateSla,
  isWindowed,
  SlaWindow,
  windowBucketCount,
  type SlaSpec,
} from './sla.js';
export { slaChecks, slaVerdictsJson, type SlaCheckJson, type SlaRule, type SlaVerdictJson } from './sla-checks.js';
export { MetricData } from './metric-data.js';
export { SessionStats, type LowHigh, type SessionRecord } from './session-stats.js';
export {
  DEFAULT_MAX_FAILURES,
  DEFAULT_MERGE_DELAY_BUCKETS,
  httpCount,
  RECENT_MAX_AGE_MS,
  StatisticsStore,
  type RequestStats,
  type SlaFailure,
  type SlaResolver,
  type StatisticsStoreOptions,
} from './store.js';
export { metricFileName, sanitizeFileName, splitPhaseName, type PhaseNameParts } from './names.js';
export {
  agentCsv,
  collectExtensionHeaders,
  csvField,
  failuresCsv,
  histogramCsv,
  seriesCsv,
  sessionsCsv,
  statsCsvFiles,
  SUMMARY_CSV_HEADER,
  summaryCsvCells,
  totalCsv,
  type CsvFile,
} from './csv.js';
export {
  agentsJson,
  allJson,
  failuresJson,
  histogramBuckets,
  histogramJson,
  histogramResponseJson,
  requestStatisticsResponse,
  RUN_SCHEMA,
  sessionsJson,
  statsEntryJson,
  statsJson,
  type AllJsonInput,
  type FailureJson,
  type HistogramBucketJson,
  type HistogramResponseJson,
  type RequestStatisticsResponse,
  type SessionsEntryJson,
  type StatsEntryJson,
  type StatsTotalJson,
} from './json.js';
export { HistogramWalk, type IterationStep } from './histogram-iteration.js';
export { cumulativeCountsAtOrBelow, decodeHistogram } from './histogram-buckets.js';
export { javaDoubleToString, javaFixed } from './java-format.js';
export {
  countAbove,
  DEFAULT_GENERATOR_LIMITS,
  GeneratorLoad,
  MIN_LATE_SAMPLES,
  type GeneratorLimits,
  type GeneratorLoadPart,
  type PhaseGeneratorLoadJson,
} from './generator-load.js';
export { noRequestSucceeded } from './no-success.js';
export { pendingRequests, type PendingRequests } from './pending.js';
