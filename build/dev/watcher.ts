/** What the dev server watches: the book's sources, as its config names them. */
import path from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import { Diagnostics, loadConfig } from '../index.ts'

/** A watcher over the book's sources that follows config edits. */
export interface SourceWatcher {
  /** Settles once the initial scan is done. */
  ready: Promise<void>
  /** Read the config again and watch what it now names (templates or styles may have moved). */
  refresh(): Promise<void>
  close(): Promise<void>
}

/**
 * Watch `chapters/`, `figures/`, `templates/`, `styles/`, the config file,
 * and the folders and chapter files the config points at; call `onChange`
 * with the absolute path of every file added, changed or removed.
 */
export async function watchSources(
  root: string,
  onChange: (file: string) => void,
  log: (line: string) => void,
): Promise<SourceWatcher> {
  let watched = await watchTargets(root)
  const watcher: FSWatcher = watch(watched, { ignoreInitial: true, ignored })
  watcher.on('all', (event, file) => {
    if (event !== 'addDir') onChange(file)
  })
  watcher.on('error', (error) => log(`watcher: ${(error as Error).message}`))
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    ready,
    async refresh() {
      const targets = await watchTargets(root)
      const added = targets.filter((t) => !watched.includes(t))
      const removed = watched.filter((t) => !targets.includes(t))
      if (added.length) watcher.add(added)
      if (removed.length) watcher.unwatch(removed)
      watched = targets
    },
    close: () => watcher.close(),
  }
}

/** Whether a change to `file` (relative to the root) may change what is watched. */
export function isConfigFile(file: string): boolean {
  return /(^|\/)book\.ya?ml$/.test(file)
}

async function watchTargets(root: string): Promise<string[]> {
  const loaded = await loadConfig(root, new Diagnostics(root))
  const targets = ['chapters', 'figures', 'templates', 'styles'].map((name) => path.join(root, name))
  if (loaded) {
    const { templates = 'templates', styles = 'styles' } = loaded.config
    targets.push(loaded.file, path.resolve(root, templates), path.resolve(root, styles))
    if (loaded.chaptersDir !== root) targets.push(loaded.chaptersDir)
    else targets.push(...loaded.config.chapters.map((name) => path.resolve(root, name)))
  } else {
    targets.push(path.join(root, 'book.yaml'))
  }
  return [...new Set(targets)]
}

/** Dot files, and editors' and `sed -i`'s temporary files. */
function ignored(file: string): boolean {
  const name = path.basename(file)
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    /\.(swp|swx|tmp)$|^4913$|^#.*#$|^sed[A-Za-z0-9]{6}$/.test(name) ||
    file.includes(`${path.sep}node_modules${path.sep}`)
  )
}
