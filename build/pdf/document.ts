/** The print document and what the PDF says about it: the index entries to verify, and the document metadata. */
import type { Element, Root as HastRoot } from 'hast'
import { visit } from 'unist-util-visit'
import { buildDate, type BookConfig } from '../config/config.ts'
import type { Templates } from '../config/templates.ts'
import type { BookModel } from '../collect/model.ts'
import { chapterHtml, type FigureOutput } from '../render/rendition.ts'
import { bookView } from '../render/view.ts'
import { hyphenator } from '../render/hyphenate.ts'
import type { PdfMetadata } from './finish.ts'
import type { IndexEntry } from './print.ts'
import { continuationColor, drawContinuationMarks, MarkPictures, type MarkFont } from './continued.ts'
import { copyfitCss, type CopyfitPlan } from './copyfit.ts'
import { sizeColumns } from '../render/table.ts'

export interface PrintDocumentInput {
  config: BookConfig
  model: BookModel
  trees: Map<string, HastRoot>
  figures: Map<string, FigureOutput>
  templates: Templates
  /** The print stylesheet. */
  css: string
  /** `@font-face` rules for the book font, with URLs relative to the print document. */
  fontFaces: string
  /** The bold font, whose outlines draw the continuation marks of tables (see `drawContinuationMarks`), in order of preference. */
  boldFont: MarkFont[]
  /** Marks drawn by earlier builds. */
  marks?: MarkPictures
}

/** The print document as a function of its page numbers (id → label): the chapter bodies are rendered once. */
export function printDocument(input: PrintDocumentInput): (numbers: Map<string, string>, fit?: CopyfitPlan) => string {
  const { config, model, trees, figures, templates } = input
  const hyphenate = hyphenator(config.language)
  const bodies = new Map(
    model.chapters.map((chapter) => [
      chapter.id,
      chapterHtml(printTree(trees.get(chapter.id)!, input), chapter, model, 'print', figures, hyphenate),
    ]),
  )
  return (numbers, fit = new Map()) => {
    const view = bookView(config, model, 'print', numbers)
    return templates.render('print.html', {
      ...view,
      css: `${input.fontFaces}\n${input.css}\n${copyfitCss(fit, model)}`,
      front: view.front.map((f) => ({ ...f, body: bodies.get(f.id) })),
      parts: view.parts.map((p) => ({ ...p, body: bodies.get(p.id) })),
    })
  }
}

/** `printDocument`, its continuation marks drawn by earlier builds taken from `cacheDir` (see `MarkPictures`). */
export async function printDocumentCached(
  cacheDir: string,
  input: PrintDocumentInput,
): Promise<ReturnType<typeof printDocument>> {
  const marks = await MarkPictures.load(cacheDir)
  const html = printDocument({ ...input, marks })
  await marks.save()
  return html
}

/** A copy of a chapter's tree for print (the site shares the original): continuation marks, column widths. */
function printTree(tree: HastRoot, input: PrintDocumentInput): HastRoot {
  const copy = structuredClone(tree)
  drawContinuationMarks(copy, input.boldFont, continuationColor(input.css), input.marks)
  visit(copy, 'element', (node: Element) => {
    if (node.tagName === 'table') sizeColumns(node)
  })
  return copy
}

/**
 * Every entry of the three indexes (contents, figures, tables), as printed and as its target shows it. Front chapters
 * are entries when the print document links them (the default theme lists them in the contents; a book's own template
 * may follow an original that does not).
 */
export function indexEntries(model: BookModel, printHtml?: string): IndexEntry[] {
  const listed = (id: string) => printHtml === undefined || printHtml.includes(`href="#${id}"`)
  return [
    ...model.chapters
      .filter((c) => c.kind === 'front' && listed(c.id))
      .map((c) => ({ id: c.id, title: c.title, listed: c.title })),
    ...model.body.flatMap((part) => [
      {
        id: part.id,
        title: part.title,
        listed: `${part.kind === 'appendix' ? part.label : part.numeral}${part.title}`,
      },
      ...part.sections.map((s) => ({ id: s.id, title: s.heading, listed: `${s.number}${s.title}` })),
    ]),
    ...[...model.figures, ...model.tables].map((f) => ({
      id: f.id,
      title: `${f.label}${f.caption}`,
      listed: `${f.label}${f.short}`,
    })),
  ]
}

/** The PDF's document metadata, dated by the config (or SOURCE_DATE_EPOCH) so that a rebuild gives the same bytes. */
export function pdfMetadata(config: BookConfig, env: NodeJS.ProcessEnv | undefined): PdfMetadata {
  return {
    title: `${config.title} — ${config.subtitle}`.replace(/ — $/, ''),
    author: config.author,
    subject: config.subtitle || config.title,
    keywords: config.keywords.join(', '),
    creator: config.publisherEnglish || config.publisher,
    date: buildDate(config, env),
  }
}
