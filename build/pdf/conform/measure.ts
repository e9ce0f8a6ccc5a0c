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
  const boxes = new Map<number, Box>()
  const paths = new Set<number>()
  const notDecoration = new Set<number>()
  const marks: (number | undefined)[] = []
  const stack: Matrix[] = []
  let ctm: Matrix = IDENTITY
  let textMatrix: Matrix = IDENTITY
  let lineMatrix: Matrix = IDENTITY
  let fontSize = 0
  let points: [number, number][] = []
  const current = () => innermost(marks)
  const add = (point: [number, number], path = false) => {
    const mcid = current()
    if (mcid === undefined) return
    boxes.set(mcid, extend(boxes.get(mcid), point))
    if (path) paths.add(mcid)
    else notDecoration.add(mcid)
  }
  for (const { operator, operands } of parseContent(text)) {
    const n = operands.map(Number)
    switch (operator) {
      case 'BDC': {
        const mcid = /\/MCID\s+(\d+)/.exec(operands[1] ?? '')?.[1]
        for (const open of marks) if (open !== undefined) notDecoration.add(open)
        marks.push(mcid === undefined ? undefined : Number(mcid))
        break
      }
      case 'BMC':
        marks.push(undefined)
        break
      case 'EMC':
        marks.pop()
        break
      case 'q':
        stack.push(ctm)
        break
      case 'Q':
        ctm = stack.pop() ?? IDENTITY
        break
      case 'cm':
        ctm = multiply(n as Matrix, ctm)
        break
      case 'm':
      case 'l':
        points.push(apply(ctm, n[0]!, n[1]!))
        break
      case 'c':
        for (let i = 0; i < 6; i += 2) points.push(apply(ctm, n[i]!, n[i + 1]!))
        break
      case 'v':
      case 'y':
        for (let i = 0; i < 4; i += 2) points.push(apply(ctm, n[i]!, n[i + 1]!))
        break
      case 're': {
        const [x, y, w, h] = n as [number, number, number, number]
        for (const [px, py] of [
          [x, y],
          [x + w, y],
          [x, y + h],
          [x + w, y + h],
        ] as const)
          points.push(apply(ctm, px, py))
        break
      }
      case 'Do':
        for (const [px, py] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const)
          add(apply(ctm, px, py))
        break
      case 'BT':
        textMatrix = lineMatrix = IDENTITY
        break
      case 'Tf':
        fontSize = n[1] ?? 0
        break
      case 'Tm':
        textMatrix = lineMatrix = n as Matrix
        break
      case 'Td':
      case 'TD':
        textMatrix = lineMatrix = multiply([1, 0, 0, 1, n[0]!, n[1]!], lineMatrix)
        break
      case 'Tj':
      case 'TJ':
      case "'":
      case '"': {
        const toPage = multiply(textMatrix, ctm)
        add(apply(toPage, 0, 0))
        add(apply(toPage, fontSize, fontSize))
        break
      }
      default:
        if (PAINT.has(operator)) for (const point of points) add(point, true)
        if (PAINT.has(operator) || operator === 'n') points = []
    }
  }
  return { boxes, decorations: new Set([...paths].filter((mcid) => !notDecoration.has(mcid))) }
}
