/**
 * Finishing the printed PDF: fixed dates, stable node ids, the document
 * metadata and page labels that Chromium does not write.
 */
export interface PdfMetadata {
  title: string
  author: string
  subject: string
  keywords: string
  creator: string
  date: Date
}

/**
 * Page labels: front matter i, ii, …; body pages 1, 2, … from `firstBody`; an optional labelled back cover. 0-based
 * page indexes.
 */
export interface PageLabels {
  firstBody: number
  backCover?: number
  backCoverLabel?: string
}

/**
 * Pin the creation and modification dates, and add Author, Subject and
 * Keywords, by appending an incremental update with a new Info dictionary.
 * Chromium's own dates are overwritten in place with the fixed date (same
 * length), and DOM node ids are renumbered, so two builds of the same input
 * give the same bytes. With `labels`, the catalog gains /PageLabels matching
 * the printed numbers.
 */
export function finishPdf(pdf: Uint8Array, metadata: PdfMetadata, labels?: PageLabels): Buffer {
  let bytes = Buffer.from(pdf)
  const stamp = pdfDate(metadata.date)
  // Tagged tables name their header cells by DOM node id (`(node00000265)`), which counts every node the
  // renderer process has made so far and so depends on what it printed before. Renumber them in order of
  // first appearance, at the same width, so that offsets stay valid and equal input gives equal bytes.
  const nodeIds = new Map<string, string>()
  const latin = bytes
    .toString('latin1')
    .replace(/D:\d{14}[+\-Z][^)]*/g, (match) => (stamp + ' '.repeat(64)).slice(0, match.length))
    .replace(/\(node(\d+)\)/g, (_, id: string) => {
      if (!nodeIds.has(id)) nodeIds.set(id, String(nodeIds.size + 1).padStart(id.length, '0'))
      return `(node${nodeIds.get(id)})`
    })
  bytes = Buffer.from(latin, 'latin1')

  const trailerAt = latin.lastIndexOf('trailer')
  const startxrefAt = latin.lastIndexOf('startxref')
  const size = Number(/\/Size (\d+)/.exec(latin.slice(trailerAt))?.[1])
  const root = /\/Root (\d+ \d+ R)/.exec(latin.slice(trailerAt))?.[1]
  const previous = Number(/startxref\s+(\d+)/.exec(latin.slice(startxrefAt))?.[1])
  if (trailerAt < 0 || !size || !root || !Number.isFinite(previous))
    throw new Error('Unexpected PDF structure: no classic trailer to update')

  const info = [
    ['Title', metadata.title],
    ['Author', metadata.author],
    ['Subject', metadata.subject],
    ['Keywords', metadata.keywords],
    ['Creator', metadata.creator],
    ['Producer', 'Chromium (Skia/PDF)'],
  ]
    .map(([key, value]) => `/${key} ${pdfString(value!)}`)
    .join('\n')
  const objects: { number: number; text: string }[] = [
    { number: size, text: `${size} 0 obj\n<<${info}\n/CreationDate (${stamp})\n/ModDate (${stamp})>>\nendobj\n` },
  ]
  if (labels) {
    // A new version of the catalog with /PageLabels, so that a viewer's page box shows the printed numbers.
    const rootNumber = Number(root.split(' ')[0])
    const catalog = new RegExp(`(?:^|\\n)${rootNumber} 0 obj\\s*(<<[\\s\\S]*?>>)\\s*endobj`).exec(latin)?.[1]
    if (!catalog || catalog.includes('/PageLabels'))
      throw new Error('Unexpected PDF structure: no catalog to add page labels to')
    const nums = [`0 <</S /r>>`, `${labels.firstBody} <</S /D /St 1>>`]
    if (labels.backCover !== undefined)
      nums.push(`${labels.backCover} <</P ${pdfString(labels.backCoverLabel ?? '')}>>`)
    objects.push({
      number: rootNumber,
      text: `${rootNumber} 0 obj\n${catalog.replace(/>>$/, `\n/PageLabels <</Nums [${nums.join(' ')}]>>>>`)}\nendobj\n`,
    })
  }
  let offset = bytes.length + 1
  let body = ''
  let xref = 'xref\n'
  for (const object of objects.sort((a, b) => a.number - b.number)) {
    xref += `${object.number} 1\n${String(offset).padStart(10, '0')} 00000 n \n`
    body += object.text
    offset += Buffer.byteLength(object.text, 'latin1')
  }
  const update =
    `\n${body}${xref}trailer\n<</Size ${size + 1}\n/Root ${root}\n/Info ${size} 0 R\n/Prev ` +
    `${previous}>>\nstartxref\n${offset}\n%%EOF\n`
  return Buffer.concat([bytes, Buffer.from(update, 'latin1')])
}

function pdfDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const day = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`
  return `D:${day}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
}

/** A PDF text string in UTF-16BE with BOM, as hex: safe for any character. */
function pdfString(value: string): string {
  let hex = 'FEFF'
  for (let i = 0; i < value.length; i++) hex += value.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')
  return `<${hex}>`
}
