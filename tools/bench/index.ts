/** The bench as a library, for the tests: run it, and format its result. */
export { runBench } from './run.ts'
export { formatResult } from './report.ts'
export type { BenchOptions, BenchResult, CaseResult, FloorResult, Run, Stats, Target } from './results.ts'
