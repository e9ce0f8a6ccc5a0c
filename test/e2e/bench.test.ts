/** Smoke test of `npm run bench`: one run per case on the mini book, and the shape of bench.json. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatResult, runBench, type BenchResult } from '../build/bench.ts'
import { chineseNumeral } from '../build/model.ts'
import { MINI_BOOK } from './helpers/book.ts'

describe('bench', () => {
  it('numbers parts for the repeated book', () => {
    expect([1, 4, 10, 11, 16, 20, 21].map(chineseNumeral)).toEqual(['一', '四', '十', '十一', '十六', '二十', '二十一'])
  })

  it('measures every case of the mini book and writes the JSON', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-test-'))
    const json = path.join(dir, 'bench.json')
    try {
      const result = await runBench({ root: MINI_BOOK, quick: true, scale: 2, json })
      const written = JSON.parse(await fs.readFile(json, 'utf8')) as BenchResult
      expect(written).toEqual(JSON.parse(JSON.stringify(result)))

      expect(result.cases.map((c) => c.name)).toEqual(['first', 'cold', 'warm', 'pdf', 'chapter-edit', 'data-edit', 'dev-chapter', 'dev-data', 'pdf-x2'])
      expect(result.floor.median).toBeGreaterThan(0)
      expect(Object.keys(result.floor.parts)).toEqual(['launch', 'load', 'pdf', 'close'])
      expect(result.floor.pages).toBeGreaterThan(0)
      for (const c of result.cases) {
        expect(c.runs.length).toBeGreaterThanOrEqual(1)
        expect(c.min).toBeLessThanOrEqual(c.median)
        expect(c.median).toBeLessThanOrEqual(c.max)
        expect(c.nodePeakMB).toBeGreaterThan(0)
        expect(c.floorRatio === undefined).toBe(!c.pdf)
      }
      const byName = new Map(result.cases.map((c) => [c.name, c]))
      expect(byName.get('warm')!.runs[0]!.passes).toBe(0)
      expect(byName.get('pdf')!.runs[0]!.passes).toBeGreaterThanOrEqual(1)
      expect(byName.get('pdf')!.stages['pdf: pass 1']).toBeGreaterThan(0)
      expect(byName.get('pdf')!.chromiumPeakMB).toBeGreaterThan(0)
      expect(byName.get('data-edit')!.runs.map((r) => r.figuresRendered)).toEqual([1])
      expect(byName.get('chapter-edit')!.runs.map((r) => r.figuresRendered)).toEqual([0])
      expect(byName.get('pdf-x2')!.runs[0]!.pages).toBeGreaterThan(result.floor.pages)
      expect(result.targets.map((t) => t.id)).toEqual(['cold', 'warm', 'scale', 'memory', 'no-change', 'dev-chapter', 'dev-data'])
      for (const t of result.targets) expect(typeof t.pass).toBe('boolean')
      expect(formatResult(result)).toMatch(/floor: Chromium/)
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
})
