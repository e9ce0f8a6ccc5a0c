/**
 * Running cases: one measured build, and the schedule that runs several
 * cases side by side so that a change in the machine's load touches all alike.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { Builder, BuildError, formatDiagnostic, type BuildSummary } from '../../build/index.ts'
import type { MemorySampler } from './memory.ts'
import { medianStages, stats, type CaseResult, type Run } from './results.ts'

/** What every case shares: settings, the memory sampler, the scratch folder, and the results so far. */
export interface BenchContext {
  runs: number
  bigRuns: number
  scale: number
  quick: boolean
  log: (line: string) => void
  sampler: MemorySampler
  /** Every case's results, in the order they finished (the floor aside). */
  cases: CaseResult[]
  /** A fresh folder in the bench's scratch folder. */
  temp(name: string): Promise<string>
}

export interface CaseSpec {
  name: string
  label: string
  pdf: boolean
  /** Measured runs. Default: the bench's `runs`. */
  count?: number
  /** One unmeasured run first (skipped in quick mode). */
  warmup?: boolean
  /** Runs already measured: the case is not run again. */
  reuse?: Run[]
  /** One run; it prepares itself (edits, cache clearing) outside the timing. A warm-up gets index -1. */
  run: (index: number) => Promise<Run>
}

/** Build once, measured: time, memory, stage times, print passes, figures rendered and pages. */
export async function measureBuild(
  sampler: MemorySampler,
  root: string,
  options: { outDir: string; cacheDir: string; pdf: boolean },
): Promise<Run> {
  const builder = new Builder({ root, ...options })
  const printSteps: Record<string, number> = {}
  builder.on('printStep', (step, ms) => (printSteps[`pdf: ${step}`] = (printSteps[`pdf: ${step}`] ?? 0) + ms))
  await sampler.start()
  const t0 = performance.now()
  let summary: BuildSummary
  try {
    summary = await builder.build()
  } catch (error) {
    await sampler.stop()
    if (error instanceof BuildError) {
      const messages = error.diagnostics.map(formatDiagnostic).join('\n')
      throw new Error(`The build of ${root} failed:\n${messages}`, { cause: error })
    }
    throw error
  }
  const ms = performance.now() - t0
  const memory = await sampler.stop()
  return {
    ms,
    ...memory,
    stages: { ...Object.fromEntries(summary.stages.map((s) => [s.name, s.ms])), ...printSteps },
    passes: summary.pdf?.passes,
    figuresRendered: summary.figures.rendered,
    pages: summary.pdf?.pages,
  }
}

/** Run `run` with a fresh cache folder, removed afterwards. */
export async function withFreshCache(context: BenchContext, run: (cacheDir: string) => Promise<Run>): Promise<Run> {
  const cacheDir = await context.temp('cache-cold')
  try {
    return await run(cacheDir)
  } finally {
    await fs.rm(cacheDir, { recursive: true, force: true })
  }
}

/** Remove the PDF cache under `cacheDir`, so that the next build prints. */
export function clearPdfCache(cacheDir: string): Promise<void> {
  return fs.rm(path.join(cacheDir, 'pdf'), { recursive: true, force: true })
}

/**
 * Measure cases side by side: first every warm-up, then rounds in which each
 * case runs once, so that a change in the machine's load (it is shared)
 * touches every case alike and their ratios stay fair. Results are added to
 * `context.cases` (except the floor's) and returned in the order of `specs`.
 */
export async function schedule(context: BenchContext, specs: CaseSpec[]): Promise<CaseResult[]> {
  const { log, runs } = context
  const count = (spec: CaseSpec) => spec.count ?? runs
  if (specs.length === 1 && count(specs[0]!) > 1) log(`${specs[0]!.label}: ${count(specs[0]!)} runs`)
  for (const spec of specs) {
    if (!spec.warmup || context.quick || spec.reuse) continue
    log(`${spec.label}: warm-up`)
    await spec.run(-1)
  }
  const measured = specs.map((spec) => spec.reuse ?? [])
  const rounds = Math.max(0, ...specs.map((spec) => (spec.reuse ? 0 : count(spec))))
  for (let i = 0; i < rounds; i++) {
    if (rounds > 1 && specs.length > 1) log(`round ${i + 1} of ${rounds}`)
    for (const [k, spec] of specs.entries()) {
      if (spec.reuse || i >= count(spec)) continue
      const result = await spec.run(i)
      measured[k]!.push(result)
      log(`  ${spec.label}: ${describeRun(result)}`)
    }
  }
  return specs.map((spec, k) => {
    const result = caseResult(spec, measured[k]!)
    if (spec.name !== 'floor') context.cases.push(result)
    return result
  })
}

function caseResult(spec: CaseSpec, runs: Run[]): CaseResult {
  return {
    name: spec.name,
    label: spec.label,
    pdf: spec.pdf,
    runs,
    ...stats(runs.map((r) => r.ms)),
    stages: medianStages(runs),
    nodePeakMB: Math.max(...runs.map((r) => r.nodePeakMB)),
    chromiumPeakMB: Math.max(...runs.map((r) => r.chromiumPeakMB)),
  }
}

/** `1.23 s, 2 print passes, 0 figure(s) rendered` */
function describeRun(run: Run): string {
  let line = `${(run.ms / 1000).toFixed(2)} s`
  if (run.passes !== undefined) {
    line += `, ${run.passes === 0 ? 'PDF reused' : `${run.passes} print pass${run.passes > 1 ? 'es' : ''}`}`
  }
  if (run.figuresRendered !== undefined) line += `, ${run.figuresRendered} figure(s) rendered`
  return line
}
