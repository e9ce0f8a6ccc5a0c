/**
 * What the bench edits, chosen from the book's model: a part chapter, a data
 * file that a figure reads, and a repeated copy of the whole book.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Paragraph, Text } from 'mdast'
import { visit } from 'unist-util-visit'
import YAML from 'yaml'
import {
  REFERENCE,
  chineseNumeral,
  findDataReferences,
  parseCsv,
  resolveDataUrl,
  type BookModel,
} from '../../build/index.ts'
import { copyBook, readBook } from '../book.ts'

/** A chapter to edit: its file, site page and a few of its words. */
export interface ChapterEdit {
  file: string
  page: string
  /** Han characters from its first paragraph, so that an edit adds no character the font subset lacks. */
  words: string
}

/** The first part chapter of the book (else its first chapter). */
export function editableChapter(root: string, model: BookModel): ChapterEdit {
  const chapter = model.parts[0] ?? model.chapters[0]
  if (!chapter) throw new Error(`The book at ${root} has no chapter to edit`)
  let words = ''
  visit(chapter.tree, 'paragraph', (paragraph: Paragraph) => {
    const text = paragraph.children.filter((child): child is Text => child.type === 'text').map((child) => child.value)
    words = [...text.join('')]
      .filter((ch) => /\p{Script=Han}/u.test(ch))
      .slice(0, 12)
      .join('')
    return words ? false : undefined
  })
  return { file: path.join(root, chapter.file), page: `${chapter.id}.html`, words: words || '正文' }
}

/** A data file to edit: the first CSV file a figure reads, in book order, and the site pages showing it. */
export interface DataEdit {
  file: string
  pages: string[]
}

/** The first CSV data file read by a figure of the book, in book order, with every page that shows it. */
export async function editableData(root: string, model: BookModel): Promise<DataEdit> {
  const figuresDir = path.join(root, 'figures')
  const pagesByFile = new Map<string, string[]>()
  for (const figure of model.figures) {
    const spec: unknown = JSON.parse(await fs.readFile(path.join(figuresDir, figure.spec!), 'utf8'))
    for (const reference of findDataReferences(spec as Parameters<typeof findDataReferences>[0])) {
      const resolved = resolveDataUrl(figuresDir, reference.url)
      if (!('file' in resolved) || !resolved.file.endsWith('.csv')) continue
      const pages = pagesByFile.get(resolved.file) ?? []
      if (!pages.includes(`${figure.chapter.id}.html`)) pages.push(`${figure.chapter.id}.html`)
      pagesByFile.set(resolved.file, pages)
    }
  }
  const [first] = pagesByFile
  if (!first) throw new Error(`No figure of the book at ${root} reads a CSV data file to edit`)
  return { file: first[0], pages: first[1] }
}

/** The first value cell (not the label column: a year, a region) of a CSV's rows. */
function firstValueCell(csv: string) {
  for (const row of parseCsv(csv).slice(1)) {
    const cell = row.cells.find((c, column) => column > 0 && /^-?\d+(\.\d+)?$/.test(c.value.trim()))
    if (cell) return cell
  }
  throw new Error('No number to change in the CSV data file')
}

/** The first value of a CSV's rows, as `bumpFirstNumber` writes it. */
export function firstNumber(csv: string): string {
  return firstValueCell(csv).value.trim()
}

/** Add `delta` to the first value of a CSV's rows, keeping its decimals. */
export function bumpFirstNumber(csv: string, delta: number): string {
  const cell = firstValueCell(csv)
  const lines = csv.split('\n')
  const line = lines[cell.line - 1]!
  const start = cell.column - 1
  const value = cell.value.trim()
  const decimals = value.split('.')[1]?.length ?? 0
  lines[cell.line - 1] =
    line.slice(0, start) + (Number(value) + delta).toFixed(decimals) + line.slice(start + cell.value.length)
  return lines.join('\n')
}

/**
 * A copy of the book whose chapters are the book's chapters `times` times
 * over: every id (and every @reference to it) gets a suffix per copy, chapter
 * files are renamed so that their ids stay unique, and parts are renumbered
 * 一, 二, … 十六.
 */
export async function repeatBook(source: string, dest: string, times: number): Promise<string> {
  await copyBook(source, { dest })
  const { loaded, model } = await readBook(dest)
  const document = YAML.parseDocument(await fs.readFile(loaded.file, 'utf8'))
  const chapters = loaded.config.chapters
  const texts = await Promise.all(chapters.map((name) => fs.readFile(path.join(loaded.chaptersDir, name), 'utf8')))
  const names: string[] = []
  let part = 0
  for (let copy = 1; copy <= times; copy++) {
    const suffix = copy === 1 ? '' : `-x${copy}`
    for (const [index, name] of chapters.entries()) {
      let text = texts[index]!.replace(/\{#([A-Za-z][\w-]*)/g, (_, id: string) => `{#${id}${suffix}`).replace(
        REFERENCE,
        (match, id: string) => match.replace(id, `${id}${suffix}`),
      )
      if (model.chapters[index]?.kind === 'part') {
        text = text.replace(
          /^(---\r?\n[\s\S]*?^)numeral:[^\r\n]*/m,
          (_, head: string) => `${head}numeral: ${chineseNumeral(++part)}`,
        )
      }
      const renamed = copy === 1 ? name : name.replace(/\.md$/, `${suffix}.md`)
      await fs.mkdir(path.dirname(path.join(loaded.chaptersDir, renamed)), { recursive: true })
      await fs.writeFile(path.join(loaded.chaptersDir, renamed), text)
      names.push(renamed)
    }
  }
  document.set('chapters', names)
  await fs.writeFile(loaded.file, document.toString())
  return dest
}
