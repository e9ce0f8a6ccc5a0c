/**
 * Where each marked-content id paints on its page, in default user space:
 * the bounding box a Figure's /Layout attribute carries (PDF/UA and WCAG ask
 * for it so that a reader can show or reflow the picture).
 */
import { innermost } from '../readback.ts'
import { parseContent } from './content.ts'

/** [a b c d e f], as in the `cm` operator. */
type Matrix = [number, number, number, number, number, number]
export type Box = [number, number, number, number]

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0]

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ]
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]
}

/** Grow `box` (or start it) to hold a point. */
function extend(box: Box | undefined, [x, y]: [number, number]): Box {
  return box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y]
}

/** The union of two boxes. */
export function union(a: Box | undefined, b: Box): Box {
  return a ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])] : b
}

const PAINT = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*'])

/** What each marked-content id paints. */
export interface MarkedContent {
  /** MCID → the box of everything it paints. */
  boxes: Map<number, Box>
  /**
   * MCIDs that paint only paths and hold no other marked content: the borders, rules and backgrounds Chromium
   * tags with their element.
   */
  decorations: Set<number>
}

/**
 * The box of everything each MCID paints: filled and stroked paths, images
 * and form XObjects (their unit square), and text (its origin and an em
 * above it; glyph widths are not read, so a run's far end is approximate).
 */
export function measureMarkedContent(text: string): MarkedContent {
  const meter = new Meter()
  for (const { operator, operands } of parseContent(text)) meter.operate(operator, operands.map(Number), operands)
  return meter.result()
}

const UNIT_SQUARE = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
] as const

/** The graphics and text state the measurement needs, and what it has measured so far. */
class Meter {
  private readonly boxes = new Map<number, Box>()
  private readonly paths = new Set<number>()
  private readonly notDecoration = new Set<number>()
  private readonly marks: (number | undefined)[] = []
  private readonly stack: Matrix[] = []
  private ctm: Matrix = IDENTITY
  private textMatrix: Matrix = IDENTITY
  private lineMatrix: Matrix = IDENTITY
  private fontSize = 0
  private points: [number, number][] = []

  result(): MarkedContent {
    return { boxes: this.boxes, decorations: new Set([...this.paths].filter((mcid) => !this.notDecoration.has(mcid))) }
  }

  operate(operator: string, n: number[], operands: string[]): void {
    if (this.markedContent(operator, operands) || this.graphics(operator, n) || this.text(operator, n)) return
    if (PAINT.has(operator)) for (const point of this.points) this.add(point, true)
    if (PAINT.has(operator) || operator === 'n') this.points = []
  }

  /** Grow the current MCID's box by a point; `path` tells paths (maybe decoration) from text and images. */
  private add(point: [number, number], path = false): void {
    const mcid = innermost(this.marks)
    if (mcid === undefined) return
    this.boxes.set(mcid, extend(this.boxes.get(mcid), point))
    if (path) this.paths.add(mcid)
    else this.notDecoration.add(mcid)
  }

  private markedContent(operator: string, operands: string[]): boolean {
    if (operator === 'BDC') {
      const mcid = /\/MCID\s+(\d+)/.exec(operands[1] ?? '')?.[1]
      // Marked content that holds other marked content is not decoration.
      for (const open of this.marks) if (open !== undefined) this.notDecoration.add(open)
      this.marks.push(mcid === undefined ? undefined : Number(mcid))
    } else if (operator === 'BMC') this.marks.push(undefined)
    else if (operator === 'EMC') this.marks.pop()
    else return false
    return true
  }

  private graphics(operator: string, n: number[]): boolean {
    const { ctm } = this
    switch (operator) {
      case 'q':
        this.stack.push(ctm)
        return true
      case 'Q':
        this.ctm = this.stack.pop() ?? IDENTITY
        return true
      case 'cm':
        this.ctm = multiply(n as Matrix, ctm)
        return true
      case 'm':
      case 'l':
      case 'c':
      case 'v':
      case 'y':
        for (let i = 0; i + 1 < n.length; i += 2) this.points.push(apply(ctm, n[i]!, n[i + 1]!))
        return true
      case 're': {
        const [x, y, w, h] = n as [number, number, number, number]
        for (const [px, py] of UNIT_SQUARE) this.points.push(apply(ctm, x + px * w, y + py * h))
        return true
      }
      case 'Do':
        for (const [px, py] of UNIT_SQUARE) this.add(apply(ctm, px, py))
        return true
    }
    return false
  }

  private text(operator: string, n: number[]): boolean {
    switch (operator) {
      case 'BT':
        this.textMatrix = this.lineMatrix = IDENTITY
        return true
      case 'Tf':
        this.fontSize = n[1] ?? 0
        return true
      case 'Tm':
        this.textMatrix = this.lineMatrix = n as Matrix
        return true
      case 'Td':
      case 'TD':
        this.textMatrix = this.lineMatrix = multiply([1, 0, 0, 1, n[0]!, n[1]!], this.lineMatrix)
        return true
      case 'Tj':
      case 'TJ':
      case "'":
      case '"': {
        const toPage = multiply(this.textMatrix, this.ctm)
        this.add(apply(toPage, 0, 0))
        this.add(apply(toPage, this.fontSize, this.fontSize))
        return true
      }
    }
    return false
  }
}
