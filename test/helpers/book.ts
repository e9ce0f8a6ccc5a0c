/** Helpers shared by the tests: temporary copies of fixture books, and building them. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  Builder,
  type BuildOptions,
  type BuildSummary,
  BuildError,
  formatDiagnostic,
  getValidator,
} from '../../build/index.ts'

export const REPO = path.resolve(import.meta.dirname, '../..')
export const MINI_BOOK = path.join(REPO, 'test/fixtures/mini-book')

/**
 * Copy a fixture book into a fresh temporary folder. Relative `templates`,
 * `styles` and `static` paths in its config are rewritten to stay pointing at
 * the same folders.
 */
export async function copyBook(source: string = MINI_BOOK, edit?: (root: string) => Promise<void>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'book-'))
  await fs.cp(source, root, { recursive: true, filter: (src) => !/[\\/](dist|\.cache)$/.test(src) })
  const configFile = path.join(root, 'chapters/book.yaml')
  const config = await fs.readFile(configFile, 'utf8').catch(() => undefined)
  if (config) {
    const fixed = config.replace(
      /^(templates|styles|static): (\S+)$/gm,
      (_, key: string, value: string) => `${key}: ${path.resolve(source, value)}`,
    )
    await fs.writeFile(configFile, fixed)
  }
  await edit?.(root)
  return root
}

/** Build a book; on failure, rethrow with every message in the error text. */
export async function build(root: string, options: Partial<BuildOptions> = {}): Promise<BuildSummary> {
  try {
    return await new Builder({ root, ...options }).build()
  } catch (error) {
    if (error instanceof BuildError)
      throw new Error(error.diagnostics.map(formatDiagnostic).join('\n'), { cause: error })
    throw error
  }
}

/** Build a book that must fail; returns its formatted messages. */
export async function buildErrors(root: string, options: Partial<BuildOptions> = {}): Promise<string[]> {
  try {
    await new Builder({ root, ...options }).build()
  } catch (error) {
    if (error instanceof BuildError) return error.diagnostics.map(formatDiagnostic)
    throw error
  }
  throw new Error('expected the build to fail, but it succeeded')
}

/**
 * Compile vega-lite's schema validator in this process, in memory. The unit tier's files share a worker's
 * modules, so this costs about 1.5 s once per worker; builds and renderers then use it instead of compiling
 * it again in a worker thread, and nothing is written to a cache.
 */
export function loadValidator(): void {
  getValidator()
}
