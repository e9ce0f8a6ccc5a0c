/** The bench's statistics and its report, on hand-made numbers (the bench itself runs in e2e/bench.test.ts). */
import { describe, expect, it } from 'vitest'
import { formatResult, type BenchResult, type CaseResult, type Run } from '../../tools/bench/index.ts'
import { stats } from '../../tools/bench/results.ts'

const run = (ms: number, extra: Partial<Run> = {}): Run => ({
  ms,
  nodePeakMB: 100,
  chromiumPeakMB: 0,
  chromiumConcurrentMB: 0,
  ...extra,
})

function benchCase(name: string, label: string, ms: number[], floorRatio?: number): CaseResult {
  return {
    name,
    label,
    pdf: floorRatio !== undefined,
    runs: ms.map((m) => run(m)),
    floorRatio,
    stages: { parse: 12 },
    nodePeakMB: 100,
    chromiumPeakMB: 0,
    ...stats(ms),
  }
}

const result: BenchResult = {
  version: 1,
  date: '2020-05-01T00:00:00.000Z',
  machine: {
    cpus: 2,
    cpuModel: 'Test CPU',
    memoryMB: 4096,
    loadAverage: { start: [0.5, 0.4, 0.3], end: [1.25, 1, 0.75] },
    node: 'v20',
    platform: 'linux',
  },
  book: { root: '/book', chapters: 3, figures: 1, tables: 1, pages: 8, scale: 2 },
  settings: { runs: 3, bigRuns: 1, quick: false },
  floor: {
    ...stats([400, 500, 600]),
    runs: [run(400), run(500), run(600)],
    parts: { launch: 200, load: 100, pdf: 150, close: 50 },
    pages: 1,
    chromium: 'Chromium 156',
  },
  cases: [
    benchCase('warm', 'warm no-change build (PDF)', [520, 480, 610], 1.04),
    benchCase('dev-chapter', 'chapter edit in dev mode', [90, 120], undefined),
  ],
  targets: [
    { id: 'warm', label: 'warm no-change build ≤ 1.2× floor', value: 1.04, limit: 1.2, unit: '× floor', pass: true },
    { id: 'dev-chapter', label: 'dev: chapter edit served < 300 ms', value: 305, limit: 300, unit: 'ms', pass: false },
  ],
  totalSeconds: 42.4,
}

describe('bench statistics', () => {
  it('gives the median, min and max of odd and even counts, and zeros for none', () => {
    expect(stats([610, 480, 520])).toEqual({ median: 520, min: 480, max: 610 })
    expect(stats([120, 90])).toEqual({ median: 105, min: 90, max: 120 })
    expect(stats([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 })
    expect(stats([])).toEqual({ median: 0, min: 0, max: 0 })
  })
})

describe('bench report', () => {
  const lines = formatResult(result).split('\n')
  const row = (start: string) => lines.find((line) => line.startsWith(start))?.split(/\s{2,}/)

  it('lists the floor and every case with runs, median, min and max in seconds, and the floor ratio', () => {
    expect(row('floor: Chromium launch')).toEqual([
      'floor: Chromium launch + load + 1 page.pdf()',
      '3',
      '0.50',
      '0.40',
      '0.60',
      '1.00',
      '100',
      '–',
    ])
    expect(row('warm no-change build')).toEqual([
      'warm no-change build (PDF)',
      '3',
      '0.52',
      '0.48',
      '0.61',
      '1.04',
      '100',
      '–',
    ])
    expect(row('chapter edit in dev mode')).toEqual([
      'chapter edit in dev mode',
      '2',
      '0.10',
      '0.09',
      '0.12',
      '–',
      '100',
      '–',
    ])
    expect(lines).toContain(
      '  floor parts (median s): launch 0.20, load 0.10, page.pdf() 0.15, close 0.05; 1 pages, Chromium 156',
    )
  })

  it('marks each target pass or FAIL with its value and limit', () => {
    expect(row('warm no-change build ≤')).toEqual([
      'warm no-change build ≤ 1.2× floor',
      '1.04 × floor',
      '1.2 × floor',
      'pass',
    ])
    expect(row('dev: chapter edit served')).toEqual(['dev: chapter edit served < 300 ms', '305 ms', '300 ms', 'FAIL'])
  })

  it('flags the cases whose slowest run is over 1.5× their fastest, and only those', () => {
    const spread = (cases: CaseResult[]) =>
      formatResult({ ...result, cases })
        .split('\n')
        .find((line) => line.includes('spread (max/min)'))
    expect(spread(result.cases)).toBe("  every case's spread (max/min) is within 1.5×")
    const noisy = benchCase('pdf', 'full PDF', [1000, 1400, 1600], 2)
    expect(spread([...result.cases, noisy])).toBe(
      '  ! spread (max/min) over 1.5×: pdf 1.60×; their medians are doubtful',
    )
  })

  it('marks a target measured on fewer than five runs as not judged', () => {
    const judged = (runs: number | undefined) =>
      formatResult({ ...result, targets: [{ ...result.targets[0]!, runs }] })
        .split('\n')
        .find((line) => line.startsWith('warm no-change build ≤'))
    expect(judged(3)).toMatch(/pass \(medians of 3 runs, not judged\)$/)
    expect(judged(5)).toMatch(/pass$/)
    expect(judged(undefined)).toMatch(/pass$/)
  })

  it('ends with the machine and the load', () => {
    expect(lines.at(-1)).toBe(
      '2 × Test CPU; browser Chromium 156; load average 0.5 0.4 0.3 at start, 1.3 1.0 0.8 at end; 42 s in all',
    )
  })
})
