/**
 * Embedded TrueType programs rewritten without the tables a CIDFont does not use: a real font in, its kept tables
 * byte for byte and a valid directory out, the outlines and advances unchanged when fontkit reads it back.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, decodePDFRawStream } from '@cantoo/pdf-lib'
import * as fontkit from 'fontkit'
import { describe, expect, it } from 'vitest'
import { CID_FONT_TABLES, keepTables, slimCidFonts } from '../../build/pdf/conform/fonts.ts'

const require = createRequire(import.meta.url)
/** A hinted TrueType font with cmap, name, post, OS/2 and more: pdf.js's stand-in for Arial. */
const LIBERATION = readFileSync(require.resolve('pdfjs-dist/standard_fonts/LiberationSans-Regular.ttf'))

interface Entry {
  tag: string
  checksum: number
  offset: number
  length: number
}

function directory(font: Buffer): Entry[] {
  return Array.from({ length: font.readUInt16BE(4) }, (_, i) => {
    const at = 12 + i * 16
    return {
      tag: font.toString('latin1', at, at + 4),
      checksum: font.readUInt32BE(at + 4),
      offset: font.readUInt32BE(at + 8),
      length: font.readUInt32BE(at + 12),
    }
  })
}

function sum(data: Buffer): number {
  const words = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)])
  let total = 0
  for (let i = 0; i < words.length; i += 4) total = (total + words.readUInt32BE(i)) >>> 0
  return total
}

type Glyphs = fontkit.Font & {
  numGlyphs: number
  getGlyph: (id: number) => { path: { toSVG: () => string }; advanceWidth: number }
}

describe('keepTables', () => {
  const slim = keepTables(LIBERATION, CID_FONT_TABLES)!
  const before = directory(LIBERATION)
  const after = directory(slim)

  it('keeps exactly the CIDFont tables the font has, sorted by tag, each byte for byte', () => {
    const kept = before.filter((entry) => CID_FONT_TABLES.has(entry.tag)).map((entry) => entry.tag)
    expect(before.map((entry) => entry.tag)).toEqual(expect.arrayContaining(['cmap', 'name', 'post', 'OS/2']))
    expect(after.map((entry) => entry.tag)).toEqual(kept.sort())
    expect(after.map((entry) => entry.tag)).toEqual(expect.arrayContaining(['glyf', 'fpgm', 'cvt ', 'prep']))
    for (const entry of after) {
      const original = before.find((e) => e.tag === entry.tag)!
      const bytes = (font: Buffer, e: Entry) => font.subarray(e.offset, e.offset + e.length)
      if (entry.tag === 'head') {
        // Only checkSumAdjustment (bytes 8-11) may differ.
        expect(bytes(slim, entry).subarray(12)).toEqual(bytes(LIBERATION, original).subarray(12))
        expect(bytes(slim, entry).subarray(0, 8)).toEqual(bytes(LIBERATION, original).subarray(0, 8))
      } else expect(bytes(slim, entry)).toEqual(bytes(LIBERATION, original))
    }
    expect(slim.length).toBeLessThan(LIBERATION.length)
  })

  it('writes a valid directory: aligned tables, table checksums, the whole-font checksum adjustment', () => {
    expect(slim.readUInt32BE(0)).toBe(0x00010000)
    // 9 tables: the largest power of two is 8.
    expect([slim.readUInt16BE(6), slim.readUInt16BE(8), slim.readUInt16BE(10)]).toEqual([
      8 * 16,
      3,
      (after.length - 8) * 16,
    ])
    for (const entry of after) {
      expect(entry.offset % 4).toBe(0)
      const table = Buffer.from(slim.subarray(entry.offset, entry.offset + entry.length))
      if (entry.tag === 'head') table.writeUInt32BE(0, 8)
      expect(entry.checksum).toBe(sum(table))
    }
    expect(sum(slim)).toBe(0xb1b0afba)
  })

  it('gives fontkit the same glyph outlines and advances', () => {
    const original = fontkit.create(LIBERATION) as Glyphs
    const rewritten = fontkit.create(slim) as Glyphs
    expect(rewritten.numGlyphs).toBe(original.numGlyphs)
    for (let id = 0; id < original.numGlyphs; id++) {
      expect(rewritten.getGlyph(id).path.toSVG()).toBe(original.getGlyph(id).path.toSVG())
      expect(rewritten.getGlyph(id).advanceWidth).toBe(original.getGlyph(id).advanceWidth)
    }
  })

  it('leaves fonts that are not TrueType outlines alone', () => {
    const cff = Buffer.from(LIBERATION)
    cff.write('OTTO', 0, 'latin1')
    expect(keepTables(cff, CID_FONT_TABLES)).toBeUndefined()
    expect(keepTables(Buffer.from('wOF2'), CID_FONT_TABLES)).toBeUndefined()
  })
})

describe('slimCidFonts', () => {
  it('rewrites the FontFile2 of an embedded CIDFontType2, with its new Length1', async () => {
    const created = await PDFDocument.create({ updateMetadata: false })
    created.registerFontkit(fontkit)
    await created.embedFont(LIBERATION, { subset: false })
    // Loaded back, as the conform step reads Chromium's PDF: its streams are raw.
    const { context } = await PDFDocument.load(await created.save(), { updateMetadata: false })
    const cidFont = context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .find((object) => object instanceof PDFDict && object.get(PDFName.of('Subtype')) === PDFName.of('CIDFontType2'))
    const descriptor = (cidFont as PDFDict).lookup(PDFName.of('FontDescriptor'), PDFDict)
    const program = () => context.lookup(descriptor.get(PDFName.of('FontFile2'))) as PDFRawStream
    expect(program()).toBeInstanceOf(PDFRawStream)
    expect(Buffer.from(decodePDFRawStream(program()).decode())).toEqual(LIBERATION)

    expect(slimCidFonts(context)).toBe(LIBERATION.length - keepTables(LIBERATION, CID_FONT_TABLES)!.length)
    const decoded = Buffer.from(decodePDFRawStream(program()).decode())
    expect(decoded).toEqual(keepTables(LIBERATION, CID_FONT_TABLES))
    expect(program().dict.lookup(PDFName.of('Length1'), PDFNumber).asNumber()).toBe(decoded.length)
  })
})
