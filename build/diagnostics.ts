/**
 * Positioned build messages, shaped like vfile messages.
 *
 * Every stage collects its problems into a `Diagnostics` list instead of
 * throwing on the first one, so that an author sees all of them in one run.
 * A stage that found errors ends by calling `diagnostics.throwIfErrors()`,
 * which throws a `BuildError` carrying the whole list.
 */
import path from 'node:path'

export type Severity = 'error' | 'warning'

export interface Position {
  line: number
  column: number
}

export interface Diagnostic {
  /** Path relative to the book root, for example `chapters/02-tech.md`. */
  file: string
  /** 1-based position, when the input has one. */
  place?: Position
  severity: Severity
  message: string
  /** `source:rule`, for example `crossref:unknown-id`. */
  ruleId: string
}

/** Thrown when a stage ends with errors. Carries every message of the stage. */
export class BuildError extends Error {
  readonly diagnostics: Diagnostic[]
  constructor(diagnostics: Diagnostic[]) {
    super(
      diagnostics
        .filter((d) => d.severity === 'error')
        .map(formatDiagnostic)
        .join('\n'),
    )
    this.name = 'BuildError'
    this.diagnostics = diagnostics
  }
}

/**
 * A BuildError carrying one error: for failures that end a stage at once (a print that cannot go on, a folder that
 * cannot be written).
 */
export function buildError(file: string, message: string, ruleId: string, place?: Position): BuildError {
  return new BuildError([{ file, ...(place && { place }), severity: 'error', message, ruleId }])
}

/** A list of messages that stages append to. */
export class Diagnostics {
  readonly list: Diagnostic[] = []

  constructor(private readonly root?: string) {}

  /** Record an error. `file` may be absolute; it is stored relative to the book root. */
  error(file: string, message: string, ruleId: string, place?: Position | null): void {
    this.push('error', file, message, ruleId, place)
  }

  /** Record a warning: reported, but the build goes on. */
  warn(file: string, message: string, ruleId: string, place?: Position | null): void {
    this.push('warning', file, message, ruleId, place)
  }

  get errorCount(): number {
    return this.list.filter((d) => d.severity === 'error').length
  }

  get warnings(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'warning')
  }

  /** Throw a BuildError carrying every message so far, if any of them is an error. */
  throwIfErrors(): void {
    if (this.errorCount > 0) throw new BuildError([...this.list])
  }

  private push(severity: Severity, file: string, message: string, ruleId: string, place?: Position | null): void {
    const relative = this.root && path.isAbsolute(file) ? path.relative(this.root, file) : file
    this.list.push({ file: relative.split(path.sep).join('/'), place: place ?? undefined, severity, message, ruleId })
  }
}

/** `chapters/02-tech.md:41:7 error Unknown reference … crossref:unknown-id` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.place ? `${d.file}:${d.place.line}:${d.place.column}` : d.file
  return `${where} ${d.severity} ${d.message} ${d.ruleId}`
}

/** Line and column (1-based) of a character offset in a text. */
export function positionAt(text: string, offset: number): Position {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
export function didYouMean(wanted: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]!
}
