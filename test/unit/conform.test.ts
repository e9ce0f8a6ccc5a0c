/**
 * Finishing to PDF/UA-1 and PDF/A-2: artifacts, compact text, structure repairs, and the readback check that
 * guards them.
 */
import {
  decodePDFRawStream,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  StandardFonts,
  type PDFRef,
} from '@cantoo/pdf-lib'
import { describe, expect, it } from 'vitest'
import { compactText } from '../../build/pdf/conform/compact.ts'
import { parseContent, wrapArtifacts } from '../../build/pdf/conform/content.ts'
import { conformPdf } from '../../build/pdf/conform/index.ts'
import { measureMarkedContent } from '../../build/pdf/conform/measure.ts'
import { softHyphenCmap } from '../../build/pdf/conform/unicode.ts'
import { conformanceProblems } from '../helpers/conformance.ts'

describe('wrapArtifacts', () => {
  it('wraps unmarked paths and text, and leaves tagged content and clipping alone', () => {
    const source = [
      'q 0 0 10 10 re W n',
      '1 0 0 rg 0 0 5 5 re f',
      '/P <</MCID 0 >>BDC BT /F1 9 Tf (a) Tj ET EMC',
      'BT /F1 9 Tf (folio) Tj ET Q',
    ].join('\n')
    expect(wrapArtifacts(source)).toBe(
      [
        'q 0 0 10 10 re W n',
        '1 0 0 rg /Artifact BMC\n0 0 5 5 re f',
        'EMC\n/P <</MCID 0 >>BDC BT /F1 9 Tf (a) Tj ET EMC',
        '/Artifact BMC\nBT /F1 9 Tf (folio) Tj ET EMC\nQ',
      ].join('\n'),
    )
  })

  it('wraps single text operators inside a text object that has marked content, and content of untagged sequences', () => {
    const source = 'BT (x) Tj /Span <</MCID 3 >>BDC (y) Tj EMC /ReversedChars BMC (z) Tj EMC ET'
    expect(wrapArtifacts(source)).toBe(
      'BT /Artifact BMC\n(x) Tj EMC\n/Span <</MCID 3 >>BDC (y) Tj EMC /ReversedChars BMC /Artifact BMC\n(z) Tj EMC\nEMC ET',
    )
  })

  it('reads strings, dictionaries and arrays with delimiters inside as single operands', () => {
    const operations = parseContent('/Span <</ActualText (a >> b) /MCID 1>> BDC [(x\\)) -20 <00AB>] TJ EMC')
    expect(operations.map((op) => [op.operator, op.operands.length])).toEqual([
      ['BDC', 2],
      ['TJ', 1],
      ['EMC', 0],
    ])
  })
})

describe('compactText', () => {
  it('merges glyph-by-glyph runs into TJ, keeping every glyph where it was', () => {
    const widths = () => (code: number) => (code === 1 ? 500 : 1000)
    const source = 'BT /F5 10 Tf 1 0 0 -1 0 0 Tm <0001> Tj 5 0 Td <0002> Tj 9.9 0 Td <0002> Tj 3 4 Td <0002> Tj ET'
    // 0002 advances 10 but moves 9.9: an adjustment of +10 thousandths of an em; the run ends before a move, so the
    // line start is carried over with a Td of the distance moved.
    expect(compactText(source, widths)).toBe(
      'BT /F5 10 Tf 1 0 0 -1 0 0 Tm [<0001> <0002> 10 <0002>] TJ\n14.9 0 Td 3 4 Td <0002> Tj ET',
    )
  })

  it('leaves text with character spacing alone', () => {
    const source = 'BT /F5 10 Tf 1 Tc <0001> Tj 5 0 Td <0002> Tj ET'
    expect(compactText(source, () => () => 500)).toBe(source)
  })
})

describe('measureMarkedContent', () => {
  it('gives each MCID the box of what it paints, through the CTM, and tells decoration (paths only) from content', () => {
    const marked = measureMarkedContent(
      'q 2 0 0 2 10 20 cm /Div <</MCID 4 >>BDC 0 0 5 5 re f EMC /P <</MCID 5 >>BDC 0 0 1 1 re f BT (a) Tj ET EMC Q',
    )
    expect(marked.boxes.get(4)).toEqual([10, 20, 20, 30])
    expect(marked.decorations).toEqual(new Set([4]))
  })
})

/** A one-page tagged PDF: a paragraph, an unmarked rectangle, a Figure without Alt, a list item without LBody. */
async function taggedSample(): Promise<Uint8Array> {
  const document = await PDFDocument.create({ updateMetadata: false })
  document.setTitle('Sample')
  document.setCreationDate(new Date(Date.UTC(2020, 4, 1)))
  document.setModificationDate(new Date(Date.UTC(2020, 4, 1)))
  const font = await document.embedFont(StandardFonts.Helvetica)
  const page = document.addPage([200, 200])
  page.node.setFontDictionary(PDFName.of('F1'), font.ref)
  const { context } = document
  const content = [
    '/P <</MCID 0 >>BDC BT /F1 9 Tf 10 180 Td (Text) Tj ET EMC',
    '/P <</MCID 3 >>BDC 10 176 50 1 re f EMC',
    '0 0 1 rg 10 150 50 10 re f',
    '/Figure <</MCID 1 >>BDC 10 60 80 80 re f BT /F1 9 Tf 10 50 Td (Chart of sales) Tj ET EMC',
    '/LI <</MCID 2 >>BDC BT /F1 9 Tf 10 20 Td (Item) Tj ET EMC',
  ].join('\n')
  page.node.set(PDFName.of('Contents'), context.register(context.flateStream(content)))
  page.node.set(PDFName.of('StructParents'), context.obj(0))
  const element = (type: string, kids: number | (number | PDFRef)[]) =>
    context.register(context.obj({ Type: 'StructElem', S: type, Pg: page.ref, K: kids }))
  const paragraph = element('P', [0, 3])
  const figure = element('Figure', 1)
  const item = element('LI', 2)
  const list = element('L', [item])
  const root = context.obj({ Type: 'StructTreeRoot' }) as PDFDict
  const rootRef = context.register(root)
  const documentElement = element('Document', [paragraph, figure, list])
  for (const [child, parent] of [
    [paragraph, documentElement],
    [figure, documentElement],
    [list, documentElement],
    [item, list],
    [documentElement, rootRef],
  ] as [PDFRef, PDFRef][]) {
    ;(context.lookup(child) as PDFDict).set(PDFName.of('P'), parent)
  }
  root.set(PDFName.of('K'), documentElement)
  root.set(PDFName.of('ParentTree'), context.obj({ Nums: [0, [paragraph, figure, item, paragraph]] }))
  document.catalog.set(PDFName.of('StructTreeRoot'), rootRef)
  return document.save({ useObjectStreams: false })
}

describe('conformPdf', () => {
  it('is caught by the readback check before, and passes it after', async () => {
    const sample = await taggedSample()
    expect(await conformanceProblems(sample)).toEqual([
      'page 1: 1 painting operators neither tagged nor marked as Artifact',
      'page 1: a Figure without Alt',
      'page 1: an LI without LBody',
      'no XMP metadata stream',
      'no output intent with an ICC profile',
      'no trailer /ID',
      'no /Lang',
      'no DisplayDocTitle',
    ])
    const finished = await conformPdf(sample, { language: 'en' })
    expect(await conformanceProblems(finished)).toEqual([])
    expect(await conformPdf(sample, { language: 'en' })).toEqual(finished)
  })

  it('gives the Figure its text as Alt and its painted box, and moves the list item content into LBody', async () => {
    const finished = await PDFDocument.load(await conformPdf(await taggedSample(), { language: 'en' }), {
      updateMetadata: false,
    })
    const elements = finished.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .filter((object): object is PDFDict => object instanceof PDFDict && object.has(PDFName.of('S')))
    const figure = elements.find((e) => e.get(PDFName.of('S')) === PDFName.of('Figure'))!
    expect(figure.lookup(PDFName.of('Alt'), PDFHexString).decodeText()).toBe('Chart of sales')
    expect(String(figure.get(PDFName.of('A')))).toMatch(/\/O \/Layout\s+\/BBox \[ 10 50 90 140 \]/)
    // The paragraph's rule (paths only) is decoration: out of the tree, an Artifact in the content.
    const paragraph = elements.find((e) => e.get(PDFName.of('S')) === PDFName.of('P'))!
    expect(String(paragraph.get(PDFName.of('K')))).toBe('[ 0 ]')
    const content = finished.getPages()[0]!.node.lookup(PDFName.of('Contents'))
    expect(content).toBeInstanceOf(PDFRawStream)
    expect(Buffer.from(decodePDFRawStream(content as PDFRawStream).decode()).toString('latin1')).toContain(
      '/Artifact BMC 10 176 50 1 re f EMC',
    )
    const body = elements.find((e) => e.get(PDFName.of('S')) === PDFName.of('LBody'))!
    expect(String(body.get(PDFName.of('K')))).toBe('[ 2 ]')
    const metadata = finished.catalog.lookup(PDFName.of('Metadata'))
    expect(metadata).toBeInstanceOf(PDFRawStream)
    expect(Buffer.from((metadata as PDFRawStream).contents).toString()).toContain(
      '<pdfaid:conformance>A</pdfaid:conformance>',
    )
  })
})

describe('softHyphenCmap', () => {
  const cmap = [
    '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange',
    '3 beginbfchar\n<0003> <0020>\n<0072> <0000>\n<0075><0000>\nendbfchar',
    '1 beginbfrange\n<0010> <0012> <0000>\nendbfrange',
  ].join('\n')

  it('maps the glyphs drawn for no character (the hyphen at a soft-hyphen break) to U+00AD, and nothing else', () => {
    let changed = 0
    const fixed = softHyphenCmap(cmap, () => changed++)
    expect(changed).toBe(2)
    expect(fixed).toContain('<0072> <00AD>')
    expect(fixed).toContain('<0075><00AD>')
    expect(fixed).toContain('<0003> <0020>')
    // A code space range and a bfrange name source codes: their <0000> is not a character.
    expect(fixed).toContain('<0000> <FFFF>')
    expect(fixed).toContain('<0010> <0012> <0000>')
  })

  it('leaves a CMap without such a glyph as it was', () => {
    const clean = cmap.replace('<0072> <0000>\n<0075><0000>\n', '')
    expect(softHyphenCmap(clean)).toBe(clean)
  })
})
