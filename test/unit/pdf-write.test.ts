/**
 * The finished PDF's writer: object streams deflated at level 9 and a predicted cross-reference stream, read back
 * object for object, and smaller than pdf-lib's own stream writer.
 */
import { PDFDocument, PDFName, PDFRawStream, PDFStreamWriter, StandardFonts } from '@cantoo/pdf-lib'
import { describe, expect, it } from 'vitest'
import { pngUp, writeCompressedPdf } from '../../build/pdf/conform/write.ts'

/** A document with a page, a font and 1,500 small dictionaries, like a structure tree's elements. */
async function sample(): Promise<PDFDocument> {
  const document = await PDFDocument.create({ updateMetadata: false })
  document.setTitle('Sample')
  const page = document.addPage([200, 200])
  page.drawText('Text', { font: await document.embedFont(StandardFonts.Helvetica), x: 10, y: 180, size: 9 })
  const { context } = document
  let parent = context.register(context.obj({ Type: 'StructTreeRoot' }))
  for (let index = 0; index < 1500; index++) {
    const element = context.obj({ Type: 'StructElem', S: index % 3 ? 'Span' : 'P', P: parent, Pg: page.ref, K: index })
    parent = context.register(element)
  }
  await document.flush()
  return document
}

describe('writeCompressedPdf', () => {
  it('writes every object so that it reads back the same, in two object streams, smaller than pdf-lib does', async () => {
    const document = await sample()
    const { context } = document
    const written = writeCompressedPdf(context, 1000)
    const pdfLib = await PDFStreamWriter.forContext(context, 50, true, 1000).serializeToBuffer()
    expect(written.length).toBeLessThan(pdfLib.length - 1000)

    const loaded = await PDFDocument.load(written, { updateMetadata: false })
    const objects = (doc: PDFDocument) =>
      doc.context
        .enumerateIndirectObjects()
        .filter(([, object]) => !(object instanceof PDFRawStream && object.dict.has(PDFName.of('Type'))))
        .map(([ref, object]) => `${ref.toString()} ${object instanceof PDFRawStream ? object.dict : object}`)
    const readBack = objects(loaded)
    expect(readBack.length).toBeGreaterThan(1500)
    // Content streams are raw once loaded; compare what both sides hold as plain objects, and the stream count.
    const plain = (list: string[]) => list.filter((line) => !line.includes('/Length'))
    expect(plain(readBack)).toEqual(plain(objects(document)))
    expect(loaded.getPageCount()).toBe(1)
    expect(loaded.getTitle()).toBe('Sample')

    const text = written.toString('latin1')
    expect(text.match(/\/Type \/ObjStm/g)).toHaveLength(2)
    expect(text).toMatch(/\/DecodeParms <<\n\/Predictor 12\n\/Columns \d+\n>>/)
    expect(text).toMatch(/startxref\n\d+\n%%EOF$/)
  })

  it('gives the same bytes for the same document', async () => {
    const [a, b] = [await sample(), await sample()]
    expect(writeCompressedPdf(a.context, 1000).equals(writeCompressedPdf(b.context, 1000))).toBe(true)
  })
})

describe('pngUp', () => {
  it('stores each row as its difference from the row above, after the Up type byte, and inflates back', () => {
    const rows = Uint8Array.from([1, 0, 10, 1, 0, 12, 2, 3, 1])
    const predicted = pngUp(rows, 3)
    expect([...predicted]).toEqual([2, 1, 0, 10, 2, 0, 0, 2, 2, 1, 3, 245])
    // Undo it as a reader does.
    const undone: number[] = []
    for (let row = 0; row < 3; row++)
      for (let column = 0; column < 3; column++)
        undone.push((predicted[row * 4 + 1 + column]! + (row > 0 ? undone[(row - 1) * 3 + column]! : 0)) & 0xff)
    expect(undone).toEqual([...rows])
  })
})
