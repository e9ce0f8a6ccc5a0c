/**
 * Chromium places every glyph of a line on its own: `<g1> Tj dx 0 Td <g2> Tj
 * dx 0 Td …`, about 25 bytes a glyph, the largest part of the page content.
 * Written as one `[<g1> adj <g2> …] TJ`, with the adjustment that puts each
 * glyph where Chromium put it (ISO 32000-1 §9.4.3), the page looks the same
 * and the file is about a fifth smaller.
 */
import { parseContent, type Operation } from './content.ts'

/** A font's glyph widths by 2-byte code (CID), in thousandths of an em, or undefined for fonts that are not 2-byte. */
export type FontWidths = (resourceName: string) => ((code: number) => number) | undefined

/** Adjustments smaller than this (thousandths of an em) are dropped: at 14 pt, under a ten-thousandth of a point. */
const NEGLIGIBLE = 0.005
/** What may follow a merged run: operators that do not depend on where the last glyph left the text position. */
const RUN_FOLLOWERS = new Set(['ET', 'Tm', 'Td', 'TD', 'T*'])

interface Run {
  first: Operation
  last: Operation
  pieces: string[]
  /** How far the line start moved over the run, for a following relative move. */
  moved: number
  next: string
}

/** Merge one-glyph-at-a-time text runs into TJ arrays. Streams with character spacing or scaling are left alone. */
export function compactText(text: string, widthsOf: FontWidths): string {
  const operations = parseContent(text)
  if (
    operations.some(
      (op) =>
        (op.operator === 'Tc' || op.operator === 'Tz' || op.operator === 'Tw') &&
        Number(op.operands[0]) !== (op.operator === 'Tz' ? 100 : 0),
    )
  )
    return text
  const runs: Run[] = []
  let widths: ((code: number) => number) | undefined
  let size = 0
  for (let index = 0; index < operations.length; index++) {
    const op = operations[index]!
    if (op.operator === 'Tf') {
      widths = widthsOf(op.operands[0]!.slice(1))
      size = Number(op.operands[1])
      continue
    }
    if (op.operator !== 'Tj' || !widths || !size || !isHex(op.operands[0])) continue
    const pieces = [op.operands[0]!]
    let moved = 0
    let last = op
    let at = index
    for (;;) {
      const move = operations[at + 1]
      const show = operations[at + 2]
      if (
        move?.operator !== 'Td' ||
        Number(move.operands[1]) !== 0 ||
        show?.operator !== 'Tj' ||
        !isHex(show.operands[0])
      )
        break
      const dx = Number(move.operands[0])
      const adjustment =
        Math.round(((advance(last.operands[0]!, widths) * size) / 1000 - dx) * (1000 / size) * 100) / 100
      if (Math.abs(adjustment) >= NEGLIGIBLE) pieces.push(String(adjustment))
      pieces.push(show.operands[0]!)
      moved += dx
      last = show
      at += 2
    }
    // Marked-content operators do not touch the text state: look past them.
    let after = at + 1
    while (['BMC', 'BDC', 'EMC'].includes(operations[after]?.operator ?? '')) after++
    const next = operations[after]?.operator ?? ''
    if (last !== op && RUN_FOLLOWERS.has(next)) runs.push({ first: op, last, pieces, moved, next })
    index = at
  }
  if (runs.length === 0) return text
  let out = ''
  let from = 0
  for (const run of runs) {
    const relative = run.next === 'Td' || run.next === 'TD' || run.next === 'T*'
    out +=
      text.slice(from, run.first.start) +
      `[${run.pieces.join(' ')}] TJ` +
      (relative ? `\n${round(run.moved)} 0 Td` : '')
    from = run.last.end
  }
  return out + text.slice(from)
}

function isHex(operand: string | undefined): boolean {
  return operand !== undefined && /^<[0-9A-Fa-f\s]*>$/.test(operand)
}

/** The advance of a hex string of 2-byte codes, in thousandths of an em. */
function advance(hex: string, widths: (code: number) => number): number {
  const digits = hex.slice(1, -1).replace(/\s+/g, '')
  let total = 0
  for (let i = 0; i + 4 <= digits.length; i += 4) total += widths(parseInt(digits.slice(i, i + 4), 16))
  return total
}

function round(value: number): string {
  return String(Math.round(value * 10000) / 10000)
}
