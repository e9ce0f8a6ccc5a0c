/**
 * Reads a PDF back and lists what keeps it from PDF/UA-1 and PDF/A-2, for the
 * properties a test can check without an outside validator: every painting
 * operator tagged or an Artifact, Alt on every Figure, LBody in every LI, XMP
 * with the identifiers, an output intent, a file ID. Independent of the
 * engine's own content parser: pdf.js reads the content, pdf-lib the objects.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from '@cantoo/pdf-lib'
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs'

const { OPS } = pdfjs
const PAINT = new Set([
  OPS.showText,
  OPS.showSpacedText,
  OPS.nextLineShowText,
  OPS.nextLineSetSpacingShowText,
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
  OPS.paintImageXObjectRepeat,
  OPS.paintSolidColorImageMask,
  OPS.shadingFill,
  OPS.fill,
  OPS.eoFill,
  OPS.stroke,
  OPS.fillStroke,
  OPS.eoFillStroke,
])

interface StructNode {
  role?: string
  alt?: string
  children?: StructNode[]
}

/**
 * Problems found; empty when the PDF has every checked property. `pages` are the 1-based numbers of the pages to
 * check (default: all).
 */
export async function conformanceProblems(pdf: Uint8Array, pages?: number[]): Promise<string[]> {
  const problems: string[] = []
  const document = await pdfjs.getDocument({
    data: new Uint8Array(pdf),
    verbosity: 0,
    isEvalSupported: false,
    useSystemFonts: false,
  }).promise
  try {
    const numbers = pages ?? Array.from({ length: document.numPages }, (_, i) => i + 1)
    for (const number of numbers) {
      const page = await document.getPage(number)
      const untagged = await untaggedPaintCount(page)
      if (untagged > 0)
        problems.push(`page ${number}: ${untagged} painting operators neither tagged nor marked as Artifact`)
      const tree = (await page.getStructTree()) as StructNode | null
      if (tree) for (const problem of structureProblems(tree)) problems.push(`page ${number}: ${problem}`)
    }
  } finally {
    await document.destroy()
  }
  problems.push(...(await catalogProblems(pdf)))
  return [...new Set(problems)]
}

async function untaggedPaintCount(page: pdfjs.PDFPageProxy): Promise<number> {
  const { fnArray, argsArray } = await page.getOperatorList()
  const tags: boolean[] = []
  let count = 0
  fnArray.forEach((fn, index) => {
    const args = argsArray[index] as unknown[] | null
    if (fn === OPS.beginMarkedContent || fn === OPS.beginMarkedContentProps) {
      const tag = typeof args?.[0] === 'string' ? args[0] : (args?.[0] as { name?: string } | undefined)?.name
      tags.push(tag === 'Artifact' || (fn === OPS.beginMarkedContentProps && typeof args?.[1] === 'number'))
    } else if (fn === OPS.endMarkedContent) tags.pop()
    else if (!tags.includes(true)) {
      // pdf.js folds path painting into constructPath, whose first argument is the painting operator.
      const paints = fn === OPS.constructPath ? args?.[0] !== OPS.endPath : PAINT.has(fn)
      if (paints) count++
    }
  })
  return count
}

function structureProblems(node: StructNode): string[] {
  const problems: string[] = []
  if (node.role === 'Figure' && !node.alt) problems.push('a Figure without Alt')
  if (node.role === 'LI' && !(node.children ?? []).some((child) => child.role === 'LBody'))
    problems.push('an LI without LBody')
  if (node.role === 'NonStruct') problems.push('a NonStruct element')
  for (const child of node.children ?? []) problems.push(...structureProblems(child))
  return problems
}

async function catalogProblems(pdf: Uint8Array): Promise<string[]> {
  const problems: string[] = []
  const document = await PDFDocument.load(pdf, { updateMetadata: false })
  const { catalog, context } = document
  const metadata = catalog.lookup(PDFName.of('Metadata'))
  const xmp =
    metadata instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(metadata).decode()).toString('utf8') : ''
  if (!xmp) problems.push('no XMP metadata stream')
  for (const field of [/<pdfuaid:part>1</, /<pdfaid:part>2</, /<pdfaid:conformance>[ABU]</, /<dc:title>/]) {
    if (xmp && !field.test(xmp)) problems.push(`XMP without ${field.source.replace(/\\/g, '')}`)
  }
  const intent = catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray)?.lookupMaybe(0, PDFDict)
  if (!(intent?.lookup(PDFName.of('DestOutputProfile')) instanceof PDFRawStream))
    problems.push('no output intent with an ICC profile')
  if (!context.trailerInfo.ID) problems.push('no trailer /ID')
  if (!catalog.has(PDFName.of('Lang'))) problems.push('no /Lang')
  if (!catalog.lookupMaybe(PDFName.of('ViewerPreferences'), PDFDict)?.has(PDFName.of('DisplayDocTitle')))
    problems.push('no DisplayDocTitle')
  return problems
}
