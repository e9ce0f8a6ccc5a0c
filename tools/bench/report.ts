/** The tables the bench prints. */
import type { BenchResult, Run } from './results.ts'
import { JUDGED_RUNS } from './targets.ts'

/** A case whose slowest run took more than this times its fastest is flagged: its median is doubtful. */
const SPREAD_LIMIT = 1.5

const STAGES = [
  'config',
  'parse',
  'collect',
  'figures',
  'styles',
  'site',
  'pdf',
  'pdf: pass 1',
  'pdf: pass 2',
  'pdf: pass 3',
  'pdf: conform',
  'pdf: layout',
  'pdf: verify',
  'site files',
  'write',
]

const seconds = (ms: number) => (ms / 1000).toFixed(2)

/** The cases, where time goes, the targets, and the machine, as plain-text tables. */
export function formatResult(result: BenchResult): string {
  return [casesTable(result), stagesTable(result), targetsTable(result), '', machineLine(result)].join('\n')
}

/** `peak / concurrent` MB of Chromium over runs, or – when none ran. */
function chromium(runs: Run[]): string {
  const peak = Math.max(...runs.map((r) => r.chromiumPeakMB))
  return peak ? `${peak} / ${Math.max(...runs.map((r) => r.chromiumConcurrentMB))}` : '–'
}

function casesTable(result: BenchResult): string {
  const { floor } = result
  const rows: string[][] = [['case', 'runs', 'median s', 'min s', 'max s', '× floor', 'Node MB', 'Chromium MB']]
  const floorNode = String(Math.max(...floor.runs.map((r) => r.nodePeakMB)))
  const floorLabel = 'floor: Chromium launch + load + 1 page.pdf()'
  rows.push([
    floorLabel,
    String(floor.runs.length),
    seconds(floor.median),
    seconds(floor.min),
    seconds(floor.max),
    '1.00',
    floorNode,
    chromium(floor.runs),
  ])
  for (const c of result.cases) {
    const ratio = c.floorRatio === undefined ? '–' : c.floorRatio.toFixed(2)
    rows.push([
      c.label,
      String(c.runs.length),
      seconds(c.median),
      seconds(c.min),
      seconds(c.max),
      ratio,
      String(c.nodePeakMB),
      chromium(c.runs),
    ])
  }
  const parts = floor.parts
  return [
    table(rows, [false, true, true, true, true, true, true, true]),
    '  Node MB: peak RSS of this process during the case (kernel high-water mark, reset per run). ' +
      "Chromium MB: sum of its processes' peak RSS / largest sum of RSS in one 100 ms sample.",
    `  floor parts (median s): launch ${seconds(parts.launch!)}, load ${seconds(parts.load!)}, ` +
      `page.pdf() ${seconds(parts.pdf!)}, close ${seconds(parts.close!)}; ${floor.pages} pages, ${floor.chromium}`,
    ...result.cases.filter((c) => c.note).map((c) => `  ${c.name}: ${c.note}`),
    spreadLine(result),
    '',
  ].join('\n')
}

/** The cases (the floor among them) whose max/min is over SPREAD_LIMIT. */
function spreadLine(result: BenchResult): string {
  const spreads = [{ name: 'floor', min: result.floor.min, max: result.floor.max }, ...result.cases]
    .filter((c) => c.min > 0 && c.max / c.min > SPREAD_LIMIT)
    .map((c) => `${c.name} ${(c.max / c.min).toFixed(2)}×`)
  return spreads.length > 0
    ? `  ! spread (max/min) over ${SPREAD_LIMIT}×: ${spreads.join(', ')}; their medians are doubtful`
    : `  every case's spread (max/min) is within ${SPREAD_LIMIT}×`
}

function stagesTable(result: BenchResult): string {
  const rows: string[][] = [['where time goes (median s)', ...STAGES.map((n) => n.replace('pdf: ', ''))]]
  for (const c of result.cases)
    rows.push([c.name, ...STAGES.map((n) => (c.stages[n] === undefined ? '–' : seconds(c.stages[n]!)))])
  return [
    table(rows, [false, ...STAGES.map(() => true)]),
    '  (pass 1 to verify are inside pdf; a pass is print + read back, and pass 1 includes launching Chromium; layout ' +
      'adds up every pass checked: pass 1, the copyfit trial and the kept pass; conform is the kept pass only. site ' +
      'files: the wait after the PDF for the site files made while it printed)',
    '',
  ].join('\n')
}

function targetsTable(result: BenchResult): string {
  const rows: string[][] = [['target', 'value', 'limit', 'result']]
  for (const t of result.targets) {
    const value = ['MB', 'KB', 'ms', '%'].includes(t.unit) ? String(Math.round(t.value)) : t.value.toFixed(2)
    const few = t.runs !== undefined && t.runs < JUDGED_RUNS ? ` (medians of ${t.runs} runs, not judged)` : ''
    rows.push([t.label, `${value} ${t.unit}`, `${t.limit} ${t.unit}`, `${t.pass ? 'pass' : 'FAIL'}${few}`])
  }
  return table(rows, [false, true, true, false])
}

function machineLine(result: BenchResult): string {
  const { machine } = result
  const load = (values: number[]) => values.map((l) => l.toFixed(1)).join(' ')
  return (
    `${machine.cpus} × ${machine.cpuModel}; browser ${result.floor.chromium}; load average ` +
    `${load(machine.loadAverage.start)} at start, ${load(machine.loadAverage.end)} at end; ` +
    `${result.totalSeconds.toFixed(0)} s in all`
  )
}

/** Columns padded to their widest cell (right-aligned where `right`), under a rule. */
function table(rows: string[][], right: boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)))
  const line = (r: string[]) =>
    r
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}
