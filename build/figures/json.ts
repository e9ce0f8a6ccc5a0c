/**
 * A strict JSON parser that remembers where every value starts, so that
 * problems found later (schema errors, bad data URLs) can point at a line and
 * column of the spec. Its error messages are its own, so they do not change
 * with the V8 version.
 */
import { positionAt, type Position } from '../diagnostics.ts'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

export type JsonObject = { [key: string]: JsonValue }

/** Whether a JSON value is an object (not an array, not null). */
export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export interface ParsedJson {
  value: JsonValue
  /** Character offset of each value, keyed by JSON pointer (`''` is the root). */
  pointers: Map<string, number>
  text: string
}

export interface JsonSyntaxError {
  message: string
  offset: number
  place: Position
}

/** Escape one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Position of the value at `pointer`, or of its nearest ancestor that has one. */
export function placeOf(parsed: ParsedJson, pointer: string): Position {
  let current = pointer
  for (;;) {
    const offset = parsed.pointers.get(current)
    if (offset !== undefined) return positionAt(parsed.text, offset)
    if (current === '') return { line: 1, column: 1 }
    current = current.slice(0, current.lastIndexOf('/'))
  }
}

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

/**
 * Parse JSON text; returns either the value with its pointer map or a
 * positioned syntax error. One recursive-descent parser whose closures share
 * the cursor, so it stays in one function longer than the usual 80 lines.
 */
// eslint-disable-next-line max-lines-per-function -- a cohesive recursive-descent parser; see above
export function parseJson(text: string): { ok: true; json: ParsedJson } | { ok: false; error: JsonSyntaxError } {
  const pointers = new Map<string, number>()
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0

  const describe = (at: number): string =>
    at >= text.length ? 'the end of the file' : `'${text[at] === '\n' ? '\\n' : text[at]}'`
  const fail = (expected: string, at = i): never => {
    throw new SyntaxProblem(`expected ${expected} but found ${describe(at)}`, at)
  }
  const skipSpace = (): void => {
    while (i < text.length) {
      const c = text[i]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++
      else break
    }
  }

  const parseString = (): string => {
    const start = i
    i++ // opening quote
    let out = ''
    for (;;) {
      if (i >= text.length) throw new SyntaxProblem('unterminated string', start)
      const c = text[i]!
      if (c === '"') {
        i++
        return out
      }
      if (c === '\\') {
        const e = text[i + 1]
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        }
        if (e !== undefined && e in simple) {
          out += simple[e]
          i += 2
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16))
          i += 6
        } else {
          throw new SyntaxProblem('invalid escape sequence in string', i)
        }
        continue
      }
      if (c.charCodeAt(0) < 0x20) throw new SyntaxProblem('unescaped control character in string', i)
      out += c
      i++
    }
  }

  const parseValue = (pointer: string): JsonValue => {
    skipSpace()
    pointers.set(pointer, i)
    const c = text[i]
    if (c === '{') {
      i++
      const object: { [key: string]: JsonValue } = {}
      skipSpace()
      if (text[i] === '}') {
        i++
        return object
      }
      for (;;) {
        skipSpace()
        if (text[i] !== '"') fail(`a property name in double quotes`)
        const key = parseString()
        skipSpace()
        if (text[i] !== ':') fail(`':' after property name "${key}"`)
        i++
        object[key] = parseValue(`${pointer}/${pointerSegment(key)}`)
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return object
        }
        fail(`',' or '}' after property "${key}"`)
      }
    }
    if (c === '[') {
      i++
      const array: JsonValue[] = []
      skipSpace()
      if (text[i] === ']') {
        i++
        return array
      }
      for (;;) {
        array.push(parseValue(`${pointer}/${array.length}`))
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return array
        }
        fail(`',' or ']' after array element`)
      }
    }
    if (c === '"') return parseString()
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400))
    if (literal) {
      i += literal[0].length
      const word = literal[0]
      return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word)
    }
    return fail('a value')
  }

  try {
    const value = parseValue('')
    skipSpace()
    if (i < text.length) fail('the end of the file')
    return { ok: true, json: { value, pointers, text } }
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    return { ok: false, error: { message: error.message, offset: error.offset, place: positionAt(text, error.offset) } }
  }
}
