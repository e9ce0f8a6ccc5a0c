/** The targets issue 20 sets, judged on the medians measured in the same run. */
import type { BuildCases } from './build-cases.ts'
import type { BenchContext } from './cases.ts'
import type { EndToEnd } from './end-to-end.ts'
import type { CaseResult, Target } from './results.ts'

/** Medians of fewer runs than this are shown, but marked: a target is judged on at least five. */
export const JUDGED_RUNS = 5

/** Every target, measured. */
export function targets(context: BenchContext, built: BuildCases, endToEnd: EndToEnd, nodePeak: number): Target[] {
  const { floor, cold, warm, fullPdf, big } = built
  const scale = context.scale
  const byName = (name: string): CaseResult => context.cases.find((c) => c.name === name)!
  const runs = (...cases: { runs: unknown[] }[]) => Math.min(...cases.map((c) => c.runs.length))
  const atMost = (value: number, limit: number, unit: string, ...cases: { runs: unknown[] }[]) => ({
    value,
    limit,
    unit,
    pass: value <= limit,
    runs: cases.length > 0 ? runs(floor, ...cases) : undefined,
  })
  const below = (value: number, limit: number, unit: string, ...cases: { runs: unknown[] }[]) => ({
    ...atMost(value, limit, unit, ...cases),
    pass: value < limit,
  })
  const timesFloor = (result: CaseResult) => result.median / floor.median
  return [
    { id: 'cold', label: 'cold full build ≤ 2× floor', ...atMost(timesFloor(cold), 2, '× floor', cold) },
    {
      id: 'first-e2e',
      label: 'first `npm run build` in a fresh folder, end to end ≤ 4× floor',
      ...atMost(timesFloor(endToEnd.first), 4, '× floor', endToEnd.first),
    },
    {
      id: 'no-change-e2e',
      label: 'no-change `npm run build`, end to end ≤ 0.3× floor',
      ...atMost(timesFloor(endToEnd.noChange), 0.3, '× floor', endToEnd.noChange),
    },
    {
      id: 'scale',
      label: `book ×${scale} ≤ ${scale + 0.5}× single book (Chromium peak ${big.chromiumPeakMB} MB)`,
      ...atMost(big.median / fullPdf.median, scale + 0.5, '× single', big, fullPdf),
    },
    { id: 'memory', label: 'Node peak RSS < 500 MB (cold CLI build)', ...below(nodePeak, 500, 'MB') },
    { id: 'pdf-size', label: 'the PDF ≤ 400 KB (decimal)', ...atMost(endToEnd.pdfBytes / 1000, 400, 'KB') },
    { id: 'warm', label: 'warm no-change build ≤ 1.2× floor', ...atMost(timesFloor(warm), 1.2, '× floor', warm) },
    {
      id: 'no-change',
      label: 'no-change build < 25% of a cold build',
      ...below((100 * warm.median) / cold.median, 25, '%', warm, cold),
    },
    {
      id: 'dev-chapter',
      label: 'dev: chapter edit served < 300 ms',
      ...below(byName('dev-chapter').median, 300, 'ms', byName('dev-chapter')),
    },
    {
      id: 'dev-data',
      label: 'dev: data edit served < 500 ms',
      ...below(byName('dev-data').median, 500, 'ms', byName('dev-data')),
    },
  ]
}
