/**
 * The book model: one pass over every chapter in book order collects parts,
 * sections, figures, tables and ids, and numbers them. Everything that shows
 * a number (captions, cross-references, the three indexes, the PDF's page
 * number slots) reads it from here, so the numbering cannot disagree.
 */
import type { Root, Heading, Html, PhrasingContent, RootContent, Text } from 'mdast'
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive'
import { visit } from 'unist-util-visit'
import { didYouMean, positionAt, type Diagnostics, type Position } from './diagnostics.ts'
import type { FrontMatter } from './markdown.ts'
import { LABELS } from './labels.ts'

export interface Chapter {
  /** Book-root-relative path, for messages. */
  file: string
  kind: 'part' | 'front'
  /** Anchor of the chapter's start and stem of its site page: `part-1`, `abstract`. */
  id: string
  title: string
  numeral?: string
  subtitle?: string
  /** 1-based among parts. */
  partNumber?: number
  tree: Root
  sections: Section[]
}

export interface Section {
  id: string
  /** As printed before the title: （一）. */
  number: string
  title: string
  chapter: Chapter
}

export interface FloatEntry {
  kind: 'figure' | 'table'
  id: string
  /** 1-based across the book. */
  number: number
  /** 图3, 表1. */
  label: string
  caption: string
  /** The caption for the lists of figures and tables. */
  short: string
  source?: string
  /** For figures: the spec path relative to figures/. */
  spec?: string
  chapter: Chapter
  place?: Position
}

export interface BookModel {
  chapters: Chapter[]
  parts: Chapter[]
  figures: FloatEntry[]
  tables: FloatEntry[]
  /** Every id that a reference may point at. */
  targets: Map<string, { kind: 'figure' | 'table' | 'section' | 'chapter'; entry?: FloatEntry; chapter: Chapter }>
}

export interface ChapterInput {
  file: string
  tree: Root
  frontMatter: FrontMatter
  /** The Markdown text, to check that blocks are closed. */
  source: string
}

/** Directive names the engine understands, with where each may appear. */
export const DIRECTIVES = { figure: 'leafDirective', table: 'containerDirective', callout: 'leafDirective' } as const

const PREFIX = { figure: 'fig-', table: 'tbl-' } as const

/**
 * Collect the whole book's structure before anything is rendered.
 * Records positioned errors for bad directives and duplicate ids.
 */
export function collectBook(inputs: ChapterInput[], diagnostics: Diagnostics): BookModel {
  const model: BookModel = { chapters: [], parts: [], figures: [], tables: [], targets: new Map() }
  const idPlaces = new Map<string, { file: string; place?: Position }>()

  const claim = (id: string, file: string, place: Position | undefined): boolean => {
    const previous = idPlaces.get(id)
    if (previous) {
      const where = previous.place ? `${previous.file}:${previous.place.line}:${previous.place.column}` : previous.file
      diagnostics.error(file, `Duplicate id \`${id}\`; it is already used at ${where}. Give each figure, table and section its own id`, 'crossref:duplicate-id', place)
      return false
    }
    idPlaces.set(id, { file, place })
    return true
  }

  for (const input of inputs) {
    const { frontMatter } = input
    const isPart = frontMatter.kind === 'part'
    const partNumber = isPart ? model.parts.length + 1 : undefined
    const chapter: Chapter = {
      file: input.file,
      kind: isPart ? 'part' : 'front',
      id: isPart ? `part-${partNumber}` : slugFromFile(input.file),
      title: frontMatter.title,
      numeral: frontMatter.numeral,
      subtitle: frontMatter.subtitle,
      partNumber,
      tree: input.tree,
      sections: [],
    }
    model.chapters.push(chapter)
    if (isPart) model.parts.push(chapter)
    claim(chapter.id, input.file, undefined)
    model.targets.set(chapter.id, { kind: 'chapter', chapter })

    if (input.tree.children.every((node) => node.type === 'yaml' || (node.type === 'html' && /^<!--[\s\S]*-->$/.test(node.value.trim())))) {
      diagnostics.error(input.file, 'Empty chapter: it has front matter but no text. Write its content, or remove it from `chapters:` in the book config', 'chapter:empty', { line: 1, column: 1 })
    }

    visit(input.tree, (node) => {
      if (node.type === 'html') {
        checkRawHtml(node as Html, input.file, diagnostics)
        return
      }
      if (node.type === 'heading') {
        const heading = node as Heading
        if (heading.depth === 1) {
          diagnostics.error(input.file, 'A `#` heading is not allowed in a chapter: the chapter title comes from the front matter. Use `##` for a section', 'chapter:heading-depth', start(node))
        } else if (heading.depth === 2) {
          const index = chapter.sections.length + 1
          const section: Section = {
            id: `${chapter.id}-s${index}`,
            number: `（${chineseNumeral(index)}）`,
            title: plainText(heading.children),
            chapter,
          }
          chapter.sections.push(section)
          heading.data = { ...heading.data, hProperties: { id: section.id } }
          claim(section.id, input.file, start(node))
          model.targets.set(section.id, { kind: 'section', chapter })
        }
        return
      }
      if (node.type !== 'leafDirective' && node.type !== 'containerDirective' && node.type !== 'textDirective') return
      const directive = node as LeafDirective | ContainerDirective | TextDirective
      const place = start(directive)
      const expected = DIRECTIVES[directive.name as keyof typeof DIRECTIVES]
      if (!expected) {
        const known = Object.keys(DIRECTIVES)
        const guess = didYouMean(directive.name, known)
        const hint = directive.type === 'textDirective' ? ' If you meant a literal colon, write `\\:`.' : ''
        diagnostics.error(
          input.file,
          `Unknown directive \`${directive.name}\`${guess ? `; did you mean \`${guess}\`?` : '.'} Known directives are ${known.map((k) => `\`${k}\``).join(', ')}.${hint}`,
          'directive:unknown',
          place,
        )
        return
      }
      if (directive.type !== expected) {
        const form = expected === 'leafDirective' ? `\`::${directive.name}[…]{…}\` on a line of its own` : `a \`:::${directive.name}[…]{…}\` … \`:::\` block`
        diagnostics.error(input.file, `\`${directive.name}\` must be written as ${form}`, 'directive:form', place)
        return
      }
      if (directive.name === 'callout') return
      collectFloat(directive.name as 'figure' | 'table', directive as LeafDirective | ContainerDirective, chapter, input.source, model, diagnostics, claim)
    })
  }

  for (const [index, figure] of model.figures.entries()) figure.number = index + 1
  for (const [index, table] of model.tables.entries()) table.number = index + 1
  for (const entry of [...model.figures, ...model.tables]) entry.label = `${LABELS[entry.kind]}${entry.number}`
  return model
}

function collectFloat(
  kind: 'figure' | 'table',
  directive: LeafDirective | ContainerDirective,
  chapter: Chapter,
  source: string,
  model: BookModel,
  diagnostics: Diagnostics,
  claim: (id: string, file: string, place: Position | undefined) => boolean,
): void {
  const file = chapter.file
  const place = start(directive)
  const attributes = directive.attributes ?? {}
  const id = attributes.id ?? ''
  const labelChildren = directiveLabel(directive)
  const caption = labelChildren ? plainText(labelChildren).trim() : ''
  const example = kind === 'figure' ? '::figure[标题]{#fig-name spec="name.vl.json"}' : ':::table[标题]{#tbl-name}'
  let ok = true
  if (!id) {
    diagnostics.error(file, `A ${kind} needs an id: write it as \`${example}\``, `${kind}:missing-id`, place)
    ok = false
  } else if (!id.startsWith(PREFIX[kind])) {
    diagnostics.error(file, `The ${kind} id \`${id}\` must start with \`${PREFIX[kind]}\` (for example \`${PREFIX[kind]}${id.replace(/^(fig|tbl)-/, '')}\`)`, `${kind}:id-prefix`, place)
    ok = false
  }
  if (!caption) {
    diagnostics.error(file, `The ${kind}${id ? ` \`${id}\`` : ''} needs a caption in square brackets: \`${example}\``, `${kind}:missing-caption`, place)
    ok = false
  }
  if (kind === 'figure' && !attributes.spec) {
    diagnostics.error(file, `The figure${id ? ` \`${id}\`` : ''} needs a spec: add \`spec="name.vl.json"\` (relative to figures/)`, 'figure:missing-spec', place)
    ok = false
  }
  if (kind === 'table') {
    const container = directive as ContainerDirective
    const tables = container.children.filter((child) => child.type === 'table')
    if (tables.length !== 1) {
      diagnostics.error(
        file,
        tables.length === 0
          ? `The table${id ? ` \`${id}\`` : ''} holds no table: put a GFM table (a header row, a \`| --- |\` row, then the rows) between \`:::table\` and \`:::\``
          : `The table${id ? ` \`${id}\`` : ''} holds ${tables.length} tables; put each in its own \`:::table\` block`,
        'table:no-table',
        place,
      )
      ok = false
    }
    if (!closed(container, source)) {
      diagnostics.error(file, `The \`:::table\` block${id ? ` \`${id}\`` : ''} is never closed: end it with a line \`:::\``, 'table:unclosed', place)
      ok = false
    }
  }
  for (const key of Object.keys(attributes)) {
    if (!['id', 'spec', 'short', 'source', 'description'].includes(key) || (key === 'spec' && kind === 'table')) {
      diagnostics.error(file, `Unknown ${kind} attribute \`${key}\`; use id, ${kind === 'figure' ? 'spec, ' : ''}short, source or description`, `${kind}:attribute`, place)
      ok = false
    }
  }
  if (!ok || !claim(id, file, place)) return
  const entry: FloatEntry = {
    kind,
    id,
    number: 0,
    label: '',
    caption,
    short: attributes.short?.trim() || caption,
    source: attributes.source?.trim() || undefined,
    spec: attributes.spec ?? undefined,
    chapter,
    place,
  }
  ;(kind === 'figure' ? model.figures : model.tables).push(entry)
  model.targets.set(id, { kind, entry, chapter })
  ;(directive.data as Record<string, unknown> | undefined) = { ...directive.data, float: entry }
}

/** `{#id}` references in running text: `@fig-name`, `@tbl-name`. An e-mail address does not match (the @ follows a letter). */
export const REFERENCE = /(?<![\p{L}\p{N}_.+-])@((?:fig|tbl)-[A-Za-z0-9_-]*[A-Za-z0-9])/gu

export interface Reference {
  id: string
  node: Text
  index: number
  length: number
}

/** Check every cross-reference against the model. Records an error for each unknown or wrong-kind id. */
export function checkReferences(model: BookModel, diagnostics: Diagnostics): void {
  for (const chapter of model.chapters) {
    visit(chapter.tree, 'text', (node: Text) => {
      for (const match of node.value.matchAll(REFERENCE)) {
        const id = match[1]!
        const place = offsetPlace(node, match.index!)
        const target = model.targets.get(id)
        const wantedKind = id.startsWith('fig-') ? 'figure' : 'table'
        const swapped = `${wantedKind === 'figure' ? 'tbl-' : 'fig-'}${id.slice(4)}`
        const other = target ? undefined : model.targets.get(swapped)
        if (other) {
          diagnostics.error(chapter.file, `@${id} refers to a ${wantedKind}, but \`${swapped}\` is a ${other.kind}: \`${id.slice(0, 4)}\` is for ${wantedKind}s. Write @${swapped}`, 'crossref:wrong-kind', place)
        } else if (!target) {
          const candidates = [...model.targets.entries()].filter(([, t]) => t.kind === wantedKind).map(([key]) => key)
          const guess = didYouMean(id, candidates)
          diagnostics.error(chapter.file, `Unknown reference @${id}${guess ? `; did you mean @${guess}?` : `; no ${wantedKind} has that id`}`, 'crossref:unknown-id', place)
        } else if (target.kind !== wantedKind) {
          diagnostics.error(chapter.file, `@${id} points at a ${target.kind}, but \`${id.slice(0, 4)}\` is for ${wantedKind}s; rename the ${target.kind}'s id to start with \`${target.kind === 'figure' ? 'fig-' : 'tbl-'}\``, 'crossref:wrong-kind', place)
        }
      }
    })
  }
}

/** Attributes through which HTML loads a resource, with a URL that leaves the book. The sanitiser keeps http(s) and `//host` URLs in `src`. */
const EXTERNAL_RESOURCE = /\s(?:src|srcset|poster|data|background)\s*=\s*["']?\s*((?:https?:|\/\/)[^"'\s>]*)/gi

/** Raw HTML may not load anything from the network: the site contacts no third-party host, and the print step blocks it. */
function checkRawHtml(node: Html, file: string, diagnostics: Diagnostics): void {
  if (/^\s*<!--/.test(node.value)) return
  for (const match of node.value.matchAll(EXTERNAL_RESOURCE)) {
    const url = match[1]!
    const inNode = positionAt(node.value, match.index! + match[0].indexOf(url))
    const start = node.position?.start
    const place = start && { line: start.line + inNode.line - 1, column: inNode.line === 1 ? start.column + inNode.column - 1 : inNode.column }
    diagnostics.error(
      file,
      `Raw HTML loads ${url} from the network; the book must be self-contained (its site contacts no third-party host, and printing may load nothing from outside). Remove it, or draw the picture as a figure`,
      'html:external-resource',
      place,
    )
  }
}

/** The label children of a leaf or container directive (`[…]`). */
export function directiveLabel(directive: LeafDirective | ContainerDirective): PhrasingContent[] | undefined {
  if (directive.type === 'leafDirective') return directive.children.length > 0 ? directive.children : undefined
  const first = directive.children[0]
  if (first && first.type === 'paragraph' && (first.data as { directiveLabel?: boolean } | undefined)?.directiveLabel) return first.children
  return undefined
}

export function plainText(nodes: readonly (PhrasingContent | RootContent)[]): string {
  let text = ''
  for (const node of nodes) {
    if ('value' in node && typeof node.value === 'string' && node.type !== 'html') text += node.value
    else if ('children' in node) text += plainText(node.children as PhrasingContent[])
  }
  return text
}

/** 1 → 一, 12 → 十二, 20 → 二十. */
export function chineseNumeral(n: number): string {
  const digits = '零一二三四五六七八九'
  if (n < 10) return digits[n]!
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ''}`
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 ? digits[n % 10] : ''}`
  return String(n)
}

function slugFromFile(file: string): string {
  const stem = file.split('/').pop()!.replace(/\.md$/, '')
  return stem.replace(/^\d+[-_]?/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'chapter'
}

function start(node: { position?: { start: { line: number; column: number } } }): Position | undefined {
  return node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined
}

/** The position of a character inside a text node (exact for single-line text). */
function offsetPlace(node: Text, offset: number): Position | undefined {
  if (!node.position) return undefined
  const before = node.value.slice(0, offset)
  const newlines = before.split('\n')
  if (newlines.length === 1) return { line: node.position.start.line, column: node.position.start.column + offset }
  return { line: node.position.start.line + newlines.length - 1, column: newlines.at(-1)!.length + 1 }
}

/** A container directive is closed when its source ends with a fence line. */
function closed(container: ContainerDirective, source: string): boolean {
  const { start, end } = container.position ?? {}
  if (start?.offset === undefined || end?.offset === undefined) return true
  return /(^|\n)[ \t]*:{3,}[ \t]*$/.test(source.slice(start.offset, end.offset))
}
