/**
 * The words the engine prints around the book's own text, per language. zh-CN keeps the fixed authoring conventions
 * of Chinese reports (图3, 表1, 数据来源：…, 表4（续）); en is the English equivalent. A book picks a set by its
 * `language` and may override any label in `book.yaml` (`labels:`). `{n}` stands for a number.
 */
import { z } from 'zod'

const ZH_CN = {
  /** Before a figure's number: 图{n} → 图3. */
  figure: '图{n}',
  table: '表{n}',
  /** Before a figure's or table's source note. */
  source: '数据来源：',
  /** After a table's label on the pages it continues on. */
  continued: '（续）',
  part: '第{n}部分',
  chapter: '第{n}章',
  appendix: '附录{n}',
  /** The headings of the three indexes. */
  contents: '目录',
  listOfFigures: '图目录',
  listOfTables: '表目录',
  /** The accessible names of the covers. */
  cover: '封面',
  backCover: '封底',
  /** The site's link to a figure's data file: 下载数据（x.csv）. */
  data: '下载数据（{n}）',
  /** The site's index page, in previous/next links and the navigation. */
  home: '封面与目录',
  startReading: '开始阅读',
  /** The site header's PDF link, and the longer one on the cover and in the footer. */
  downloadPdf: '下载 PDF',
  downloadPdfLong: '下载 PDF 版',
  skipToContent: '跳到正文',
  pager: '翻页',
  previous: '上一页',
  next: '下一页',
  /** Above a chapter's notes. */
  notes: '注释',
  /** A note's number links back to where it is referenced: its accessible name, before the number. */
  backToText: '回到正文，注释',
  /** The site's reader tools: a chart's data as a table. `{n}` is the figure's label and short title. */
  showData: '显示数据',
  dataCaption: '{n}的数据',
  /** An empty cell of a chart's data. */
  missing: '数据缺失',
}

export type LabelKey = keyof typeof ZH_CN
export type Labels = Record<LabelKey, string>

const EN: Labels = {
  figure: 'Figure {n}',
  table: 'Table {n}',
  source: 'Source: ',
  continued: ' (continued)',
  part: 'Part {n}',
  chapter: 'Chapter {n}',
  appendix: 'Appendix {n}',
  contents: 'Contents',
  listOfFigures: 'List of Figures',
  listOfTables: 'List of Tables',
  cover: 'Cover',
  backCover: 'Back cover',
  data: 'Download data ({n})',
  home: 'Cover and contents',
  startReading: 'Start reading',
  downloadPdf: 'PDF',
  downloadPdfLong: 'Download the PDF',
  skipToContent: 'Skip to content',
  pager: 'Pages',
  previous: 'Previous',
  next: 'Next',
  notes: 'Notes',
  backToText: 'Back to the text, note',
  showData: 'Show the data',
  dataCaption: 'Data of {n}',
  missing: 'No data',
}

/** The built-in label sets, by language tag. A tag matches its first subtag too: `en-GB` uses `en`. */
export const LABEL_SETS: Record<string, Labels> = { 'zh-CN': ZH_CN, zh: ZH_CN, en: EN }

/** `labels:` in `book.yaml`: any built-in label, replaced. Unknown keys are errors (with a did-you-mean). */
export const labelsSchema = z
  .strictObject(Object.fromEntries(Object.keys(ZH_CN).map((key) => [key, z.string().optional()])) as never)
  .default({}) as unknown as z.ZodDefault<z.ZodObject<{ [K in LabelKey]: z.ZodOptional<z.ZodString> }>>

/** The built-in set for a language tag (zh-CN when none matches), without the book's overrides. */
export function builtInLabels(language: string): { labels: Labels; language: string } {
  const exact = LABEL_SETS[language]
  if (exact) return { labels: exact, language }
  const primary = language.split('-')[0]!.toLowerCase()
  if (LABEL_SETS[primary]) return { labels: LABEL_SETS[primary], language: primary }
  return { labels: ZH_CN, language: 'zh-CN' }
}

/** The labels a book prints: its language's built-in set with its `labels:` overrides. */
export function resolveLabels(language: string, overrides: Partial<Labels> = {}): Labels {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined)
  return { ...builtInLabels(language).labels, ...Object.fromEntries(defined) }
}

/** A label with its `{n}` filled in: `fill('图{n}', 3)` → 图3. A label without `{n}` gets the number appended. */
export function fill(label: string, n: string | number): string {
  return label.includes('{n}') ? label.replaceAll('{n}', String(n)) : `${label}${n}`
}
