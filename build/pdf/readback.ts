/**
 * Reading the printed PDF back (pdfjs-dist): text by page, with the header
 * and footer apart, named destinations, links, outline and metadata.
 */
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs'

export interface PdfPage {
  /** 0-based physical page index. */
  index: number
  text: string
  /** Text near the bottom edge: where the footer page number is. */
  footer: string
  /** Text near the top edge: the running header. */
  header: string
  /** The text between header and footer. */
  body: string
  width: number
  height: number
  /** The text inside each marked-content id (MCID) of the tagged PDF. */
  markedText: Map<number, string>
  /** Every text run, with its position and size: what the layout check reads. */
  items: PdfTextItem[]
}

/** One run of text as pdfjs reads it, in PDF points (origin bottom left). */
export interface PdfTextItem {
  text: string
  /** Left end of the baseline. */
  x: number
  /** The baseline. */
  y: number
  width: number
  /** The font size at print size (the text matrix's vertical scale). */
  size: number
  /** The marked-content id (`p12R_mc3`) that ties the run to its structure element, when the PDF is tagged. */
  content?: string
}

/** Points from the top or bottom edge that count as header or footer. */
export const MARGIN_ZONE = 62

export interface PdfReadback {
  pages: PdfPage[]
  /** Named destination (element id) → 0-based page index. */
  destinations: Map<string, number>
  outline: { title: string; items: { title: string }[] }[]
  info: Record<string, unknown>
  links: { page: number; dest: string }[]
  /** The viewer's page labels (/PageLabels), or null when the PDF has none. */
  labels: string[] | null
}

/** The MCID in pdf.js's id for a marked-content sequence (`p12R_mc3`), if it has one. */
function mcidOf(id: string | null | undefined): number | undefined {
  const mcid = /_mc(\d+)$/.exec(id ?? '')?.[1]
  return mcid === undefined ? undefined : Number(mcid)
}

/** The innermost marked-content id on a stack of open sequences (undefined for those without one). */
export function innermost(marks: (number | undefined)[]): number | undefined {
  for (let i = marks.length - 1; i >= 0; i--) if (marks[i] !== undefined) return marks[i]
  return undefined
}

type TextContentItem = Awaited<ReturnType<pdfjs.PDFPageProxy['getTextContent']>>['items'][number]

/** A page's text: all of it, its header, footer and body, by marked-content id, and run by run with positions. */
function pageText(contentItems: TextContentItem[], height: number): Omit<PdfPage, 'index' | 'width' | 'height'> {
  const items: PdfTextItem[] = []
  const marked: (string | undefined)[] = []
  const markedText = new Map<number, string>()
  const open: (number | undefined)[] = []
  let text = ''
  let footer = ''
  let header = ''
  let body = ''
  for (const item of contentItems) {
    if (!('str' in item)) {
      if (item.type === 'endMarkedContent') {
        open.pop()
        marked.pop()
      } else {
        open.push(mcidOf(item.id))
        marked.push(item.id)
      }
      continue
    }
    const mcid = innermost(open)
    if (mcid !== undefined) markedText.set(mcid, (markedText.get(mcid) ?? '') + item.str)
    const [a, b, , , x, y] = item.transform as number[]
    if (item.str !== '') {
      const content = marked.filter((id) => id !== undefined).at(-1)
      items.push({ text: item.str, x: x!, y: y!, width: item.width, size: Math.hypot(a!, b!), content })
    }
    const piece = item.str + (item.hasEOL ? '\n' : '')
    text += piece
    // The page margins (22–24 mm) hold only the running header and the footer number.
    if (y! < MARGIN_ZONE) footer += item.str
    else if (y! > height - MARGIN_ZONE) header += item.str
    else body += piece
  }
  return { text, footer: footer.trim(), header: header.trim(), body, markedText, items }
}

/** Read text, named destinations, links, outline and metadata from a PDF. */
export async function readPdf(data: Uint8Array): Promise<PdfReadback> {
  const document = await pdfjs.getDocument({
    data: new Uint8Array(data),
    verbosity: 0,
    isEvalSupported: false,
    useSystemFonts: false,
  }).promise
  try {
    const destinations = new Map<string, number>()
    const named = (await document.getDestinations()) as Record<string, unknown[]>
    for (const [name, dest] of Object.entries(named)) {
      if (Array.isArray(dest) && dest[0] && typeof dest[0] === 'object')
        destinations.set(name, await document.getPageIndex(dest[0] as never))
    }
    const pages: PdfPage[] = []
    const links: PdfReadback['links'] = []
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number)
      const [, , width, height] = page.view as [number, number, number, number]
      const content = await page.getTextContent({ includeMarkedContent: true })
      pages.push({ index: number - 1, width, height, ...pageText(content.items, height) })
      for (const annotation of await page.getAnnotations()) {
        if (annotation.subtype === 'Link' && typeof annotation.dest === 'string')
          links.push({ page: number - 1, dest: annotation.dest })
      }
      page.cleanup()
    }
    const outline = ((await document.getOutline()) ?? []).map((item) => ({
      title: item.title,
      items: item.items.map((child) => ({ title: child.title })),
    }))
    const { info } = await document.getMetadata()
    const labels = await document.getPageLabels()
    return { pages, destinations, outline, info: info as Record<string, unknown>, links, labels }
  } finally {
    await document.destroy()
  }
}
