/** The parse stage: read every chapter the config lists, parse it, and validate its front matter. */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Root } from 'mdast'
import type { Diagnostics } from '../diagnostics.ts'
import type { LoadedConfig } from '../config/config.ts'
import { textPlace } from '../config/yaml.ts'
import { parseMarkdown, readFrontMatter, type FrontMatter } from './markdown.ts'

export interface ChapterInput {
  file: string
  tree: Root
  frontMatter: FrontMatter
  /** The Markdown text, to check that blocks are closed. */
  source: string
}

/**
 * Read and parse the chapters in config order. A listed chapter that is
 * missing is an error; a chapter file the config does not list is a warning.
 */
export async function readChapters(
  root: string,
  loaded: LoadedConfig,
  diagnostics: Diagnostics,
): Promise<ChapterInput[]> {
  const { config, chaptersDir, file: configFile } = loaded
  const inputs: ChapterInput[] = []
  const listed = new Set(config.chapters.map((c) => path.resolve(chaptersDir, c)))
  for (const [index, name] of config.chapters.entries()) {
    const file = path.resolve(chaptersDir, name)
    let source: string
    try {
      source = await fs.readFile(file, 'utf8')
    } catch {
      const message =
        `Chapter ${name} (chapters[${index}]) is listed in the book config but missing on disk; ` +
        `create it or remove it from \`chapters:\``
      diagnostics.error(configFile, message, 'config:missing-chapter', await textPlace(configFile, name))
      continue
    }
    const relative = path.relative(root, file).split(path.sep).join('/')
    const tree = parseMarkdown(source)
    const frontMatter = readFrontMatter(tree, relative, diagnostics)
    if (frontMatter) inputs.push({ file: relative, tree, frontMatter, source })
  }
  for (const name of (await fs.readdir(chaptersDir)).sort()) {
    if (name.endsWith('.md') && !listed.has(path.join(chaptersDir, name)) && !/^readme\.md$/i.test(name)) {
      const message =
        `This chapter is not listed in \`chapters:\` of ${path.basename(configFile)}, so it is not in ` +
        `the book; add it there, or move it out of the folder`
      diagnostics.warn(path.join(chaptersDir, name), message, 'config:unlisted-chapter')
    }
  }
  return inputs
}
