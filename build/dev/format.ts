/** How the CLI and the dev server print durations, counts and paths. */
import path from 'node:path'

/** `850 ms`, `1.25 s`. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`
}

/** `1 page`, `2 pages`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** `file` relative to `root` with `/` separators, or as given when it lies outside `root`. */
export function relativeTo(root: string, file: string): string {
  const relative = path.relative(root, file)
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/')
}
