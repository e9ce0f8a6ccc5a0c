/**
 * Glyphs that stand for no character. At a soft hyphen where it breaks a line, Chromium draws a hyphen that the text
 * has no character for, and writes its ToUnicode entry as U+0000, which PDF/UA-1 forbids (ISO 14289-1 §7.21.7: every
 * value greater than 0). Such a hyphen is a soft hyphen (ISO 32000-1 §14.8.2.2.3: a hyphen at a line break is
 * represented as U+00AD), so that the word reads back whole.
 */
import zlib from 'node:zlib'
import { PDFDict, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFContext } from '@cantoo/pdf-lib'

const SOFT_HYPHEN = '00AD'

/**
 * Map every glyph that a font's ToUnicode CMap gives U+0000 (in its `bfchar` entries) to the soft hyphen, in place.
 * Returns how many entries changed; a font without such an entry keeps its stream as it was.
 */
export function mapUnmappedGlyphs(context: PDFContext): number {
  let changed = 0
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue
    const ref = object.get(PDFName.of('ToUnicode'))
    const stream = ref instanceof PDFRef ? context.lookup(ref) : undefined
    if (!(stream instanceof PDFRawStream)) continue
    const cmap = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
    let count = 0
    const fixed = softHyphenCmap(cmap, () => count++)
    if (count === 0) continue
    changed += count
    const data = zlib.deflateSync(Buffer.from(fixed, 'latin1'), { level: 9 })
    context.assign(
      ref as PDFRef,
      PDFRawStream.of(context.obj({ Filter: 'FlateDecode', Length: data.length }) as PDFDict, data),
    )
  }
  return changed
}

/**
 * The CMap with each `bfchar` entry whose destination is U+0000 pointed at U+00AD (`bfrange` and the code space
 * range are left alone: their `<0000>` is a source code, not a character).
 */
export function softHyphenCmap(cmap: string, onChange: () => void = () => {}): string {
  return cmap.replace(/beginbfchar([\s\S]*?)endbfchar/g, (block: string) =>
    block.replace(/(<[0-9A-Fa-f]+>\s*)<0+>/g, (_, source: string) => {
      onChange()
      return `${source}<${SOFT_HYPHEN}>`
    }),
  )
}
