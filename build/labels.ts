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
  /**
   * A chart's one-sentence data summary (its SVG's description): between a label and its value, between items, at
   * its end, and around a flag such as 预测.
   */
  summaryColon: '：',
  summarySeparator: '；',
  summaryEnd: '。',
  summaryFlag: '（{n}）',
  /** Between a title and its subtitle in the site's citation. */
  subtitleSeparator: '：',
  /** The site's search page and header link; `searchNoScript` and `searchFromFile` are HTML. */
  search: '搜索',
  searchAll: '搜索全文',
  searchKeywords: '关键词',
  searchNoScript: '搜索需要浏览器启用 JavaScript。不用搜索时，可从<a href="index.html">目录</a>进入各部分。',
  searchFromFile:
    '从本地文件（file://）打开时无法搜索：请用网页服务器打开本站，例如在站点文件夹中运行 <code>npx http-server</code>，' +
    '再访问它给出的地址。不用搜索时，可从<a href="index.html">目录</a>进入各部分。',
  searching: '正在搜索…',
  /** Search results: `{n}` is their count, `{q}` the words searched for. */
  searchFound: '找到 {n} 处与“{q}”有关的内容。',
  searchNone: '没有找到与“{q}”有关的内容。',
  searchUnavailable: '搜索索引无法加载。',
  /** A chapter page's outline of its sections. */
  onThisPage: '本页内容',
  /** The header's link back to the top of the page (narrow screens). */
  toTop: '顶部',
  /** The citation block on the index page, its copy buttons and what they say. */
  cite: '引用本报告',
  copy: '复制',
  linkCopied: '已复制本节链接',
  citationCopied: '已复制引用',
  copyFailed: '无法自动复制，请手动选择复制',
  /** A figure's full-screen view: the button that opens it and the one that closes it. */
  zoom: '放大查看',
  close: '关闭',
  /** The 404 page. */
  notFound: '页面不存在',
  notFoundText: '要找的页面不在这里，可能链接有误，或页面已移动。',
  backHome: '回到封面与目录',
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
  summaryColon: ': ',
  summarySeparator: '; ',
  summaryEnd: '.',
  summaryFlag: ' ({n})',
  subtitleSeparator: ': ',
  search: 'Search',
  searchAll: 'Search the book',
  searchKeywords: 'Words to find',
  searchNoScript:
    'Search needs JavaScript in the browser. Without it, the <a href="index.html">contents</a> lead to every chapter.',
  searchFromFile:
    'Search does not work from a local file (file://): serve the site with a web server, for example by running ' +
    '<code>npx http-server</code> in the site folder, and open the address it gives. Without search, the ' +
    '<a href="index.html">contents</a> lead to every chapter.',
  searching: 'Searching…',
  searchFound: '{n} results for “{q}”.',
  searchNone: 'Nothing found for “{q}”.',
  searchUnavailable: 'The search index could not be loaded.',
  onThisPage: 'On this page',
  toTop: 'Top',
  cite: 'Cite this book',
  copy: 'Copy',
  linkCopied: 'Link copied',
  citationCopied: 'Citation copied',
  copyFailed: 'Could not copy: select the text and copy it by hand',
  zoom: 'Enlarge',
  close: 'Close',
  notFound: 'Page not found',
  notFoundText: 'The page you are looking for is not here: the link may be wrong, or the page has moved.',
  backHome: 'Back to the cover and contents',
}

/** The labels a chart's data summary is written with. */
export type SummaryWords = Pick<Labels, 'missing' | 'summaryColon' | 'summarySeparator' | 'summaryEnd' | 'summaryFlag'>

/** The summary words of a label set. */
export function summaryWords(labels: Labels): SummaryWords {
  const { missing, summaryColon, summarySeparator, summaryEnd, summaryFlag } = labels
  return { missing, summaryColon, summarySeparator, summaryEnd, summaryFlag }
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
