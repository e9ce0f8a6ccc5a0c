/** Finishing the printed PDF: fixed dates, metadata, page labels, and nothing that depends on the renderer's history. */
import { describe, expect, it } from 'vitest'
import { finishPdf } from '../../build/index.ts'

/** A minimal classic-xref PDF shaped like Chromium's: Info first, a catalog, a tagged table header. */
function chromiumLike(headerId: string, created: string): Buffer {
  const objects = [
    `1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:${created}+00'00')\n/ModDate (D:${created}+00'00')>>\nendobj\n`,
    `2 0 obj\n<</Type /Catalog\n/Lang (zh-CN)>>\nendobj\n`,
    `3 0 obj\n<</Type /StructElem\n/S /TH\n/ID (${headerId})>>\nendobj\n`,
    `4 0 obj\n<</Type /StructElem\n/S /TD\n/A [<</O /Table\n/Headers [(${headerId})]>>]>>\nendobj\n`,
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  for (const object of objects) {
    offsets.push(body.length)
    body += object
  }
  const xref = `xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  return Buffer.from(
    `${body}${xref}trailer\n<</Size 5\n/Root 2 0 R\n/Info 1 0 R>>\nstartxref\n${body.length}\n%%EOF`,
    'latin1',
  )
}

const metadata = {
  title: '标题',
  author: '作者',
  subject: '主题',
  keywords: '甲, 乙',
  creator: 'Publisher',
  date: new Date(Date.UTC(2020, 4, 1)),
}

describe('finishPdf', () => {
  it('gives equal bytes for prints that differ only in their date and DOM node ids', () => {
    const a = finishPdf(chromiumLike('node00000265', '20261126222534'), metadata, { firstBody: 0 })
    const b = finishPdf(chromiumLike('node00000431', '20261127080102'), metadata, { firstBody: 0 })
    expect(b.equals(a)).toBe(true)
    const text = a.toString('latin1')
    expect(text).toContain('/ID (node00000001)')
    expect(text).toContain('/Headers [(node00000001)]')
    expect(text).not.toContain('2026')
    expect(text).toContain('/CreationDate (D:20200501000000Z)')
    expect(text).toMatch(/\/PageLabels <<\/Nums \[0 <<\/S \/r>> 0 <<\/S \/D \/St 1>>\]>>/)
  })
})
