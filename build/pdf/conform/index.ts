/**
 * Finishing Chromium's tagged PDF to PDF/UA-1 and PDF/A-2: decorations as
 * Artifacts, a repaired structure tree, soft hyphens for the hyphens drawn at
 * line breaks, XMP identification, an sRGB output intent, a content-derived
 * file ID. See docs/decisions/007-pdf-conformance.md.
 */
import { createHash } from 'node:crypto'
import zlib from 'node:zlib'
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHeader,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
  getDefaultSRGBProfile,
  type PDFContext,
  type PDFObject,
} from '@cantoo/pdf-lib'
import { compactText, type FontWidths } from './compact.ts'
import { retagAsArtifacts, wrapArtifacts } from './content.ts'
import { measureMarkedContent } from './measure.ts'
import { readPdf } from '../readback.ts'
import { describeLinks } from './links.ts'
import { fixStructure, type PageFacts } from './structure.ts'
import { isoDate, xmpPacket } from './xmp.ts'
import { mapUnmappedGlyphs } from './unicode.ts'
import { slimCidFonts } from './fonts.ts'
import { writeCompressedPdf } from './write.ts'

export interface ConformOptions {
  /** BCP 47 language of the document, for /Lang when Chromium wrote none, and for XMP. */
  language: string
  /**
   * The PDF/A-2 level declared: B (appearance), U (B, and every glyph maps to Unicode) or A (U, and tagged
   * logical structure). Default A: Chromium maps every glyph, and this step completes the tags.
   */
  pdfaConformance?: 'A' | 'U' | 'B'
  /**
   * Per page, the text of each MCID (`PdfPage.markedText` of the print's readback, whose marked content this PDF
   * shares), for link and figure text. Read from `pdf` when absent.
   */
  markedText?: Map<number, string>[]
}

const name = (value: string) => PDFName.of(value)
/** Objects per object stream: the structure elements compress better together than in pdf-lib's default 50s. */
const OBJECTS_PER_STREAM = 1000

/**
 * Make a tagged PDF printed by Chromium conform to PDF/UA-1 and PDF/A-2. The
 * result depends only on the input bytes: equal prints give equal files.
 */
export async function conformPdf(pdf: Uint8Array, options: ConformOptions): Promise<Buffer> {
  const texts = options.markedText ?? (await readPdf(pdf)).pages.map((page) => page.markedText)
  const document = await PDFDocument.load(pdf, { updateMetadata: false })
  const { context, catalog } = document
  const pages = document.getPages().map((page) => page.node)
  const contents = pages.map((page) => pageContent(context, page))
  const marked = contents.map(measureMarkedContent)
  const facts: PageFacts = {
    pageIndex: new Map(document.getPages().map((page, index) => [page.ref.toString(), index])),
    texts,
    boxes: marked.map((m) => m.boxes),
    decorations: marked.map((m) => m.decorations),
  }
  const untagged = fixStructure(context, catalog, facts)
  pages.forEach((page, index) =>
    setPageContent(context, page, retagAsArtifacts(contents[index]!, untagged[index] ?? new Set())),
  )
  describeLinks(context, catalog, facts, pages)
  mapUnmappedGlyphs(context)
  slimCidFonts(context)
  for (const page of pages)
    if (hasTransparency(context, page))
      page.set(name('Group'), context.obj({ Type: 'Group', S: 'Transparency', CS: 'DeviceRGB' }))

  if (!catalog.has(name('Lang'))) catalog.set(name('Lang'), PDFString.of(options.language))
  catalog.set(name('MarkInfo'), context.obj({ Marked: true }))
  catalog.set(name('ViewerPreferences'), context.obj({ DisplayDocTitle: true }))
  catalog.set(name('Metadata'), metadataStream(context, options))
  // The sRGB IEC61966-2.1 profile that pdf-lib bundles for its own PDF/A conversion (freely redistributable).
  const profile = context.flateStream(getDefaultSRGBProfile(), { N: 3 })
  catalog.set(
    name('OutputIntents'),
    context.obj([
      context.obj({
        Type: 'OutputIntent',
        S: 'GTS_PDFA1',
        OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
        Info: PDFString.of('sRGB IEC61966-2.1'),
        DestOutputProfile: context.register(profile),
      }),
    ]),
  )
  // The file ID names this content (ISO 32000-1 §14.4): a hash of what was printed, so equal prints share it.
  const conformance = options.pdfaConformance ?? 'A'
  const id = PDFHexString.of(
    createHash('md5')
      .update(pdf)
      .update(options.language + conformance)
      .digest('hex')
      .toUpperCase(),
  )
  context.trailerInfo.ID = context.obj([id, id])
  // PDF/A-2 is based on PDF 1.7, and object streams, which halve the structure tree's size, need 1.5.
  context.header = PDFHeader.forVersion(1, 7)
  // Written directly rather than by `document.save()`, for larger object streams (1,000 structure elements compress
  // together 4 KB smaller than pdf-lib's default of 50), deflated harder. Nothing is pending that `save()` would embed.
  return writeCompressedPdf(context, OBJECTS_PER_STREAM)
}

/** The page's content, its text runs compacted and its unmarked painting wrapped as Artifacts. */
function pageContent(context: PDFContext, page: PDFDict): string {
  let source = ''
  for (const ref of contentRefs(page)) {
    const stream = context.lookup(ref)
    if (!(stream instanceof PDFRawStream))
      throw new Error(`Unexpected PDF structure: page content ${String(ref)} is not a stream`)
    source += Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1') + '\n'
  }
  return wrapArtifacts(compactText(source, fontWidths(context, page)))
}

function contentRefs(page: PDFDict): PDFObject[] {
  const contents = page.get(name('Contents'))
  return contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []
}

/** Replace the page's content with one stream. */
function setPageContent(context: PDFContext, page: PDFDict, content: string): void {
  const data = zlib.deflateSync(Buffer.from(content, 'latin1'), { level: 9 })
  const stream = PDFRawStream.of(context.obj({ Filter: 'FlateDecode', Length: data.length }) as PDFDict, data)
  const refs = contentRefs(page)
  if (refs.length === 1 && refs[0] instanceof PDFRef) context.assign(refs[0], stream)
  else page.set(name('Contents'), context.register(stream))
}

/** Glyph widths of the page's 2-byte (Identity-H) composite fonts, from /W and /DW (ISO 32000-1 §9.7.4.3). */
function fontWidths(context: PDFContext, page: PDFDict): FontWidths {
  const fonts = page.lookupMaybe(name('Resources'), PDFDict)?.lookupMaybe(name('Font'), PDFDict)
  const cache = new Map<string, ((code: number) => number) | undefined>()
  return (resource) => {
    if (cache.has(resource)) return cache.get(resource)
    const font = fonts?.lookupMaybe(name(resource), PDFDict)
    const descendant = font?.lookupMaybe(name('DescendantFonts'), PDFArray)?.lookup(0, PDFDict)
    let widths: ((code: number) => number) | undefined
    if (font?.get(name('Encoding')) === name('Identity-H') && descendant) {
      const table = new Map<number, number>()
      const w = descendant.lookupMaybe(name('W'), PDFArray)
      const numberAt = (i: number) => (w!.lookup(i) as PDFNumber).asNumber()
      for (let i = 0; w && i < w.size();) {
        const first = numberAt(i)
        const next = w.lookup(i + 1)
        if (next instanceof PDFArray) {
          next.asArray().forEach((width, k) => table.set(first + k, (context.lookup(width) as PDFNumber).asNumber()))
          i += 2
        } else {
          for (let code = first; code <= numberAt(i + 1); code++) table.set(code, numberAt(i + 2))
          i += 3
        }
      }
      const fallback = descendant.lookupMaybe(name('DW'), PDFNumber)?.asNumber() ?? 1000
      widths = (code) => table.get(code) ?? fallback
    }
    cache.set(resource, widths)
    return widths
  }
}

/**
 * Whether the page draws with soft masks or constant alpha below 1: PDF/A-2 §6.2.10 then asks for a page group
 * with a colour space.
 */
function hasTransparency(context: PDFContext, page: PDFDict): boolean {
  const resources = page.lookupMaybe(name('Resources'), PDFDict)
  const states = resources?.lookupMaybe(name('ExtGState'), PDFDict)
  for (const key of states?.keys() ?? []) {
    const state = states!.lookupMaybe(key, PDFDict)
    if (!state) continue
    for (const alpha of ['CA', 'ca']) {
      const value = state.lookupMaybe(name(alpha), PDFNumber)
      if (value && value.asNumber() < 1) return true
    }
    const mask = state.get(name('SMask'))
    if (mask && mask !== name('None')) return true
  }
  const objects = resources?.lookupMaybe(name('XObject'), PDFDict)
  for (const key of objects?.keys() ?? []) {
    const object = context.lookup(objects!.get(key))
    if (object instanceof PDFRawStream && (object.dict.has(name('SMask')) || object.dict.has(name('Group'))))
      return true
  }
  return false
}

/** The XMP stream, from the document information dictionary, uncompressed as PDF/A requires. */
function metadataStream(context: PDFContext, options: ConformOptions): PDFRef {
  const info = context.lookupMaybe(context.trailerInfo.Info, PDFDict)
  const field = (key: string) => {
    const value = info?.get(name(key))
    return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : ''
  }
  const created = field('CreationDate')
  const modified = field('ModDate') || created
  if (!created) throw new Error('Unexpected PDF structure: no /CreationDate in the document information dictionary')
  const xmp = xmpPacket({
    title: field('Title'),
    author: field('Author'),
    subject: field('Subject'),
    keywords: field('Keywords'),
    creator: field('Creator'),
    producer: field('Producer'),
    created: isoDate(created),
    modified: isoDate(modified),
    language: options.language,
    pdfaPart: 2,
    pdfaConformance: options.pdfaConformance ?? 'A',
    pdfuaPart: 1,
  })
  const stream = PDFRawStream.of(
    context.obj({ Type: 'Metadata', Subtype: 'XML', Length: Buffer.byteLength(xmp) }) as PDFDict,
    Buffer.from(xmp),
  )
  return context.register(stream)
}
