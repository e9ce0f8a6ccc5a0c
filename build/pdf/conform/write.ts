/**
 * Writing the finished PDF with compressed object streams and a compressed
 * cross-reference stream (ISO 32000-1 §7.5.7, §7.5.8), as pdf-lib's stream
 * writer lays them out, but smaller: pdf-lib deflates both at fflate's
 * default level and without a predictor, which it offers no option for.
 * Here the object streams are deflated at level 9, and the cross-reference
 * rows, which differ little from one to the next, go through the PNG Up
 * predictor first (§7.4.4.4): 2.6 KB of cross-reference stream becomes 0.4 KB.
 */
import zlib from 'node:zlib'
import {
  PDFArray,
  PDFCatalog,
  PDFCrossRefStream,
  PDFDict,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFObjectStream,
  PDFPageLeaf,
  PDFPageTree,
  PDFRawStream,
  PDFRef,
  PDFStream,
  type PDFContext,
  type PDFObject,
} from '@cantoo/pdf-lib'

/** PNG predictors, chosen per row, in a stream's /DecodeParms (ISO 32000-1 Table 8). */
const PNG_PREDICTORS = 12
/** The PNG filter type byte that starts each row: Up (each byte minus the one above it). */
const PNG_UP = 2

/** Anything pdf-lib can write: its objects, its header. */
interface Serializable {
  sizeInBytes(): number
  copyBytesInto(buffer: Uint8Array, offset: number): number
}

/**
 * The whole document: the header, then (like pdf-lib's `PDFStreamWriter`) the streams, the catalog, the page tree and
 * its pages as objects of their own, every other object in object streams of `objectsPerStream`, and a
 * cross-reference stream. The same context gives the same bytes.
 */
export function writeCompressedPdf(context: PDFContext, objectsPerStream: number): Buffer {
  const parts: Uint8Array[] = []
  let offset = 0
  const push = (bytes: Uint8Array | string) => {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes
    parts.push(data)
    offset += data.length
  }
  const { Root, Info, ID } = context.trailerInfo
  const xref = PDFCrossRefStream.create(context.obj({ Root, Info, ID }) as PDFDict, false)
  const writeObject = (ref: PDFRef, object: Serializable) => {
    xref.addUncompressedEntry(ref, offset)
    push(`${ref.objectNumber} ${ref.generationNumber} obj\n`)
    push(bytesOf(object))
    push('\nendobj\n\n')
  }

  push(bytesOf(context.header))
  push('\n\n')
  const packed: [PDFRef, PDFObject][] = []
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    // The loaded file's own cross-reference and object streams: their objects are in the context already.
    if (object instanceof PDFRawStream && ['XRef', 'ObjStm'].includes(String(object.dict.get(PDFName.of('Type')))))
      continue
    if (ownsEntry(ref, object)) writeObject(ref, object)
    else packed.push([ref, object])
  }
  let next = context.largestObjectNumber + 1
  for (let start = 0; start < packed.length; start += objectsPerStream) {
    const chunk = packed.slice(start, start + objectsPerStream)
    const ref = PDFRef.of(next++)
    chunk.forEach(([member], index) => xref.addCompressedEntry(member, ref, index))
    const stream = PDFObjectStream.withContextAndObjects(context, chunk, false)
    const data = zlib.deflateSync(stream.getUnencodedContents(), { level: 9 })
    const { dict } = stream
    dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'))
    writeObject(ref, PDFRawStream.of(dict, data))
  }
  const xrefRef = PDFRef.of(next++)
  xref.addUncompressedEntry(xrefRef, offset)
  const xrefAt = offset
  xref.dict.set(PDFName.of('Size'), context.obj(next))
  xref.updateDict()
  // Each row is one entry, its three fields as wide as /W says.
  const columns = xref.dict
    .lookup(PDFName.of('W'), PDFArray)
    .asArray()
    .reduce((sum, width) => sum + (width as PDFNumber).asNumber(), 0)
  const dict = xref.dict.clone(context)
  dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'))
  dict.set(PDFName.of('DecodeParms'), context.obj({ Predictor: PNG_PREDICTORS, Columns: columns }))
  const rows = pngUp(xref.getUnencodedContents(), columns)
  writeObject(xrefRef, PDFRawStream.of(dict, zlib.deflateSync(rows, { level: 9 })))
  push(`startxref\n${xrefAt}\n%%EOF`)
  return Buffer.concat(parts)
}

/** What pdf-lib's stream writer keeps out of object streams (streams must be; the rest it keeps for readers). */
function ownsEntry(ref: PDFRef, object: PDFObject): boolean {
  return (
    object instanceof PDFStream ||
    object instanceof PDFInvalidObject ||
    object instanceof PDFCatalog ||
    object instanceof PDFPageTree ||
    object instanceof PDFPageLeaf ||
    ref.generationNumber !== 0 ||
    (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Sig'))
  )
}

function bytesOf(object: Serializable): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes())
  object.copyBytesInto(bytes, 0)
  return bytes
}

/** Rows of `columns` bytes, each prefixed with the Up filter type and stored as its difference from the row above. */
export function pngUp(data: Uint8Array, columns: number): Buffer {
  const rows = data.length / columns
  const out = Buffer.alloc(rows * (columns + 1))
  for (let row = 0; row < rows; row++) {
    out[row * (columns + 1)] = PNG_UP
    for (let column = 0; column < columns; column++) {
      const at = row * columns + column
      out[row * (columns + 1) + 1 + column] = (data[at]! - (row > 0 ? data[at - columns]! : 0)) & 0xff
    }
  }
  return out
}
