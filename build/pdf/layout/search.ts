/**
 * Does the text layer give back what the source says? Every phrase of the source (the text between punctuation
 * and spaces) must be found, as written, in the text read back from the PDF, where a paragraph's lines are joined
 * without a break. An extractor that reads a gap as a space (“2019 年”, “和 趋 势”) fails it.
 */
import { linesByBlock, type LineBox } from './lines.ts'
import type { Finding } from './checks.ts'

const PHRASE_BREAK = /[\s，。、；：？！“”‘’（）《》〈〉「」『』【】—…·,.;:!?()[\]"'/|•]+/u
const WORTH_SEARCHING = /[\p{Script=Han}0-9]/u

/** The phrases of the source's text blocks that a reader may search for: two characters or more, with a Han or digit. */
export function searchProbes(blocks: string[]): string[] {
  const probes = new Set<string>()
  for (const block of blocks)
    for (const phrase of block.split(PHRASE_BREAK))
      if ([...phrase].length >= 2 && WORTH_SEARCHING.test(phrase)) probes.add(phrase)
  return [...probes]
}

interface ReadableText {
  text: string
  /** The page of every character of `text`. */
  pages: number[]
}

/** The text layer block by block: a block's lines joined without a break, blocks apart. */
export function readableText(lines: LineBox[]): ReadableText {
  let text = ''
  const pages: number[] = []
  for (const blockLines of linesByBlock(lines).values()) {
    for (const line of blockLines) {
      const piece = line.text.trim()
      text += piece
      for (let i = 0; i < piece.length; i++) pages.push(line.page)
    }
    text += '\n'
    pages.push(-1)
  }
  return { text, pages }
}

/**
 * Phrases not found as written. Each is reported on the page where it is found once spaces are ignored, with
 * what the text layer gives instead; a phrase not found even so is not printed at all, which is the content
 * tests' business, not this check's.
 */
export function findUnsearchable(probes: string[], readable: ReadableText): Finding[] {
  const squashed: number[] = []
  let compact = ''
  for (let i = 0; i < readable.text.length; i++) {
    if (/\s/.test(readable.text[i]!)) continue
    compact += readable.text[i]
    squashed.push(i)
  }
  const findings: Finding[] = []
  for (const probe of probes) {
    if (readable.text.includes(probe)) continue
    const at = compact.indexOf(probe)
    if (at < 0) continue
    const from = squashed[at]!
    const to = squashed[at + probe.length - 1]! + 1
    const reads = readable.text.slice(from, to).replace(/\n/g, '⏎')
    findings.push({
      kind: 'unsearchable',
      page: readable.pages[from]!,
      message: `searching for “${probe}” finds nothing: the text layer reads “${reads}”`,
      text: probe,
      reads,
    })
  }
  return findings
}
