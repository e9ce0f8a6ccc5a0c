/**
 * The structure tree Chromium writes, made to follow PDF/UA-1: list items
 * hold Lbl and LBody, pictures carry alternate text and a bounding box, table
 * headers a scope, non-standard types are role-mapped, and NonStruct
 * wrappers become Div or Span.
 */
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRef,
  type PDFContext,
  type PDFObject,
} from '@cantoo/pdf-lib'
import { union, type Box } from './measure.ts'

/** The standard structure types of PDF 1.7 (ISO 32000-1 §14.8.4). */
const STANDARD = new Set(
  (
    'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody ' +
    'Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP ' +
    'Figure Formula Form'
  ).split(' '),
)
/** Types that stand on their own line; a wrapper holding one of them is a Div, otherwise a Span. */
const BLOCK = new Set(
  'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Figure Formula Form'.split(
    ' ',
  ),
)
/** Types that group blocks: text standing directly in one of them is a paragraph of its own. */
const GROUPING = new Set('Document Part Art Sect Div BlockQuote TOC TOCI Index LBody Note'.split(' '))
/** Non-standard types Chromium may write, and their nearest standard type. */
const ROLES: Record<string, string> = {
  Strong: 'Span',
  Em: 'Span',
  Mark: 'Span',
  Sub: 'Span',
  Sup: 'Span',
  Title: 'H1',
  FENote: 'Note',
}

/** What the structure fixes need to know about the page content. */
export interface PageFacts {
  /** Page object (as `n 0 R`) → 0-based index. */
  pageIndex: Map<string, number>
  /** Per page: MCID → text. */
  texts: Map<number, string>[]
  /** Per page: MCID → painted box. */
  boxes: Map<number, Box>[]
  /** Per page: MCIDs that paint only paths (see `measureMarkedContent`). */
  decorations: Set<number>[]
}

/** Types whose own paths are their content (a chart, a formula, a list bullet), not decoration. */
const PICTURES = new Set(['Figure', 'Formula', 'Form', 'Lbl'])

interface Element {
  ref: PDFRef
  dict: PDFDict
  type: string
  parent?: Element
  children: Element[]
}

const name = (value: string) => PDFName.of(value)

/** A structure kid's marked-content id: the kid itself (a number), or the MCID of its marked-content reference. */
function mcidOf(kid: unknown, target: unknown): number | undefined {
  if (kid instanceof PDFNumber) return kid.asNumber()
  return target instanceof PDFDict ? target.lookupMaybe(name('MCID'), PDFNumber)?.asNumber() : undefined
}

/**
 * Apply every fix to the tree under the catalog's /StructTreeRoot; a PDF without one is left alone. Returns, per
 * page, the MCIDs taken out of the tree as decoration, whose content the caller must mark as Artifact.
 */
export function fixStructure(context: PDFContext, catalog: PDFDict, facts: PageFacts): Set<number>[] {
  const root = catalog.lookupMaybe(name('StructTreeRoot'), PDFDict)
  if (!root) return []
  const tree = new StructTree(context, root, facts)
  const untagged = tree.untagDecorations()
  tree.wrapListBodies()
  tree.fixFigures()
  tree.scopeHeaders()
  tree.replaceNonStruct()
  tree.roleMap()
  return untagged
}

export class StructTree {
  readonly elements: Element[] = []
  private readonly parentTree: Map<number, NumberTreeSlot>

  constructor(
    readonly context: PDFContext,
    private readonly root: PDFDict,
    private readonly facts: PageFacts,
  ) {
    this.parentTree = readNumberTree(context, root.lookupMaybe(name('ParentTree'), PDFDict))
    for (const kid of this.kids(root)) if (kid instanceof PDFRef) this.collect(kid, undefined)
  }

  private collect(ref: PDFRef, parent: Element | undefined): void {
    const dict = this.context.lookup(ref)
    if (!(dict instanceof PDFDict) || !dict.has(name('S'))) return
    const element: Element = { ref, dict, type: dict.lookup(name('S'), PDFName).decodeText(), parent, children: [] }
    parent?.children.push(element)
    this.elements.push(element)
    for (const kid of this.kids(dict)) if (kid instanceof PDFRef) this.collect(kid, element)
  }

  /** An element's /K as a list: element refs, MCIDs (numbers) and MCR/OBJR dictionaries. */
  kids(dict: PDFDict): PDFObject[] {
    const k = dict.get(name('K'))
    if (k === undefined) return []
    if (k instanceof PDFArray) return k.asArray()
    return [k]
  }

  private setType(element: Element, type: string): void {
    element.type = type
    element.dict.set(name('S'), name(type))
  }

  /** The 0-based page an element's direct marked content is on. */
  private pageOf(dict: PDFDict | undefined): number | undefined {
    const page = dict && this.pageRefOf(dict)
    return page && this.facts.pageIndex.get(page.toString())
  }

  /** The page an element's direct marked content is on: its /Pg, or its nearest ancestor's. */
  private pageRefOf(dict: PDFDict): PDFRef | undefined {
    for (let d: PDFDict | undefined = dict; d; d = d.lookupMaybe(name('P'), PDFDict)) {
      const page = d.get(name('Pg'))
      if (page instanceof PDFRef) return page
    }
    return undefined
  }

  /** Visit the marked content of an element and its descendants as (page, MCID). */
  private eachMcid(element: Element, visit: (page: number, mcid: number) => void): void {
    for (const kid of this.kids(element.dict)) {
      if (kid instanceof PDFNumber) {
        const page = this.pageOf(element.dict)
        if (page !== undefined) visit(page, kid.asNumber())
        continue
      }
      const target = kid instanceof PDFRef ? this.context.lookup(kid) : kid
      if (!(target instanceof PDFDict)) continue
      const mcid = target.get(name('MCID'))
      if (mcid instanceof PDFNumber) {
        const pg = target.get(name('Pg'))
        const page = pg instanceof PDFRef ? this.facts.pageIndex.get(pg.toString()) : this.pageOf(element.dict)
        if (page !== undefined) visit(page, mcid.asNumber())
      }
    }
    for (const child of element.children) this.eachMcid(child, visit)
  }

  /** The text of an element's content, in reading order. */
  textOf(element: Element): string {
    let text = ''
    this.eachMcid(element, (page, mcid) => (text += this.facts.texts[page]?.get(mcid) ?? ''))
    return text.replace(/\s+/g, ' ').trim()
  }

  /** LI children other than Lbl and LBody go into one LBody (PDF/UA-1 7.2, ISO 32000-1 §14.8.4.3.3). */
  wrapListBodies(): void {
    for (const item of this.elements.filter((e) => e.type === 'LI')) {
      const kids = this.kids(item.dict)
      const body = kids.filter((kid) => !(kid instanceof PDFRef && ['Lbl', 'LBody'].includes(this.typeOfRef(kid))))
      if (body.length === 0) continue
      const dict = this.context.obj({ Type: 'StructElem', S: 'LBody', P: item.ref }) as PDFDict
      const page = item.dict.get(name('Pg'))
      if (page) dict.set(name('Pg'), page)
      const ref = this.context.register(dict)
      dict.set(name('K'), this.context.obj(body))
      const lbody: Element = { ref, dict, type: 'LBody', parent: item, children: [] }
      for (const kid of body) this.adopt(kid, lbody)
      const kept = kids.filter((kid) => !body.includes(kid))
      const at = kids.indexOf(body[0]!)
      item.dict.set(name('K'), this.context.obj([...kept.slice(0, at), ref, ...kept.slice(at)]))
      item.children = [...item.children.filter((c) => !body.includes(c.ref)), lbody]
      this.elements.push(lbody)
    }
  }

  private typeOfRef(ref: PDFRef): string {
    return this.elements.find((e) => e.ref === ref)?.type ?? ''
  }

  /** Make `element` the parent of `kid`: an element's /P, or the parent tree entry of an MCID or annotation. */
  private adopt(kid: PDFObject, element: Element): void {
    if (kid instanceof PDFRef) {
      const child = this.elements.find((e) => e.ref === kid)
      if (child) {
        child.parent = element
        child.dict.set(name('P'), element.ref)
        element.children.push(child)
        return
      }
    }
    const target = kid instanceof PDFRef ? this.context.lookup(kid) : kid
    if (target instanceof PDFDict && target.has(name('Obj'))) {
      const annotation = target.lookupMaybe(name('Obj'), PDFDict)
      const key = annotation?.get(name('StructParent'))
      if (key instanceof PDFNumber) this.setParentTree(key.asNumber(), undefined, element.ref)
      return
    }
    const mcid = mcidOf(kid, target)
    const pageRef =
      (target instanceof PDFDict ? target.get(name('Pg')) : undefined) ?? element.parent?.dict.get(name('Pg'))
    const page = pageRef instanceof PDFRef ? this.context.lookup(pageRef) : undefined
    const key = page instanceof PDFDict ? page.get(name('StructParents')) : undefined
    if (mcid !== undefined && key instanceof PDFNumber) this.setParentTree(key.asNumber(), mcid, element.ref)
  }

  /**
   * Borders, rules and backgrounds that Chromium tags as content of their element (a table's frame, a heading's
   * rule, a cell's fill) leave the tree, to be marked as Artifacts. Elements left with nothing go too.
   */
  untagDecorations(): Set<number>[] {
    const untagged: Set<number>[] = this.facts.decorations.map(() => new Set<number>())
    for (const element of [...this.elements]) {
      if (PICTURES.has(element.type)) continue
      const kids = this.kids(element.dict)
      const kept = kids.filter((kid) => {
        const target = kid instanceof PDFRef ? this.context.lookup(kid) : kid
        const mcid = mcidOf(kid, target)
        const pg = target instanceof PDFDict ? target.get(name('Pg')) : undefined
        const page = pg instanceof PDFRef ? this.facts.pageIndex.get(pg.toString()) : this.pageOf(element.dict)
        if (mcid === undefined || page === undefined || !this.facts.decorations[page]?.has(mcid)) return true
        untagged[page]!.add(mcid)
        const pageDict = this.context.lookup(pg instanceof PDFRef ? pg : this.pageRefOf(element.dict))
        const key = pageDict instanceof PDFDict ? pageDict.get(name('StructParents')) : undefined
        if (key instanceof PDFNumber) this.setParentTree(key.asNumber(), mcid, PDFNull)
        return false
      })
      if (kept.length === kids.length) continue
      element.dict.set(name('K'), this.context.obj(kept))
      if (kept.length === 0) this.remove(element)
    }
    return untagged
  }

  /** Take an element without content out of its parent, and the parent too if that leaves it empty. */
  private remove(element: Element): void {
    this.elements.splice(this.elements.indexOf(element), 1)
    const parent = element.parent
    if (!parent) return
    parent.children = parent.children.filter((child) => child !== element)
    const kids = this.kids(parent.dict).filter((kid) => kid !== element.ref)
    parent.dict.set(name('K'), this.context.obj(kids))
    if (kids.length === 0) this.remove(parent)
  }

  private setParentTree(key: number, mcid: number | undefined, ref: PDFRef | typeof PDFNull): void {
    const slot = this.parentTree.get(key)
    if (!slot) return
    if (mcid === undefined) {
      slot.nums.set(slot.at + 1, ref)
      return
    }
    const entry = slot.nums.get(slot.at + 1)
    const array = entry instanceof PDFRef ? this.context.lookup(entry) : entry
    if (array instanceof PDFArray && mcid < array.size()) array.set(mcid, ref)
  }

  /**
   * A Figure that holds another Figure is the HTML `<figure>` around a chart: a group, so a Div. Every
   * remaining Figure gets /Alt (its own text, or its group's caption) and a /Layout /BBox.
   */
  fixFigures(): void {
    const figures = this.elements.filter((e) => e.type === 'Figure')
    for (const figure of figures) {
      if (figures.some((other) => other !== figure && this.isAncestor(figure, other))) this.setType(figure, 'Div')
    }
    for (const figure of this.elements.filter((e) => e.type === 'Figure')) {
      if (!figure.dict.has(name('Alt')) && !figure.dict.has(name('ActualText'))) {
        const caption = figure.parent?.children.find((c) => c.type === 'Caption')
        const alt = this.textOf(figure) || (caption ? this.textOf(caption) : '')
        if (alt) figure.dict.set(name('Alt'), PDFHexString.fromText(alt))
      }
      let box: Box | undefined
      let onPage: number | undefined
      this.eachMcid(figure, (page, mcid) => {
        const painted = this.facts.boxes[page]?.get(mcid)
        if (painted && (onPage === undefined || onPage === page)) {
          onPage = page
          box = union(box, painted)
        }
      })
      if (box)
        this.addAttribute(
          figure,
          this.context.obj({ O: 'Layout', BBox: box.map((v) => Math.round(v * 100) / 100) }) as PDFDict,
        )
    }
  }

  private isAncestor(ancestor: Element, element: Element): boolean {
    for (let e = element.parent; e; e = e.parent) if (e === ancestor) return true
    return false
  }

  /** Add an attribute object to /A, which may be absent, one dictionary or an array. */
  private addAttribute(element: Element, attribute: PDFDict): void {
    const existing = element.dict.get(name('A'))
    if (existing === undefined) element.dict.set(name('A'), attribute)
    else if (existing instanceof PDFArray) existing.push(attribute)
    else element.dict.set(name('A'), this.context.obj([existing, attribute]))
  }

  /** TH in a row of headers heads its column; a TH among data cells heads its row. */
  scopeHeaders(): void {
    for (const header of this.elements.filter((e) => e.type === 'TH')) {
      const row = header.parent
      const scope = row && row.children.every((cell) => cell.type === 'TH') ? 'Column' : 'Row'
      const attributes = header.dict.get(name('A'))
      const list = attributes instanceof PDFArray ? attributes.asArray() : attributes ? [attributes] : []
      const table = list
        .map((a) => (a instanceof PDFRef ? this.context.lookup(a) : a))
        .find((a): a is PDFDict => a instanceof PDFDict && a.get(name('O')) === name('Table'))
      if (table) table.set(name('Scope'), name(scope))
      else this.addAttribute(header, this.context.obj({ O: 'Table', Scope: scope }) as PDFDict)
    }
  }

  /**
   * NonStruct wrappers become Div when they hold block-level elements; otherwise P when they stand in a grouping
   * element (a run of text on its own), Span inside text. Deepest first, so that a wrapper sees its children's types.
   */
  replaceNonStruct(): void {
    for (const element of [...this.elements].reverse()) {
      if (element.type === 'NonStruct' && element.children.some((c) => BLOCK.has(ROLES[c.type] ?? c.type)))
        this.setType(element, 'Div')
    }
    for (const element of this.elements) {
      if (element.type === 'NonStruct')
        this.setType(element, GROUPING.has(element.parent?.type ?? 'Document') ? 'P' : 'Span')
    }
  }

  /** Map every non-standard type to a standard one in /RoleMap. */
  roleMap(): void {
    const map = this.root.lookupMaybe(name('RoleMap'), PDFDict) ?? (this.context.obj({}) as PDFDict)
    for (const element of this.elements) {
      if (STANDARD.has(element.type) || map.has(name(element.type))) continue
      const block = element.children.some((c) => BLOCK.has(c.type))
      map.set(name(element.type), name(ROLES[element.type] ?? (block ? 'Div' : 'Span')))
    }
    if (map.keys().length > 0) this.root.set(name('RoleMap'), map)
  }
}

/** Where a number tree keeps one key's value: `nums[at + 1]`. */
interface NumberTreeSlot {
  nums: PDFArray
  at: number
}

/** A number tree's entries (ISO 32000-1 §7.9.7), following /Kids. */
function readNumberTree(
  context: PDFContext,
  node: PDFDict | undefined,
  into = new Map<number, NumberTreeSlot>(),
): Map<number, NumberTreeSlot> {
  if (!node) return into
  const nums = node.lookupMaybe(name('Nums'), PDFArray)
  for (let i = 0; nums && i + 1 < nums.size(); i += 2) {
    const key = nums.get(i)
    if (key instanceof PDFNumber) into.set(key.asNumber(), { nums, at: i })
  }
  for (const kid of node.lookupMaybe(name('Kids'), PDFArray)?.asArray() ?? []) {
    const child = context.lookup(kid)
    if (child instanceof PDFDict) readNumberTree(context, child, into)
  }
  return into
}
