/** Smoke test of `npm run bench`: one run per case on the mini book, and what bench.json and the report hold. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatResult, runBench, type BenchResult } from '../../tools/bench/index.ts'
import { stats } from '../../tools/bench/results.ts'
import { MINI_BOOK } from '../helpers/book.ts'

const CASES = [
  'first',
  'cold',
  'warm',
  'pdf',
  'chapter-edit',
  'data-edit',
  'dev-chapter',
  'dev-data',
  'e2e-first',
  'e2e-no-change',
  'pdf-x2',
]
const TARGETS = [
  'cold',
  'first-e2e',
  'no-change-e2e',
  'scale',
  'memory',
  'pdf-size',
  'warm',
  'no-change',
  'dev-chapter',
  'dev-data',
]

describe('bench', () => {
  it('measures every case of the mini book, evaluates every target, and writes the JSON', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-test-'))
    const json = path.join(dir, 'bench.json')
    try {
      const result = await runBench({ root: MINI_BOOK, quick: true, scale: 2, json })
      const written = JSON.parse(await fs.readFile(json, 'utf8')) as BenchResult
      expect(written).toEqual(JSON.parse(JSON.stringify(result)))

      expect(result.cases.map((c) => c.name)).toEqual(CASES)
      for (const c of result.cases) {
        expect(
          c.runs.map((r) => r.ms).every((ms) => ms > 0),
          c.name,
        ).toBe(true)
        // The case's numbers are its runs' statistics, not a stand-in.
        expect({ median: c.median, min: c.min, max: c.max }, c.name).toEqual(stats(c.runs.map((r) => r.ms)))
        expect(c.nodePeakMB).toBeGreaterThan(0)
        expect(c.floorRatio === undefined, c.name).toBe(!c.pdf)
      }
      expect(result.floor.median).toBeGreaterThan(0)
      expect(Object.keys(result.floor.parts)).toEqual(['launch', 'load', 'pdf', 'close'])
      expect(result.floor.pages).toBeGreaterThan(0)

      const byName = new Map(result.cases.map((c) => [c.name, c]))
      expect(byName.get('warm')!.runs[0]!.passes).toBe(0)
      expect(byName.get('pdf')!.runs[0]!.passes).toBeGreaterThanOrEqual(1)
      expect(byName.get('pdf')!.stages['pdf: pass 1']).toBeGreaterThan(0)
      expect(byName.get('pdf')!.chromiumPeakMB).toBeGreaterThan(0)
      expect(byName.get('data-edit')!.runs.map((r) => r.figuresRendered)).toEqual([1])
      expect(byName.get('chapter-edit')!.runs.map((r) => r.figuresRendered)).toEqual([0])
      expect(byName.get('pdf-x2')!.runs[0]!.pages).toBeGreaterThan(result.floor.pages)

      // Each target is measured from the cases and judged against its limit.
      expect(result.targets.map((t) => t.id)).toEqual(TARGETS)
      const target = new Map(result.targets.map((t) => [t.id, t]))
      expect(target.get('dev-chapter')!.value).toBe(byName.get('dev-chapter')!.median)
      expect(target.get('dev-data')!.value).toBe(byName.get('dev-data')!.median)
      for (const t of result.targets) expect(t.pass, t.id).toBe(t.value <= t.limit)
      // End to end: a fresh folder prints (and so is slower than the no-change run, which reuses everything).
      expect(byName.get('e2e-first')!.median).toBeGreaterThan(byName.get('e2e-no-change')!.median)
      expect(target.get('pdf-size')!.value).toBeGreaterThan(0)

      const report = formatResult(result)
      // The floor names the browser it measured, the one the builds print with.
      expect(result.floor.chromium).toMatch(/Chrom(e|ium)\/\d+/)
      expect(report).toContain(result.floor.chromium)
      for (const c of result.cases) expect(report, c.name).toContain(c.label)
      for (const t of result.targets)
        expect(report, t.id).toMatch(new RegExp(`${t.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(pass|FAIL)`))
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
})
