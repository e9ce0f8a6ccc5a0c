/** The shapes of the bench's results (`dist/bench.json`), and the statistics over runs. */

export interface BenchOptions {
  /** The book to measure. Default: the current folder. */
  root?: string
  /** Measured runs per case. Default 5. */
  runs?: number
  /** Measured runs of the repeated book, whose every run prints `scale` times the pages. Default 5. */
  bigRuns?: number
  /** How many times the book is repeated for the size case. Default 16. */
  scale?: number
  /** Where the results are written. Default: `<root>/dist/bench.json`. */
  json?: string
  /** Smoke mode: one run per case, no warm-ups, and the first build stands for the cold build. Default false. */
  quick?: boolean
  /** Progress lines. Default: none. */
  log?: (line: string) => void
}

/** One measured build (or floor print). */
export interface Run {
  ms: number
  /** Peak resident memory of this Node process during the run, in MB. */
  nodePeakMB: number
  /** Sum of the peak resident memory of every Chromium process alive during the run, in MB (0 when none ran). */
  chromiumPeakMB: number
  /** The largest sum of Chromium processes' resident memory seen at one sample, in MB. */
  chromiumConcurrentMB: number
  stages?: Record<string, number>
  passes?: number
  figuresRendered?: number
  pages?: number
  /** The floor's parts: launch, load, pdf, close (ms). */
  parts?: Record<string, number>
}

export interface Stats {
  median: number
  min: number
  max: number
}

export interface CaseResult extends Stats {
  name: string
  label: string
  pdf: boolean
  runs: Run[]
  /** Median ÷ floor median, for cases that print or could print. */
  floorRatio?: number
  /** Median of each stage (and `pdf: pass 1`, `pdf: pass 2`, `pdf: verify`) across runs, in ms. */
  stages: Record<string, number>
  nodePeakMB: number
  chromiumPeakMB: number
  note?: string
}

export interface FloorResult extends Stats {
  runs: Run[]
  /** Medians of launch, load (goto + fonts), pdf and close, in ms. */
  parts: Record<string, number>
  pages: number
  chromium: string
}

export interface Target {
  id: string
  label: string
  value: number
  limit: number
  unit: string
  pass: boolean
  /** The fewest runs behind the medians the target compares; absent for a single measurement. */
  runs?: number
}

export interface Machine {
  cpus: number
  cpuModel: string
  memoryMB: number
  loadAverage: { start: number[]; end: number[] }
  node: string
  platform: string
}

export interface BenchResult {
  version: 1
  date: string
  machine: Machine
  book: { root: string; chapters: number; figures: number; tables: number; pages: number; scale: number }
  settings: { runs: number; bigRuns: number; quick: boolean }
  floor: FloorResult
  cases: CaseResult[]
  targets: Target[]
  totalSeconds: number
}

export const MB = 1024 * 1024

/** Median, min and max (all 0 for no values). */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  const median =
    sorted.length === 0
      ? 0
      : sorted.length % 2
        ? sorted[Math.floor(middle)]!
        : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 }
}

/** The median time of each stage across runs (a stage missing from a run counts as 0). */
export function medianStages(runs: Run[]): Record<string, number> {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.stages ?? {})))]
  return Object.fromEntries(names.map((name) => [name, stats(runs.map((r) => r.stages?.[name] ?? 0)).median]))
}
