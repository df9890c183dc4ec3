/** What `npm run bench` hands every suite (bench/suites/<name>.ts exports `run(options)`). */
export interface BenchOptions {
  /** Small sizes and short runs (`npm run bench -- --quick`), for a smoke run. */
  quick: boolean;
  /** A fresh, migrated, empty PostgreSQL database for this suite alone (dropped afterwards). */
  databaseUrl: string;
  /** Admin URL of the same PostgreSQL server, to create more databases if a suite needs them. */
  pgAdminUrl: string;
  /** Progress lines (stderr). */
  log(message: string): void;
}

/**
 * A suite measures one area and returns its figures, flat: the headline ratio(s) named as in issue 9
 * (`ingest_ratio`, `batch_ratio`, `logging_ratio`, `query_scale_ratio`, `simulator_lag_p99_ms`, `rss_mb`)
 * plus the raw figures behind them (req/s, rows/s, ms…), each name saying its unit.
 */
export type BenchSuite = (options: BenchOptions) => Promise<Record<string, number>>;
