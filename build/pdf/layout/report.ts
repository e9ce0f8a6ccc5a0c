/**
 * Layout findings as positioned diagnostics: the chapter file whose pages hold the finding, and where its text is
 * in that file when it can be found there; and counted, for the build summary (which loads this module, not the
 * check with its PDF reader).
 */
import { positionAt, type Diagnostic, type Position } from '../../diagnostics.ts'
import type { Finding, FindingKind } from './checks.ts'

export interface ChapterPages {
  /** Path relative to the book root. */
  file: string
  /** The chapter's Markdown source. */
  source: string
  /** 0-based page index where the chapter begins. */
  firstPage: number
}

const HOW_TO_FIX: Record<Finding['kind'], string> = {
  'sparse-page': 'let the text before it run on, or move a figure or table so that the page fills',
  widow: 'the paragraph needs one more line on that page: adjust the text or the spacing before it',
  'short-last-line': 'rephrase the paragraph or let `text-wrap: pretty` rebalance it',
  'split-unit': 'keep the number and its unit together (the engine wraps them in a no-break span)',
  'stranded-heading': 'keep the heading with its text (`break-after: avoid`)',
  'lone-cell-character': 'give the column room for its words, or shorten the cell',
  'small-figure-text': 'enlarge the label, or the figure, to at least 8 pt at print size',
  'outside-page': 'bring the text inside the page margins',
  'loose-punctuation':
    "let `text-spacing-trim` collapse it: keep the book font's `halt` feature, and no `font-feature-settings` or " +
    'letter-spacing on the text',
  unsearchable: 'print the text without gaps that extractors read as spaces (letter-spacing, autospace, justification)',
}

/**
 * One diagnostic per finding: `chapters/03-x.md:41:7 … page 23 (folio 19): … layout:split-unit`. Pages before
 * the first chapter are reported against `printFile`. `folios` gives each page's printed number, if any.
 */
export function layoutDiagnostics(
  findings: Finding[],
  chapters: ChapterPages[],
  folios: string[],
  printFile: string,
  severity: Diagnostic['severity'],
): Diagnostic[] {
  const ordered = [...chapters].sort((a, b) => a.firstPage - b.firstPage)
  return findings.map((finding) => {
    const chapter = ordered.filter((c) => c.firstPage <= finding.page).at(-1)
    const folio = folios[finding.page] ? ` (printed ${folios[finding.page]})` : ''
    const place = chapter && finding.text ? placeOf(chapter.source, finding.text) : undefined
    return {
      file: chapter?.file ?? printFile,
      ...(place && { place }),
      severity,
      message: `PDF page ${finding.page + 1}${folio}: ${finding.message}; ${HOW_TO_FIX[finding.kind]}`,
      ruleId: `layout:${finding.kind}`,
    }
  })
}

/** Where a printed piece of text starts in the Markdown source: its longest leading run found there. */
export function placeOf(source: string, printed: string): Position | undefined {
  const wanted = printed.replace(/\s+/g, '')
  for (let length = Math.min(wanted.length, 12); length >= 4; length--) {
    const at = source.indexOf(wanted.slice(0, length))
    if (at >= 0) return positionAt(source, at)
  }
  return undefined
}

/** Findings counted by kind, most frequent first. */
export function countFindings(findings: Finding[]): [FindingKind, number][] {
  const counts = new Map<FindingKind, number>()
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])
}

/** One line for the build summary: `no findings`, or `5 findings (2 split-unit, 3 widow)`. */
export function describeFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'no findings'
  const kinds = countFindings(findings).map(([kind, n]) => `${n} ${kind}`)
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${kinds.join(', ')})`
}
