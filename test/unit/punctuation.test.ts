/** The punctuation-compression check on planted text runs, with the positions Chromium prints them at. */
import { describe, expect, it } from 'vitest'
import { findLoosePunctuation } from '../../build/pdf/layout/punctuation.ts'
import type { PdfTextItem } from '../../build/pdf/readback.ts'

const SIZE = 9.03

/** Runs on one baseline, each starting at its x; a run's width is one em per character. */
function page(runs: [string, number][], y = 221.7) {
  const items: PdfTextItem[] = runs.map(([text, x]) => ({ text, x, y, width: [...text].length * SIZE, size: SIZE }))
  return { index: 4, width: 595, height: 842, items }
}

describe('punctuation compression', () => {
  it('passes ”“ collapsed to half an em, as printed in 表3 of the real book', () => {
    // 通过“四区” ends at 88.06 + 6 em; the collapsed “ starts half an em earlier.
    const end = 88.06 + 6 * SIZE
    const collapsed = page([
      ['通过“四区”', 88.06],
      ['“两中心”', end - 0.5 * SIZE],
    ])
    expect(findLoosePunctuation([collapsed])).toEqual([])
  })

  it('reports ”“ set solid in one run, and across two runs', () => {
    const oneRun = page([['通过“四区”“两中心”建设', 88.06]])
    const twoRuns = page([
      ['通过“四区”', 88.06],
      ['“两中心”', 88.06 + 6 * SIZE],
    ])
    const found = findLoosePunctuation([oneRun, twoRuns])
    expect(found.map((f) => [f.kind, f.page])).toEqual([
      ['loose-punctuation', 4],
      ['loose-punctuation', 4],
    ])
    expect(found[0]!.message).toMatch(/“”“” is set solid: the opening mark stands a full em or more after the closing/)
    expect(found[1]!.message).toMatch(/stands 1\.00 em after/)
  })

  it('reports ）（ and a gap that pdf.js reads as a space', () => {
    const found = findLoosePunctuation([page([['规划（一） （二）部分', 57]])])
    expect(found).toHaveLength(1)
    expect(found[0]!.message).toMatch(/“）（” is set solid/)
  })

  it('leaves alone curly quotes of a Latin font, and a pair split by a line break', () => {
    const latin = page([['said ”“so', 57]])
    const lineBreak = {
      ...page([]),
      items: [
        { text: '通过“四区”', x: 400, y: 221.7, width: 6 * SIZE, size: SIZE },
        { text: '“两中心”', x: 57, y: 208.2, width: 5 * SIZE, size: SIZE },
      ],
    }
    expect(findLoosePunctuation([latin, lineBreak])).toEqual([])
  })
})
