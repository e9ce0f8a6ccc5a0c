/**
 * The pdf stage's layout step: check the final PDF, and turn what it finds into diagnostics placed in the
 * chapters.
 */
import type { Element, Root as HastRoot } from 'hast'
import { visit, SKIP } from 'unist-util-visit'
import type { BookModel } from '../../collect/model.ts'
import type { Diagnostic } from '../../diagnostics.ts'
import type { PdfReadback } from '../readback.ts'
import { checkLayout, pageRoles, type LayoutOptions } from './check.ts'
import type { Finding } from './checks.ts'
import { layoutDiagnostics } from './report.ts'
import { searchProbes } from './search.ts'

export interface LayoutRequest extends LayoutOptions {
  /** Every chapter's rendered tree (chapter id → hast): what the text layer must give back. */
  trees: Map<string, HastRoot>
  /** Every chapter's Markdown source (file → text), to place findings. */
  sources: Map<string, string>
  /** Findings are errors that fail the build, instead of a summary line. */
  strict?: boolean
}

export interface LayoutResult {
  findings: Finding[]
  diagnostics: Diagnostic[]
  /** Sections the copyfit pass tightened, and how. */
  copyfit?: { section: string; title: string; leading: number; tracking: number }[]
}

/** Check the printed book's make-up; see `checkLayout`. */
export async function verifyLayout(
  pdf: Uint8Array,
  readback: PdfReadback,
  model: BookModel,
  request: LayoutRequest,
): Promise<LayoutResult> {
  const roles = pageRoles(
    readback,
    model.chapters.map((c) => c.id),
    model.parts.map((p) => p.id),
  )
  const probes = searchProbes([...request.trees.values()].flatMap(textBlocks))
  const findings = await checkLayout({ pdf, readback, roles, probes }, request)
  const chapters = model.chapters.flatMap((chapter) => {
    const firstPage = readback.destinations.get(chapter.id)
    const source = request.sources.get(chapter.file)
    return firstPage === undefined || source === undefined ? [] : [{ file: chapter.file, source, firstPage }]
  })
  const folios = readback.pages.map((page) => page.footer)
  const severity = request.strict ? 'error' : 'warning'
  return { findings, diagnostics: layoutDiagnostics(findings, chapters, folios, 'whitepaper.pdf', severity) }
}

const BLOCKS = new Set(['p', 'li', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'figcaption', 'caption', 'dt', 'dd'])

/** The text of every block element a reader sees (not what is hidden from them), innermost blocks on their own. */
export function textBlocks(tree: HastRoot | Element): string[] {
  const blocks: string[] = []
  visit(tree, 'element', (node: Element) => {
    if (node.properties.ariaHidden === 'true' || node.properties.hidden) return SKIP
    if (BLOCKS.has(node.tagName)) blocks.push(textOf(node))
    return undefined
  })
  return blocks
}

function textOf(node: Element): string {
  let text = ''
  visit(node, (child) => {
    if (child.type === 'element' && (child.properties.ariaHidden === 'true' || child.properties.hidden)) return SKIP
    // A note's number is a mark set apart from the text (a ring, a superscript), not part of a phrase a reader
    // searches for: “中3” is not something anyone types. It parts the phrases around it.
    if (child.type === 'element' && child.tagName === 'sup') {
      text += ' '
      return SKIP
    }
    if (child.type === 'text') text += child.value
    return undefined
  })
  return text
}
