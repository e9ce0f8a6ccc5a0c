/**
 * Issue 15 end to end in English: the en-book fixture (four plain chapters of The Twelve-Factor App, no parts, the
 * engine's default theme) builds strict, with decimal notes, images, links between chapters and everyday colons, and
 * neither rendition shows a Chinese character.
 */
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BuildSummary } from '../../build/index.ts'
import { REPO } from '../helpers/book.ts'
import {
  buildFixture,
  chapterWarnings,
  expectChapterLink,
  expectPdfNoteLinks,
  expectSelfContained,
  pdfText,
  siteNotes,
  siteText,
  type BuiltBook,
} from '../helpers/features.ts'

const EN_BOOK = path.join(REPO, 'test/fixtures/en-book')
const HAN = /\p{Script=Han}/u

let root: string
let summary: BuildSummary
let book: BuiltBook

beforeAll(async () => {
  ;({ root, summary, book } = await buildFixture(EN_BOOK))
})

describe('the en-book fixture', () => {
  it('builds strict, warning about the chapters only for the image without alt text', () => {
    expect(chapterWarnings(summary)).toEqual([
      expect.stringMatching(/^chapters\/01-introduction\.md:5:1 warning The image `images\/symbol\.png` has no alt/),
    ])
  })

  it('prints no Chinese character in the PDF text or on any site page', () => {
    expect(pdfText(book)).not.toMatch(HAN)
    for (const [name, html] of book.pages) expect(html.match(HAN), name).toBeNull()
  })

  it('keeps everyday colons as text', () => {
    for (const text of [pdfText(book), siteText(book)]) {
      expect(text).toContain('at20:32:17')
      expect(text).toContain('at10:30')
      expect(text).toContain('redis://host:6379')
      expect(text).toContain('ratio1:2')
    }
  })

  it('numbers notes 1 2 3 per chapter, under Notes, linked both ways in the PDF and on the site', () => {
    expect(siteNotes(book)).toEqual([
      'chapter-2:1',
      'chapter-2:2',
      'chapter-2:3',
      'chapter-2:4',
      'chapter-3:1',
      'chapter-4:1',
    ])
    expectPdfNoteLinks(book, ['chapter-2-note-1', 'chapter-2-note-4', 'chapter-3-note-1', 'chapter-4-note-1'])
    // Soft hyphens from Latin hyphenation may sit inside words of the text layer; they are not text.
    const text = pdfText(book).replace(/\u00ad/g, '')
    expect(text).toContain('Notes1.Oftenshortenedtocoderepoorjustrepo.')
    expect(book.pages.get('chapter-2.html')).toContain('class="note-ref note-decimal"')
  })

  it('numbers the image figure with the chart and lists both in the list of figures', () => {
    const lists = book.pdf.pages.map((p) => p.body.replace(/\s+/g, '')).find((t) => t.includes('ListofFigures'))
    expect(lists).toMatch(/ListofFigures.*Figure1\.1Wordsperfactor.*Figure4\.1Processes.*ListofTables/)
    expect(book.pdfBytes.toString('latin1')).toMatch(/\/Width 1800\b/)
  })

  it('turns links between chapters into working site links and PDF internal links', () => {
    // [IV. Backing services](04-backing-services.md#iv-backing-services) in chapter 1 reaches chapter 4's section.
    expectChapterLink(book, 'chapter-4-s1')
  })

  it('writes no local path into any output, and external links are links in the PDF', async () => {
    await expectSelfContained(root, book, 'https://12factor.net/dependencies')
  })
})
