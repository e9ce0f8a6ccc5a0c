/** Figure layout, read from vega's scene graph: in every real figure, no text is clipped or overlaps other text. */
import fs from 'node:fs/promises'
import path from 'node:path'
import type * as vega from 'vega'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatDiagnostic } from '../../build/index.ts'
import { book, realBookFigures, realFigures, renderer } from '../helpers/figures.ts'
import { loadValidator } from '../helpers/book.ts'

const FIGURES = await realBookFigures()
beforeAll(loadValidator)

interface SceneItem {
  x?: number
  y?: number
  text?: unknown
  bounds: { x1: number; y1: number; x2: number; y2: number }
  items?: SceneMark[]
}
interface SceneMark {
  marktype: string
  role?: string
  items: SceneItem[]
}

/** Text and rect items of a view in absolute coordinates. */
function collect(view: vega.View) {
  const texts: { text: string; x1: number; y1: number; x2: number; y2: number; cx: number; cy: number }[] = []
  const rects: { x1: number; y1: number; x2: number; y2: number }[] = []
  const visit = (mark: SceneMark, dx: number, dy: number): void => {
    for (const item of mark.items) {
      const b = item.bounds
      if (mark.marktype === 'group') {
        for (const child of item.items ?? []) visit(child, dx + (item.x ?? 0), dy + (item.y ?? 0))
      } else if (mark.marktype === 'text' && item.text !== undefined && String(item.text) !== '') {
        texts.push({
          text: String(item.text),
          x1: b.x1 + dx,
          y1: b.y1 + dy,
          x2: b.x2 + dx,
          y2: b.y2 + dy,
          cx: (b.x1 + b.x2) / 2 + dx,
          cy: (b.y1 + b.y2) / 2 + dy,
        })
      } else if (mark.marktype === 'rect' && mark.role === 'mark') {
        rects.push({ x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy })
      }
    }
  }
  visit((view.scenegraph() as unknown as { root: SceneMark }).root, 0, 0)
  return { texts, rects }
}

describe('layout', () => {
  it.each(FIGURES)(
    '$id: no text is clipped by its box or overlaps other text',
    async (figure) => {
      const { root: bookRoot } = await book()
      const { renderer: r, diagnostics } = renderer(bookRoot, realFigures)
      const view = await r.view(figure)
      expect(diagnostics.list.map(formatDiagnostic)).toEqual([])
      try {
        const { texts, rects } = collect(view!)
        expect(texts.length).toBeGreaterThan(3)
        const width = view!.width()
        const height = view!.height()
        const diagram = /"url": "data\/[^"]+\.json"/.test(
          await fs.readFile(path.join(realFigures, figure.spec), 'utf8'),
        )
        for (const text of texts) {
          if (!diagram) continue
          expect(text.x1, `${text.text} starts inside the figure`).toBeGreaterThanOrEqual(0)
          expect(text.x2, `${text.text} ends inside the figure`).toBeLessThanOrEqual(width)
          expect(text.y2, `${text.text} fits the figure's height`).toBeLessThanOrEqual(height)
          const boxes = rects
            .filter((box) => box.x1 <= text.cx && text.cx <= box.x2 && box.y1 <= text.cy && text.cy <= box.y2)
            .sort((a, b) => (a.x2 - a.x1) * (a.y2 - a.y1) - (b.x2 - b.x1) * (b.y2 - b.y1))
          const box = boxes[0]
          if (!box) continue // free-standing note
          expect(text.x1, `"${text.text}" left padding`).toBeGreaterThanOrEqual(box.x1 + 4)
          expect(text.x2, `"${text.text}" right padding`).toBeLessThanOrEqual(box.x2 - 4)
          expect(text.y1, `"${text.text}" top`).toBeGreaterThanOrEqual(box.y1)
          expect(text.y2, `"${text.text}" bottom`).toBeLessThanOrEqual(box.y2)
        }
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            const a = texts[i]!
            const b = texts[j]!
            const overlap =
              Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5
            expect(overlap, `"${a.text}" overlaps "${b.text}"`).toBe(false)
          }
        }
      } finally {
        view?.finalize()
      }
    },
    60_000,
  )
})
