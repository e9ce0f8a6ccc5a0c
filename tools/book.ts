/**
 * Books for the tools and the tests to work on: a temporary copy that builds
 * like the original, and the book's model as the engine collects it.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import YAML from 'yaml'
import {
  BuildError,
  Diagnostics,
  checkReferences,
  collectBook,
  loadConfig,
  readChapters,
  type BookModel,
  type LoadedConfig,
} from '../build/index.ts'

/** A book's config and model, as the engine reads them. */
export interface ReadBook {
  loaded: LoadedConfig
  model: BookModel
}

/** Read the book at `root` through the engine's config, parse and collect stages; throws a `BuildError` on errors. */
export async function readBook(root: string): Promise<ReadBook> {
  const diagnostics = new Diagnostics(root)
  const loaded = await loadConfig(root, diagnostics)
  diagnostics.throwIfErrors()
  const model = collectBook(await readChapters(root, loaded!, diagnostics), diagnostics)
  checkReferences(model, diagnostics)
  diagnostics.throwIfErrors()
  return { loaded: loaded!, model }
}

/** Where the copy of a book goes, and what to leave out. */
export interface CopyBookOptions {
  /** The folder to copy into. Default: a fresh temporary folder. */
  dest?: string
}

/**
 * Copy a book (everything but `dist/`, `.cache/`, `node_modules/` and `.git/`)
 * so that the copy builds the same: relative `templates`, `styles` and font
 * paths in its config are rewritten to absolute paths into the original.
 * Returns the copy's root.
 */
export async function copyBook(source: string, options: CopyBookOptions = {}): Promise<string> {
  const dest = options.dest ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'book-')))
  await fs.mkdir(dest, { recursive: true })
  const skip = /[\\/](dist|\.cache|node_modules|\.git)$/
  await fs.cp(source, dest, { recursive: true, filter: (src) => !skip.test(src.slice(source.length)) })
  const loaded = await loadConfig(dest, new Diagnostics(dest))
  if (!loaded) return dest
  const document = YAML.parseDocument(await fs.readFile(loaded.file, 'utf8'))
  for (const key of ['templates', 'styles']) document.set(key, path.resolve(source, String(document.get(key) ?? key)))
  for (const key of ['regular', 'bold']) {
    const value = document.getIn(['fonts', key])
    if (typeof value === 'string' && value.startsWith('.')) document.setIn(['fonts', key], path.resolve(source, value))
  }
  await fs.writeFile(loaded.file, document.toString())
  return dest
}

/** The book's config file, or a `BuildError` saying why there is none. */
export async function configFile(root: string): Promise<string> {
  const diagnostics = new Diagnostics(root)
  const loaded = await loadConfig(root, diagnostics)
  if (!loaded) throw new BuildError(diagnostics.list)
  return loaded.file
}
