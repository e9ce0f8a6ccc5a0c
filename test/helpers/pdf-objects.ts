/** A PDF's objects as text, for assertions that must see inside object streams. */
import { PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from '@cantoo/pdf-lib'

/**
 * Every indirect object, in object-number order, as `n 0 R` and its text: what a PDF says, without its file layout
 * (object and cross-reference streams are unpacked, not listed). With `streams`, stream data is decoded and included.
 */
export async function pdfObjectsText(pdf: Uint8Array, options: { streams?: boolean } = {}): Promise<string> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false })
  const layout = (object: unknown) =>
    object instanceof PDFRawStream && ['/XRef', '/ObjStm'].includes(String(object.dict.get(PDFName.of('Type'))))
  return document.context
    .enumerateIndirectObjects()
    .filter(([, object]) => !layout(object))
    .map(([ref, object]) => {
      if (!(object instanceof PDFRawStream)) return `${ref.toString()}\n${object.toString()}`
      const data = options.streams ? Buffer.from(decodePDFRawStream(object).decode()).toString('latin1') : ''
      return `${ref.toString()}\n${object.dict.toString()}\n${data}`
    })
    .join('\n')
}
