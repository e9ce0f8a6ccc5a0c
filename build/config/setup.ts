/** The config stage: the book config, the font files it names, and the templates, each checked. */
import path from 'node:path'
import type { Diagnostics } from '../diagnostics.ts'
import { loadConfig, type LoadedConfig } from './config.ts'
import { resolveFonts, type BookFonts } from './fonts.ts'
import { loadTemplates, type Templates } from './templates.ts'

/** What the config stage found; a part is absent when it had errors (recorded in the diagnostics). */
export interface BookSetup {
  loaded?: LoadedConfig
  fonts?: BookFonts
  templates?: Templates
}

/** Read the config, resolve its fonts and load its templates, recording every problem. */
export async function loadSetup(root: string, diagnostics: Diagnostics): Promise<BookSetup> {
  const loaded = await loadConfig(root, diagnostics)
  if (!loaded) return {}
  const fonts = resolveFonts(loaded.config, root, diagnostics, loaded.file)
  const { templates: templatesDir = 'templates' } = loaded.config
  const templates = await loadTemplates(path.resolve(root, templatesDir), diagnostics, !!loaded.config.templates)
  return { loaded, fonts, templates }
}

/**
 * The folders and files a book with this setup reads that may lie outside its folder: the config's folder, the
 * templates, styles and static folders it names, and the font files (see `BuildSummary.inputs`).
 */
export function setupInputs(root: string, setup: Required<BookSetup>): string[] {
  const { config, chaptersDir } = setup.loaded
  const folders = [config.templates, config.styles, config.static].flatMap((dir) =>
    dir === undefined ? [] : [path.resolve(root, dir)],
  )
  return [...new Set([chaptersDir, ...folders, ...setup.fonts.faces.map((face) => face.file)])]
}
