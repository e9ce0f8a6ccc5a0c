/**
 * Punctuation compression, read back from the PDF (clreq 3.1.6, CSS Text 4 “fullwidth punctuation collapsing”): a
 * fullwidth closing mark followed by an opening one (”“, ）（, 》《) must not leave the blank halves of both glyphs
 * between them. Chromium's `text-spacing-trim` sets the opening mark half-width with the font's `halt` feature,
 * which puts its origin half an em back; set solid, the two origins are a full em apart.
 */
import type { PdfTextItem } from '../readback.ts'
import type { Finding } from './checks.ts'
import type { PageText } from './lines.ts'

/** Closing brackets and quotation marks whose fullwidth glyphs stand in the left half of their em. */
const CLOSING = '”’）》〉」』】〕〗'
/** Opening brackets and quotation marks whose fullwidth glyphs stand in the right half of their em. */
const OPENING = '“‘（《〈「『【〔〖'
/** A closing mark, then an opening one, with nothing or only an extractor's space between them. */
const PAIR = new RegExp(`[${CLOSING}]\\s*[${OPENING}]`, 'u')
const HAN = /\p{Script=Han}/u

/** From a closing mark's origin to the next opening mark's: collapsed, half an em; set solid, a whole one. */
export const MAX_PAIR_DISTANCE = 0.75

/**
 * Closing and opening marks set solid, a hole of an em between their glyphs. Pairs are read only in runs that also
 * hold Han characters, so that the marks are the CJK font's fullwidth glyphs (a Latin font's curly quotes are
 * proportional and leave no hole). Within one run, the marks stand at their full advances: pdf.js starts a new run
 * where the next glyph moves back by more than a fifth of an em, as a collapsed opening mark does. Across runs, the
 * distance between the two origins is measured.
 */
export function findLoosePunctuation(pages: PageText[]): Finding[] {
  const findings: Finding[] = []
  for (const page of pages) {
    const items = page.items.filter((item) => item.text.trim() !== '')
    items.forEach((item, i) => {
      if (!HAN.test(item.text)) return
      const solid = PAIR.exec(item.text)
      if (solid) findings.push(loosePair(page.index, item, solid[0]))
      const next = items[i + 1]
      if (!next || !endsWithClosing(item) || !OPENING.includes(next.text.trimStart()[0] ?? '')) return
      if (Math.abs(next.y - item.y) > item.size / 2) return
      // The closing mark's origin: a fullwidth glyph's advance, one em, back from the run's end.
      const distance = (next.x - (item.x + item.width - item.size)) / item.size
      if (distance >= MAX_PAIR_DISTANCE) {
        const pair = `${item.text.trimEnd().at(-1)}${next.text.trimStart()[0]}`
        findings.push(loosePair(page.index, { ...item, text: item.text + next.text }, pair, distance))
      }
    })
  }
  return findings
}

function endsWithClosing(item: PdfTextItem): boolean {
  return CLOSING.includes(item.text.trimEnd().at(-1) ?? '')
}

/** A finding for `pair` in `item`; `distance` in ems when measured across runs, else the pair is in one run. */
function loosePair(page: number, item: PdfTextItem, pair: string, distance?: number): Finding {
  const stands = distance === undefined ? 'a full em or more' : `${distance.toFixed(2)} em`
  return {
    kind: 'loose-punctuation',
    page,
    message:
      `“${pair.replace(/\s+/g, '')}” is set solid: the opening mark stands ${stands} after the closing one ` +
      `(collapsed: half an em), in “${item.text.trim()}”`,
    text: item.text,
  }
}
