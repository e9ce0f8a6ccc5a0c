/**
 * Page content streams, read as a list of operations: enough to find what is
 * painted outside any marked-content sequence, wrap it as an Artifact, and
 * measure where each marked-content id (MCID) paints.
 *
 * PDF content syntax is small (ISO 32000-1 §7.8.2): operands, then an
 * operator. No maintained JavaScript library exposes a content-stream parser
 * that keeps byte positions, which the rewrite needs to leave every other
 * byte as Chromium wrote it.
 */

export interface Operation {
  operator: string
  /** Operands as written. */
  operands: string[]
  /** Offset of the first operand (or of the operator) in the stream. */
  start: number
  /** Offset just after the operator (after the image data for `BI`). */
  end: number
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20])
const DELIMITERS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)))
/**
 * One token at a time (sticky): whitespace and comments (skipped), a name, a hex string, or a bare word (number,
 * boolean, null or operator). Strings, arrays and dictionaries start with `(`, `[` or `<<` and are read by
 * `skipOperand`, as they nest.
 */
const TOKEN =
  /[\0\t\n\f\r ]+|%[^\r\n]*|(\/[^\0\t\n\f\r ()<>[\]{}/%]*|<[0-9A-Fa-f\0\t\n\f\r ]*>)|([^\0\t\n\f\r ()<>[\]{}/%]+)|/y

/** Split a content stream (latin1 text) into operations. */
export function parseContent(text: string): Operation[] {
  const operations: Operation[] = []
  let operands: string[] = []
  let start = -1
  let at = 0
  while (at < text.length) {
    TOKEN.lastIndex = at
    const match = TOKEN.exec(text)
    const tokenStart = at
    if (match && match[0].length > 0) {
      at = TOKEN.lastIndex
      if (match[1] === undefined && match[2] === undefined) continue
      if (start < 0) start = tokenStart
      if (match[1] !== undefined) {
        operands.push(match[1])
        continue
      }
      const word = match[2]!
      const first = word.charCodeAt(0)
      // Digits, sign and point begin numbers; true, false and null are operands too.
      if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e || isConstant(word)) {
        operands.push(word)
        continue
      }
      if (word === 'BI') at = skipInlineImage(text, at)
      operations.push({ operator: word, operands, start, end: at })
      operands = []
      start = -1
      continue
    }
    const char = text[at]
    if (char !== '(' && char !== '<' && char !== '[')
      throw new Error(`Unexpected “${char}” at offset ${at} of a content stream`)
    if (start < 0) start = tokenStart
    at = skipOperand(text, at)
    operands.push(text.slice(tokenStart, at))
  }
  return operations
}

function isConstant(word: string): boolean {
  return word === 'true' || word === 'false' || word === 'null'
}

/** The end of the string, hex string, dictionary, array or name that starts at `at`. */
function skipOperand(text: string, at: number): number {
  const char = text[at]
  if (char === '/') {
    at++
    while (at < text.length && !WHITESPACE.has(text.charCodeAt(at)) && !DELIMITERS.has(text.charCodeAt(at))) at++
    return at
  }
  if (char === '(') {
    let depth = 0
    for (; at < text.length; at++) {
      if (text[at] === '\\') at++
      else if (text[at] === '(') depth++
      else if (text[at] === ')' && --depth === 0) return at + 1
    }
    throw new Error('Unterminated string in a content stream')
  }
  if (char === '<' && text[at + 1] !== '<') {
    const close = text.indexOf('>', at)
    if (close < 0) throw new Error('Unterminated hex string in a content stream')
    return close + 1
  }
  // An array or a dictionary: nested, and may hold strings that contain brackets.
  const open = char === '[' ? '[' : '<<'
  const close = char === '[' ? ']' : '>>'
  let depth = 0
  while (at < text.length) {
    if (text.startsWith(open, at)) {
      depth++
      at += open.length
    } else if (text.startsWith(close, at)) {
      at += close.length
      if (--depth === 0) return at
    } else if (
      text[at] === '(' ||
      (text[at] === '<' && text[at + 1] !== '<') ||
      text[at] === '/' ||
      text[at] === '[' ||
      text.startsWith('<<', at)
    ) {
      at = skipOperand(text, at)
    } else at++
  }
  throw new Error(`Unterminated ${open} in a content stream`)
}

/** Past `BI … ID <data> EI`. */
function skipInlineImage(text: string, at: number): number {
  const data = /\sID\s/g
  data.lastIndex = at
  const found = data.exec(text)
  if (!found) throw new Error('Inline image without ID in a content stream')
  const end = /\sEI(?=[\s]|$)/g
  end.lastIndex = found.index + found[0].length
  const closed = end.exec(text)
  if (!closed) throw new Error('Inline image without EI in a content stream')
  return closed.index + closed[0].length
}

const PATH_START = new Set(['m', 're'])
const PATH_END = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n'])
const TEXT_SHOW = new Set(['Tj', 'TJ', "'", '"'])
/** Operators that paint on their own, outside path and text objects. */
const SINGLE_PAINT = new Set(['Do', 'sh', 'BI'])

interface Unit {
  first: number
  last: number
  paints: boolean
}

/**
 * Wrap everything painted outside marked content in `/Artifact BMC … EMC`.
 * Artifacts begin and end between whole path objects, text objects and
 * XObjects, never inside a path, and never straddle a text object that has
 * marked content of its own (then single text-showing operators are wrapped).
 * Returns the rewritten stream, or the input when nothing was unmarked.
 */
export function wrapArtifacts(text: string): string {
  const operations = parseContent(text)
  const inserts: { at: number; text: string }[] = []
  // Open marked-content sequences: true for those that tag their content (an MCID, or an Artifact already), false
  // for others such as Chromium's /ReversedChars, whose content still needs a tag.
  const marks: boolean[] = []
  let tagged = 0
  let openAt: { qDepth: number; inText: boolean; marks: number } | undefined
  let qDepth = 0
  let inText = false
  const close = (at: number) => {
    if (!openAt) return
    inserts.push({ at, text: 'EMC\n' })
    openAt = undefined
  }
  const open = (at: number) => {
    if (openAt) return
    inserts.push({ at, text: '/Artifact BMC\n' })
    openAt = { qDepth, inText, marks: marks.length }
  }
  for (let index = 0; index < operations.length; index++) {
    const operation = operations[index]!
    const { operator } = operation
    if (operator === 'BDC' || operator === 'BMC') {
      close(operation.start)
      const tags = operation.operands[0] === '/Artifact' || /\/MCID\s/.test(operation.operands[1] ?? '')
      marks.push(tags)
      if (tags) tagged++
      continue
    }
    if (operator === 'EMC') {
      if (openAt && marks.length <= openAt.marks) close(operation.start)
      if (marks.pop()) tagged--
      continue
    }
    if (operator === 'q') qDepth++
    if (operator === 'Q') {
      if (openAt && qDepth <= openAt.qDepth) close(operation.start)
      qDepth--
    }
    if (operator === 'ET' && openAt?.inText) close(operation.start)
    if (tagged > 0) {
      if (operator === 'BT') inText = true
      if (operator === 'ET') inText = false
      continue
    }
    const unit = unitAt(operations, index, inText)
    if (!unit) {
      if (operator === 'BT') {
        inText = true
        if (openAt && !openAt.inText) close(operation.start)
      }
      if (operator === 'ET') inText = false
      continue
    }
    if (unit.paints) open(operations[unit.first]!.start)
    index = unit.last
  }
  if (openAt) inserts.push({ at: text.length, text: '\nEMC\n' })
  if (inserts.length === 0) return text
  let out = ''
  let from = 0
  for (const insert of inserts) {
    out += text.slice(from, insert.at) + insert.text
    from = insert.at
  }
  return out + text.slice(from)
}

/** Turn the marked-content sequences of the given MCIDs into Artifacts: `/Tag <</MCID n>> BDC` becomes `/Artifact BMC`. */
export function retagAsArtifacts(text: string, mcids: Set<number>): string {
  if (mcids.size === 0) return text
  let out = ''
  let from = 0
  for (const operation of parseContent(text)) {
    const mcid = operation.operator === 'BDC' ? /\/MCID\s+(\d+)/.exec(operation.operands[1] ?? '')?.[1] : undefined
    if (mcid === undefined || !mcids.has(Number(mcid))) continue
    out += text.slice(from, operation.start) + '/Artifact BMC'
    from = operation.end
  }
  return out + text.slice(from)
}

/**
 * The painting unit that starts at `index`: a whole path object, a whole
 * text object without marked content inside, one text-showing operator
 * inside a text object, or an XObject, shading or inline image. Undefined for
 * state operators, and for a `BT` whose text object holds marked content.
 */
function unitAt(operations: Operation[], index: number, inText: boolean): Unit | undefined {
  const { operator } = operations[index]!
  if (SINGLE_PAINT.has(operator) || (inText && TEXT_SHOW.has(operator)))
    return { first: index, last: index, paints: true }
  if (PATH_START.has(operator)) {
    let last = index
    while (last < operations.length - 1 && !PATH_END.has(operations[last]!.operator)) last++
    // A clipping path (`W n`) paints nothing.
    return { first: index, last, paints: operations[last]!.operator !== 'n' }
  }
  if (operator === 'BT') {
    let last = index
    let paints = false
    while (last < operations.length - 1 && operations[last]!.operator !== 'ET') {
      const inner = operations[++last]!.operator
      if (inner === 'BDC' || inner === 'BMC' || inner === 'EMC') return undefined
      if (TEXT_SHOW.has(inner)) paints = true
    }
    return { first: index, last, paints }
  }
  return undefined
}
