/**
 * The book model: one pass over every chapter in book order collects parts,
 * sections, figures, tables and ids, and numbers them. Everything that shows
 * a number (captions, cross-references, the three indexes, the PDF's page
 * number slots) reads it from here, so the numbering cannot disagree.
 */
import type { Root } from 'mdast'
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive'
import { visit } from 'unist-util-visit'
import { didYouMean, type Diagnostics, type Position } from '../diagnostics.ts'
import type { ChapterInput } from '../parse/chapters.ts'
import { fill, resolveLabels, type Labels } from '../labels.ts'
import { plainText, directiveLabel, start } from './nodes.ts'
import { checkRawHtml } from './raw-html.ts'
import { floatNumber, numberChapter, resolveNumbering, type Numbering } from './numbering.ts'
import { restoreLiteralColons } from './literal.ts'
import { collectHeading, headingState } from './headings.ts'

declare module 'mdast-util-directive' {
  /** The float a `::figure` directive stands for, set by `collectBook` and read by the render stage. */
  interface LeafDirectiveData {
    float?: FloatEntry
  }
  /** The float a `:::table` directive stands for. */
  interface ContainerDirectiveData {
    float?: FloatEntry
  }
}

export type ChapterKind = 'part' | 'chapter' | 'appendix' | 'front'

export interface Chapter {
  /** Book-root-relative path, for messages. */
  file: string
  kind: ChapterKind
  /** Anchor of the chapter's start and stem of its site page: `part-1`, `chapter-2`, `appendix-1`, `abstract`. */
  id: string
  title: string
  /** As numbered (一, 1, A); absent for front matter. */
  numeral?: string
  /** The numeral with its label (第一部分, Chapter 1, 附录A); absent for front matter. */
  label?: string
  subtitle?: string
  /** 1-based within its kind (parts, chapters, appendices). */
  partNumber?: number
  tree: Root
  sections: Section[]
  /** What a link's `#fragment` may name in this chapter (heading slugs, figure and table ids) → the element id. */
  anchors: Map<string, string>
}

export interface Section {
  id: string
  /** As printed before the title: （一）. */
  number: string
  /** As listed in 目录: the heading's `{short="…"}`, or the heading. */
  title: string
  /** The heading as printed in the text. */
  heading: string
  chapter: Chapter
}

export interface FloatEntry {
  kind: 'figure' | 'table'
  id: string
  /** 1-based across the book. */
  number: number
  /** 1-based within its chapter. */
  numberInChapter: number
  /** 图3, 表1, Figure 1.2. */
  label: string
  caption: string
  /** The caption for the lists of figures and tables. */
  short: string
  source?: string
  /** A note printed under the figure or table, above its source: what the reader must know to read it. */
  note?: string
  /** For charts: the spec path relative to figures/. */
  spec?: string
  /** For image figures: the image path relative to the chapter file. */
  src?: string
  chapter: Chapter
  place?: Position
}

export interface BookModel {
  chapters: Chapter[]
  /** The numbered chapters (parts, chapters, appendices) in book order: the body, whose first page is page 1. */
  body: Chapter[]
  parts: Chapter[]
  labels: Labels
  numbering: Numbering
  figures: FloatEntry[]
  tables: FloatEntry[]
  /** Every id that a reference may point at. */
  targets: Map<string, Target>
}

/** Something a link or reference may point at. */
export interface Target {
  kind: 'figure' | 'table' | 'section' | 'heading' | 'chapter'
  entry?: FloatEntry
  chapter: Chapter
}

/** Directive names the engine understands, with where each may appear. */
const DIRECTIVES = { figure: 'leafDirective', table: 'containerDirective', callout: 'leafDirective' } as const

const PREFIX = { figure: 'fig-', table: 'tbl-' } as const

type Claim = (id: string, file: string, place: Position | undefined) => boolean

/**
 * Collect the whole book's structure before anything is rendered.
 * Records positioned errors for bad directives and duplicate ids.
 */
export function collectBook(
  inputs: ChapterInput[],
  diagnostics: Diagnostics,
  style: { labels?: Labels; numbering?: Numbering } = {},
): BookModel {
  const model: BookModel = {
    chapters: [],
    body: [],
    parts: [],
    labels: style.labels ?? resolveLabels('zh-CN'),
    numbering: style.numbering ?? resolveNumbering('zh-CN'),
    figures: [],
    tables: [],
    targets: new Map(),
  }
  const idPlaces = new Map<string, { file: string; place?: Position }>()
  const claim: Claim = (id, file, place) => {
    const previous = idPlaces.get(id)
    if (previous) {
      const where = previous.place ? `${previous.file}:${previous.place.line}:${previous.place.column}` : previous.file
      diagnostics.error(
        file,
        `Duplicate id \`${id}\`; it is already used at ${where}. Give each figure, table and section its own id`,
        'crossref:duplicate-id',
        place,
      )
      return false
    }
    idPlaces.set(id, { file, place })
    return true
  }
  for (const input of inputs) collectChapter(input, model, diagnostics, claim)
  for (const floats of [model.figures, model.tables]) {
    for (const [index, entry] of floats.entries()) {
      entry.number = index + 1
      const number = floatNumber(model.numbering, entry.number, entry.numberInChapter, entry.chapter.numeral)
      entry.label = fill(model.labels[entry.kind], number)
    }
  }
  return model
}

function collectChapter(input: ChapterInput, model: BookModel, diagnostics: Diagnostics, claim: Claim): void {
  const { frontMatter } = input
  const kind = frontMatter.kind === 'abstract' ? 'front' : frontMatter.kind
  const numbered = kind === 'front' ? undefined : numberChapter(kind, frontMatter.numeral, model)
  const chapter: Chapter = {
    file: input.file,
    kind,
    id: numbered?.id ?? slugFromFile(input.file),
    title: frontMatter.title,
    numeral: numbered?.numeral,
    label: numbered?.label,
    subtitle: frontMatter.subtitle,
    partNumber: numbered?.ordinal,
    tree: input.tree,
    sections: [],
    anchors: new Map(),
  }
  if (numbered) model.body.push(chapter)
  if (kind === 'part') model.parts.push(chapter)
  model.chapters.push(chapter)
  claim(chapter.id, input.file, undefined)
  model.targets.set(chapter.id, { kind: 'chapter', chapter })

  if (
    input.tree.children.every(
      (node) => node.type === 'yaml' || (node.type === 'html' && /^<!--[\s\S]*-->$/.test(node.value.trim())),
    )
  ) {
    diagnostics.error(
      input.file,
      'Empty chapter: it has front matter but no text. Write its content, or remove it from `chapters:` in the book ' +
        'config',
      'chapter:empty',
      { line: 1, column: 1 },
    )
  }

  const headingContext = { model, diagnostics, claim, state: headingState(chapter) }
  restoreLiteralColons(input.tree, input.source, new Set(Object.keys(DIRECTIVES)))
  visit(input.tree, (node) => {
    if (node.type === 'html') checkRawHtml(node, input.file, diagnostics)
    else if (node.type === 'heading') collectHeading(node, chapter, headingContext)
    else if (node.type === 'leafDirective' || node.type === 'containerDirective' || node.type === 'textDirective') {
      collectDirective(node, chapter, input.source, model, diagnostics, claim)
    }
  })
}

function collectDirective(
  directive: LeafDirective | ContainerDirective | TextDirective,
  chapter: Chapter,
  source: string,
  model: BookModel,
  diagnostics: Diagnostics,
  claim: Claim,
): void {
  const place = start(directive)
  const expected = DIRECTIVES[directive.name as keyof typeof DIRECTIVES]
  if (!expected) {
    const known = Object.keys(DIRECTIVES)
    const guess = didYouMean(directive.name, known)
    const hint = directive.type === 'textDirective' ? ' If you meant a literal colon, write `\\:`.' : ''
    diagnostics.error(
      chapter.file,
      `Unknown directive \`${directive.name}\`${guess ? `; did you mean \`${guess}\`?` : '.'} Known directives are ` +
        `${known.map((k) => `\`${k}\``).join(', ')}.${hint}`,
      'directive:unknown',
      place,
    )
    return
  }
  if (directive.type !== expected) {
    const form =
      expected === 'leafDirective'
        ? `\`::${directive.name}[…]{…}\` on a line of its own`
        : `a \`:::${directive.name}[…]{…}\` … \`:::\` block`
    diagnostics.error(chapter.file, `\`${directive.name}\` must be written as ${form}`, 'directive:form', place)
    return
  }
  if (directive.name === 'callout') return
  collectFloat(directive.name as 'figure' | 'table', directive, chapter, source, model, diagnostics, claim)
}

function collectFloat(
  kind: 'figure' | 'table',
  directive: LeafDirective | ContainerDirective,
  chapter: Chapter,
  source: string,
  model: BookModel,
  diagnostics: Diagnostics,
  claim: Claim,
): void {
  const attributes = directive.attributes ?? {}
  const labelChildren = directiveLabel(directive)
  const float = {
    file: chapter.file,
    place: start(directive),
    id: attributes.id ?? '',
    caption: labelChildren ? plainText(labelChildren).trim() : '',
  }
  const errorsBefore = diagnostics.errorCount
  checkFloat(kind, directive, float, source, diagnostics)
  if (diagnostics.errorCount > errorsBefore || !claim(float.id, float.file, float.place)) return
  const entry: FloatEntry = {
    kind,
    id: float.id,
    number: 0,
    numberInChapter: (kind === 'figure' ? model.figures : model.tables).filter((f) => f.chapter === chapter).length + 1,
    label: '',
    caption: float.caption,
    short: attributes.short?.trim() || float.caption,
    source: attributes.source?.trim() || undefined,
    note: attributes.note?.trim() || undefined,
    spec: attributes.spec ?? undefined,
    src: attributes.src ?? undefined,
    chapter,
    place: float.place,
  }
  ;(kind === 'figure' ? model.figures : model.tables).push(entry)
  model.targets.set(entry.id, { kind, entry, chapter })
  chapter.anchors.set(entry.id, entry.id)
  directive.data = { ...directive.data, float: entry }
}

interface FloatSource {
  file: string
  place: Position | undefined
  id: string
  caption: string
}

/** Record an error for each thing a figure or table directive lacks or has wrong. */
function checkFloat(
  kind: 'figure' | 'table',
  directive: LeafDirective | ContainerDirective,
  float: FloatSource,
  source: string,
  diagnostics: Diagnostics,
): void {
  const { file, place, id, caption } = float
  const attributes = directive.attributes ?? {}
  const example = kind === 'figure' ? '::figure[标题]{#fig-name spec="name.vl.json"}' : ':::table[标题]{#tbl-name}'
  if (!id) {
    diagnostics.error(file, `A ${kind} needs an id: write it as \`${example}\``, `${kind}:missing-id`, place)
  } else if (!id.startsWith(PREFIX[kind])) {
    diagnostics.error(
      file,
      `The ${kind} id \`${id}\` must start with \`${PREFIX[kind]}\` (for example ` +
        `\`${PREFIX[kind]}${id.replace(/^(fig|tbl)-/, '')}\`)`,
      `${kind}:id-prefix`,
      place,
    )
  }
  if (!caption) {
    diagnostics.error(
      file,
      `The ${kind}${id ? ` \`${id}\`` : ''} needs a caption in square brackets: \`${example}\``,
      `${kind}:missing-caption`,
      place,
    )
  }
  if (kind === 'figure' && !attributes.spec === !attributes.src) {
    diagnostics.error(
      file,
      `The figure${id ? ` \`${id}\`` : ''} needs ${attributes.spec ? 'either' : 'a chart or an image'}: ` +
        `add \`spec="name.vl.json"\` (a chart, relative to figures/) or \`src="images/name.png"\` (an image, ` +
        `relative to the chapter)${attributes.spec ? ', not both' : ''}`,
      'figure:missing-spec',
      place,
    )
  }
  if (directive.type === 'containerDirective') checkTableBlock(directive, float, source, diagnostics)
  for (const key of Object.keys(attributes)) {
    const figureOnly = key === 'spec' || key === 'src'
    if (
      !['id', 'spec', 'src', 'short', 'source', 'note', 'description'].includes(key) ||
      (figureOnly && kind === 'table')
    ) {
      diagnostics.error(
        file,
        `Unknown ${kind} attribute \`${key}\`; use id, ${kind === 'figure' ? 'spec or src, ' : ''}short, source, note or ` +
          `description`,
        `${kind}:attribute`,
        place,
      )
    }
  }
}

/** A `:::table` block holds exactly one table and is closed. */
function checkTableBlock(
  container: ContainerDirective,
  { file, place, id }: FloatSource,
  source: string,
  diagnostics: Diagnostics,
): void {
  const tables = container.children.filter((child) => child.type === 'table')
  if (tables.length !== 1) {
    diagnostics.error(
      file,
      tables.length === 0
        ? `The table${id ? ` \`${id}\`` : ''} holds no table: put a GFM table (a header row, a \`| --- |\` row, ` +
            `then the rows) between \`:::table\` and \`:::\``
        : `The table${id ? ` \`${id}\`` : ''} holds ${tables.length} tables; put each in its own \`:::table\` block`,
      'table:no-table',
      place,
    )
  }
  if (!closed(container, source)) {
    diagnostics.error(
      file,
      `The \`:::table\` block${id ? ` \`${id}\`` : ''} is never closed: end it with a line \`:::\``,
      'table:unclosed',
      place,
    )
  }
}

function slugFromFile(file: string): string {
  const stem = file.split('/').pop()!.replace(/\.md$/, '')
  return (
    stem
      .replace(/^\d+[-_]?/, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'chapter'
  )
}

/** A container directive is closed when its source ends with a fence line. */
function closed(container: ContainerDirective, source: string): boolean {
  const { start, end } = container.position ?? {}
  if (start?.offset === undefined || end?.offset === undefined) return true
  return /(^|\n)[ \t]*:{3,}[ \t]*$/.test(source.slice(start.offset, end.offset))
}
