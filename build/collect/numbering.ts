/**
 * Numbering styles per level (parts, chapters, appendices, sections, figures and tables), with defaults per
 * language. A book may set any level in `book.yaml` (`numbering:`); the words around the numbers (第{n}部分,
 * Chapter {n}, 图{n}) are labels (build/labels.ts).
 */
import { z } from 'zod'
import { builtInLabels, fill, type Labels } from '../labels.ts'
import { chineseNumeral } from './nodes.ts'

/** How an ordinal is written: 1, 一, I, i, A, a. */
export const NUMERAL_STYLES = {
  decimal: (n: number) => String(n),
  chinese: chineseNumeral,
  'upper-roman': (n: number) => roman(n),
  'lower-roman': (n: number) => roman(n).toLowerCase(),
  'upper-alpha': (n: number) => alpha(n),
  'lower-alpha': (n: number) => alpha(n).toLowerCase(),
} as const

export type NumeralStyle = keyof typeof NUMERAL_STYLES

/**
 * Sections (`##`): `chinese-parenthesized` （一）, `decimal` 1, `chapter-decimal` 1.1 (the chapter's number, a
 * dot, the section's), `none`.
 */
export const SECTION_STYLES = ['chinese-parenthesized', 'decimal', 'chapter-decimal', 'none'] as const

/** Figures and tables: `book` 图1 (across the book), `chapter-hyphen` 图1-1, `chapter-dot` Figure 1.1 (per chapter). */
export const FLOAT_STYLES = ['book', 'chapter-hyphen', 'chapter-dot'] as const

const numeralNames = Object.keys(NUMERAL_STYLES) as [NumeralStyle, ...NumeralStyle[]]

export const numberingSchema = z
  .strictObject({
    parts: z.enum(numeralNames).optional(),
    chapters: z.enum(numeralNames).optional(),
    appendices: z.enum(numeralNames).optional(),
    sections: z.enum(SECTION_STYLES).optional(),
    floats: z.enum(FLOAT_STYLES).optional(),
  })
  .default({})

export interface Numbering {
  parts: NumeralStyle
  chapters: NumeralStyle
  appendices: NumeralStyle
  sections: (typeof SECTION_STYLES)[number]
  floats: (typeof FLOAT_STYLES)[number]
}

const DEFAULTS: Record<string, Numbering> = {
  'zh-CN': {
    parts: 'chinese',
    chapters: 'decimal',
    appendices: 'upper-alpha',
    sections: 'chinese-parenthesized',
    floats: 'book',
  },
  en: {
    parts: 'upper-roman',
    chapters: 'decimal',
    appendices: 'upper-alpha',
    sections: 'chapter-decimal',
    floats: 'chapter-dot',
  },
}

/** The numbering a book uses: its language's defaults with its `numbering:` settings. */
export function resolveNumbering(language: string, settings: Partial<Numbering> = {}): Numbering {
  const base = DEFAULTS[builtInLabels(language).language] ?? DEFAULTS['zh-CN']!
  const defined = Object.entries(settings).filter(([, value]) => value !== undefined)
  return { ...base, ...Object.fromEntries(defined) }
}

/** The style and the id stem of each kind of numbered chapter. */
const SERIES = {
  part: { style: 'parts', stem: 'part' },
  chapter: { style: 'chapters', stem: 'chapter' },
  appendix: { style: 'appendices', stem: 'appendix' },
} as const

/**
 * The number of the next chapter of a kind: its ordinal among its kind, its id (`part-2`), its numeral (the front
 * matter's, or the numbering style's) and its label (第二部分, Chapter 2, 附录B).
 */
export function numberChapter(
  kind: keyof typeof SERIES,
  numeral: string | undefined,
  book: { body: { kind: string }[]; numbering: Numbering; labels: Labels },
): { ordinal: number; id: string; numeral: string; label: string } {
  const { style, stem } = SERIES[kind]
  const ordinal = book.body.filter((c) => c.kind === kind).length + 1
  const printed = numeral ?? NUMERAL_STYLES[book.numbering[style]](ordinal)
  return { ordinal, id: `${stem}-${ordinal}`, numeral: printed, label: fill(book.labels[kind], printed) }
}

/** A section's number as printed before its title, or '' when sections are unnumbered here. */
export function sectionNumber(numbering: Numbering, index: number, chapterNumeral: string | undefined): string {
  switch (numbering.sections) {
    case 'chinese-parenthesized':
      return `（${chineseNumeral(index)}）`
    case 'decimal':
      return String(index)
    case 'chapter-decimal':
      return chapterNumeral ? `${chapterNumeral}.${index}` : ''
    case 'none':
      return ''
  }
}

/**
 * A figure's or table's number: across the book, or per chapter (`1-2`, `1.2`). A float in an unnumbered
 * chapter is counted within that chapter.
 */
export function floatNumber(numbering: Numbering, inBook: number, inChapter: number, chapterNumeral?: string): string {
  if (numbering.floats === 'book') return String(inBook)
  if (!chapterNumeral) return String(inChapter)
  return `${chapterNumeral}${numbering.floats === 'chapter-hyphen' ? '-' : '.'}${inChapter}`
}

function roman(n: number): string {
  const digits: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ]
  let rest = n
  let text = ''
  for (const [value, letters] of digits) {
    for (; rest >= value; rest -= value) text += letters
  }
  return text
}

/** 1 → A, 26 → Z, 27 → AA. */
function alpha(n: number): string {
  let text = ''
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    text = String.fromCharCode(65 + ((rest - 1) % 26)) + text
  }
  return text
}
