/**
 * What each run of text in a tagged PDF is: the structure element (paragraph, heading, table cell, figure…) that
 * owns its marked content. The layout check groups lines by these elements, so that a paragraph split across two
 * pages is still one paragraph.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, type PDFObject } from '@cantoo/pdf-lib'

/** What kind of block a line of text belongs to. */
export type BlockKind = 'paragraph' | 'heading' | 'caption' | 'cell' | 'figure' | 'other'

export interface BlockInfo {
  /** Identifies the structure element across pages: equal ids, same paragraph. */
  block: number
  kind: BlockKind
}

/** Structure roles that make a block of text of their own. */
const BLOCK_ROLES = new Set(['P', 'H', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'TD', 'TH', 'Caption', 'Figure'])

interface Context {
  block?: number
  kind: BlockKind
  page?: PDFRef
  /** Inside a paragraph, list item, heading or caption. */
  inText?: boolean
}

/** Roles whose content is running text: a P inside them is theirs. */
const TEXT_ROLES = new Set(['P', 'H', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'Caption'])

/**
 * Map every marked-content id (as pdfjs names it: `p<page object>R_mc<MCID>`) to its block, by walking the
 * structure tree. An untagged PDF gives an empty map.
 */
export async function readBlocks(pdf: Uint8Array): Promise<Map<string, BlockInfo>> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: false })
  const blocks = new Map<string, BlockInfo>()
  const root = document.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict)
  if (!root) return blocks
  let nextBlock = 0
  const seen = new Set<PDFObject>()

  const visit = (node: PDFObject | undefined, context: Context): void => {
    if (node === undefined || seen.has(node)) return
    if (node instanceof PDFRef) {
      seen.add(node)
      return visit(document.context.lookup(node), context)
    }
    if (node instanceof PDFNumber) {
      if (context.page && context.block !== undefined)
        blocks.set(contentId(context.page, node.asNumber()), { block: context.block, kind: context.kind })
      return
    }
    if (node instanceof PDFArray) {
      for (let i = 0; i < node.size(); i++) visit(node.get(i), context)
      return
    }
    if (!(node instanceof PDFDict)) return
    const page = (node.get(PDFName.of('Pg')) as PDFRef | undefined) ?? context.page
    const mcid = node.lookupMaybe(PDFName.of('MCID'), PDFNumber)
    if (mcid) {
      if (page && context.block !== undefined)
        blocks.set(contentId(page, mcid.asNumber()), { block: context.block, kind: context.kind })
      return
    }
    const role = node.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText()
    let inner: Context = { ...context, page }
    // A paragraph inside a paragraph, list item or heading (an inline span that a structure repair made a P) is part
    // of its text, not a block of its own.
    const nested = role === 'P' && context.inText
    if (role && BLOCK_ROLES.has(role) && context.kind !== 'figure' && !nested) {
      // Inside a table cell, the cell's paragraphs and list items stay table text.
      const kind = context.kind === 'cell' ? 'cell' : kindOf(role)
      inner = { block: nextBlock++, kind, page, inText: TEXT_ROLES.has(role) }
    }
    visit(node.get(PDFName.of('K')), inner)
  }
  visit(root.get(PDFName.of('K')), { kind: 'other' })
  return blocks
}

function kindOf(role: string): BlockKind {
  if (/^H\d?$/.test(role)) return 'heading'
  if (role === 'TD' || role === 'TH') return 'cell'
  if (role === 'Caption') return 'caption'
  if (role === 'Figure') return 'figure'
  return 'paragraph'
}

/** pdfjs's name for a marked-content sequence: `p` + the page's object reference + `_mc` + the MCID. */
function contentId(page: PDFRef, mcid: number): string {
  const reference =
    page.generationNumber === 0 ? `${page.objectNumber}R` : `${page.objectNumber}R${page.generationNumber}`
  return `p${reference}_mc${mcid}`
}
