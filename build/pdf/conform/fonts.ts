/**
 * Chromium embeds each font as a CIDFontType2 whose TrueType program keeps
 * tables a PDF reader never consults: `cmap` (a CIDFont's codes reach glyphs
 * through /CIDToGIDMap), `vhea` and `vmtx` (vertical metrics come from /W2),
 * `OS/2`, `name`, `post`, `STAT`, `gasp`. PDF 1.7 (ISO 32000-1 §9.9, Adobe's
 * PDF Reference §5.8) requires only the tables below. Dropping the rest saves
 * about 9 KB of a CJK book; the glyph outlines, metrics and hinting are kept
 * byte for byte.
 */
import zlib from 'node:zlib'
import { PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, decodePDFRawStream, type PDFContext } from '@cantoo/pdf-lib'

/** What a TrueType program embedded for a CIDFont needs (`cvt `, `fpgm`, `prep` when the font is hinted). */
export const CID_FONT_TABLES: ReadonlySet<string> = new Set([
  'head',
  'hhea',
  'loca',
  'maxp',
  'cvt ',
  'prep',
  'glyf',
  'hmtx',
  'fpgm',
])

/** sfnt versions of TrueType outlines: 1.0 and Apple's `true`. */
const TRUETYPE_VERSIONS = new Set([0x00010000, 0x74727565])
/** The font's whole checksum plus head.checkSumAdjustment equals this (OpenType spec, `head` table). */
const CHECKSUM_MAGIC = 0xb1b0afba
const HEADER_BYTES = 12
const ENTRY_BYTES = 16
/** Where checkSumAdjustment sits in the `head` table. */
const HEAD_ADJUSTMENT_AT = 8

/**
 * Rewrite every CIDFontType2's embedded TrueType program with only the tables a CIDFont needs, in place. A program
 * shared by several fonts is rewritten once; one that is not a plain TrueType sfnt is left alone. Returns the bytes
 * saved (uncompressed).
 */
export function slimCidFonts(context: PDFContext): number {
  const done = new Set<string>()
  let saved = 0
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Subtype')) !== PDFName.of('CIDFontType2')) continue
    const ref = object.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict)?.get(PDFName.of('FontFile2'))
    if (!(ref instanceof PDFRef) || done.has(ref.toString())) continue
    done.add(ref.toString())
    const stream = context.lookup(ref)
    if (!(stream instanceof PDFRawStream)) continue
    // zlib rather than pdf-lib's JavaScript inflater, several times slower on these 100–300 KB programs.
    const flate = stream.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode')
    const program = flate ? zlib.inflateSync(stream.contents) : decodePDFRawStream(stream).decode()
    const slim = keepTables(program, CID_FONT_TABLES)
    if (slim === undefined) continue
    saved += program.length - slim.length
    const data = zlib.deflateSync(slim, { level: 9 })
    const dict = context.obj({ Length1: PDFNumber.of(slim.length), Filter: 'FlateDecode', Length: data.length })
    context.assign(ref, PDFRawStream.of(dict as PDFDict, data))
  }
  return saved
}

/**
 * A TrueType font with only the tables named in `keep`, each copied byte for byte, with a new table directory:
 * entries sorted by tag, tables 4-byte aligned, checksums and head.checkSumAdjustment recomputed. Undefined when the
 * data is not a TrueType sfnt (a collection, CFF outlines) or has no `head` table.
 */
export function keepTables(font: Uint8Array, keep: ReadonlySet<string>): Buffer | undefined {
  const source = Buffer.from(font.buffer, font.byteOffset, font.byteLength)
  if (source.length < HEADER_BYTES || !TRUETYPE_VERSIONS.has(source.readUInt32BE(0))) return undefined
  const count = source.readUInt16BE(4)
  const tables: { tag: string; data: Buffer }[] = []
  for (let i = 0; i < count; i++) {
    const entry = HEADER_BYTES + i * ENTRY_BYTES
    const tag = source.toString('latin1', entry, entry + 4)
    const offset = source.readUInt32BE(entry + 8)
    const length = source.readUInt32BE(entry + 12)
    if (offset + length > source.length) throw new Error(`Unexpected font structure: table ${tag} ends past the file`)
    if (keep.has(tag)) tables.push({ tag, data: source.subarray(offset, offset + length) })
  }
  if (!tables.some((table) => table.tag === 'head')) return undefined
  tables.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))

  const directoryBytes = HEADER_BYTES + tables.length * ENTRY_BYTES
  const out = Buffer.alloc(directoryBytes + tables.reduce((sum, table) => sum + padded(table.data.length), 0))
  source.copy(out, 0, 0, 4)
  // The binary-search fields of the directory (OpenType spec, "Table directory").
  const power = 2 ** Math.floor(Math.log2(tables.length))
  out.writeUInt16BE(tables.length, 4)
  out.writeUInt16BE(power * ENTRY_BYTES, 6)
  out.writeUInt16BE(Math.log2(power), 8)
  out.writeUInt16BE((tables.length - power) * ENTRY_BYTES, 10)
  let at = directoryBytes
  let headAt = 0
  tables.forEach(({ tag, data }, index) => {
    data.copy(out, at)
    if (tag === 'head') {
      headAt = at
      out.writeUInt32BE(0, at + HEAD_ADJUSTMENT_AT)
    }
    const entry = HEADER_BYTES + index * ENTRY_BYTES
    out.write(tag, entry, 'latin1')
    out.writeUInt32BE(checksum(out, at, data.length), entry + 4)
    out.writeUInt32BE(at, entry + 8)
    out.writeUInt32BE(data.length, entry + 12)
    at += padded(data.length)
  })
  out.writeUInt32BE((CHECKSUM_MAGIC - checksum(out, 0, out.length)) >>> 0, headAt + HEAD_ADJUSTMENT_AT)
  return out
}

function padded(length: number): number {
  return (length + 3) & ~3
}

/** The sum of the big-endian 32-bit words from `start`, the last one padded with zeros (which `out` holds). */
function checksum(data: Buffer, start: number, length: number): number {
  let sum = 0
  for (let i = start; i < start + padded(length); i += 4) sum = (sum + data.readUInt32BE(i)) >>> 0
  return sum
}
