/**
 * The book config (`chapters/book.yaml`): read, validated against a strict
 * schema, and reported with the YAML line and column of each problem.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { z } from 'zod'
import { didYouMean, type Diagnostics, type Position } from '../diagnostics.ts'
import { labelsSchema } from '../labels.ts'
import { numberingSchema } from '../collect/numbering.ts'
import { schemaIssues } from './schema-issues.ts'
import { yamlNodeAt } from './yaml.ts'

/** A font family's files: TrueType-outline .woff2/.ttf/.woff, beside book.yaml or in an npm package. */
const fontFamilyShape = {
  family: z.string().min(1),
  regular: z.string().min(1),
  bold: z.string().min(1),
  /** Italic faces, for emphasis in Latin text; without them the browser slants the upright ones. */
  italic: z.string().min(1).optional(),
  boldItalic: z.string().min(1).optional(),
}

const contactSchema = z.strictObject({ label: z.string().min(1), value: z.string().min(1) })

export const bookConfigSchema = z.strictObject({
  title: z.string().min(1),
  subtitle: z.string().default(''),
  publisher: z.string().min(1),
  publisherEnglish: z.string().default(''),
  author: z.string().min(1),
  /** Shown on the cover, and the PDF's fixed creation date (`2020.05` → 2020-05-01). */
  date: z.string().regex(/^\d{4}(\.\d{1,2}(\.\d{1,2})?)?$/, 'must look like 2020, 2020.05 or 2020.05.31'),
  /** A BCP 47 tag: picks the built-in labels (zh-CN or en), numbering, typography and default fonts. */
  language: z.string().default('zh-CN'),
  /** Replaces built-in labels: `labels: { figure: 'Fig. {n}' }`. */
  labels: labelsSchema,
  /** Numbering style per level: `numbering: { sections: decimal }`. */
  numbering: numberingSchema,
  /** Whether each part starts with a full title page (true), or with a heading like a chapter. */
  partTitlePages: z.boolean().default(true),
  /** How notes are numbered: `circled` (①②…) or `decimal` (1 2 …). Default: circled for zh, decimal otherwise. */
  noteNumbers: z.enum(['circled', 'decimal']).optional(),
  description: z.string().default(''),
  /**
   * Where the site is published, e.g. `https://example.org/whitepaper/`. Optional: with it, pages get canonical and
   * og:url links and the site a sitemap.xml and robots.txt; without it, every link stays relative.
   */
  baseUrl: z
    .string()
    .refine(
      isSiteUrl,
      'must be an absolute http(s) URL of the folder the site is published in, such as https://example.org/whitepaper/',
    )
    .transform((url) => (url.endsWith('/') ? url : `${url}/`))
    .optional(),
  /** The publisher's city, for the citation (GB/T 7714 `出版地`). */
  place: z.string().default(''),
  keywords: z.array(z.string()).default([]),
  /** Chapter files, relative to the folder of the config, in book order. */
  chapters: z.array(z.string().regex(/\.md$/, 'must be a .md file')).min(1),
  backCover: z
    .strictObject({
      slogan: z.array(z.string()).default([]),
      contact: z.array(contactSchema).default([]),
    })
    .default({ slogan: [], contact: [] }),
  /** Files copied as they are to the site's root (icons, say), relative to the book root. The folder is optional. */
  static: z.string().default('static'),
  /**
   * Folders of the book's own templates and styles, relative to the book root (default `templates` and `styles`,
   * when they exist). They override or add to the engine's default theme.
   */
  templates: z.string().optional(),
  styles: z.string().optional(),
  /**
   * The book font: a CSS family name and TrueType-outline font files (paths relative to the config file, or package
   * paths under node_modules). Default: by language (see `defaultFonts`).
   */
  fonts: z
    .strictObject({
      ...fontFamilyShape,
      /**
       * A Latin font set before the book font, so that Latin runs use it (Chinese books: Noto Sans by default), or
       * `false` for none.
       */
      latin: z.union([z.strictObject(fontFamilyShape), z.literal(false)]).optional(),
    })
    .optional(),
})

export type BookConfig = z.infer<typeof bookConfigSchema>

/** An absolute http(s) address of a folder: no query, no fragment, and written as the URL parser would write it. */
function isSiteUrl(value: string): boolean {
  try {
    const url = new URL(value)
    const folder = (text: string) => text.replace(/\/?$/, '/')
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      !url.search &&
      !url.hash &&
      folder(url.href) === folder(value)
    )
  } catch {
    return false
  }
}

export interface LoadedConfig {
  config: BookConfig
  /** Absolute path of the config file. */
  file: string
  /** Absolute path of the folder that holds the chapters. */
  chaptersDir: string
}

/** Where to look for the config, relative to the book root. */
const CONFIG_CANDIDATES = ['chapters/book.yaml', 'chapters/book.yml', 'book.yaml']

/**
 * Read and validate the book config. Records positioned errors and returns
 * undefined when the config is missing or invalid.
 */
export async function loadConfig(root: string, diagnostics: Diagnostics): Promise<LoadedConfig | undefined> {
  let file: string | undefined
  for (const candidate of CONFIG_CANDIDATES) {
    const full = path.join(root, candidate)
    if (await exists(full)) {
      file = full
      break
    }
  }
  if (!file) {
    diagnostics.error(
      path.join(root, CONFIG_CANDIDATES[0]!),
      `No book config found; create ${CONFIG_CANDIDATES[0]} with the title, author, date and the list of chapters`,
      'config:missing',
    )
    return undefined
  }
  const text = await fs.readFile(file, 'utf8')
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false })
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  for (const error of document.errors) {
    diagnostics.error(file, `Invalid YAML: ${firstLine(error.message)}`, 'config:yaml', at(error.pos[0]))
  }
  if (document.errors.length > 0) return undefined

  const result = bookConfigSchema.safeParse(document.toJS() ?? {})
  if (!result.success) {
    const place = (keyPath: string[], options?: { key?: boolean }) => {
      const node = yamlNodeAt(document.contents, keyPath, options)
      return node?.range ? at(node.range[0]) : undefined
    }
    for (const issue of schemaIssues(result.error, document.toJS())) {
      const where = issue.path.length > 0 ? `\`${issue.path.join('.')}\`` : 'the config'
      if (issue.kind === 'unknown-key') {
        const known = Object.keys(knownKeys(issue.path))
        const name = [...issue.path, issue.key].join('.')
        const guess = didYouMean(issue.key, known)
        const message =
          `Unknown key \`${name}\`${guess ? `; did you mean \`${guess}\`?` : '.'} Known ` +
          `keys${issue.path.length > 0 ? ` of ${where}` : ''} are ${known.join(', ')}`
        diagnostics.error(file, message, 'config:schema', place([...issue.path, issue.key], { key: true }))
        continue
      }
      const message =
        issue.kind === 'missing'
          ? `${where}: missing required field; add \`${issue.path.at(-1)}:\` to the config`
          : `${where}: ${issue.message.replace(/^Invalid (input|option): /, '')}${issue.hint}`
      diagnostics.error(file, message, 'config:schema', place(issue.path))
    }
    return undefined
  }
  return { config: result.data, file, chaptersDir: path.dirname(file) }
}

/** The keys the schema knows at a key path (for unknown-key messages). */
function knownKeys(keyPath: string[]): Record<string, unknown> {
  let schema: unknown = bookConfigSchema
  for (const key of keyPath) {
    while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema.unwrap()
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, unknown>)[key]
    else if (schema instanceof z.ZodArray) schema = schema.element
    else return {}
  }
  while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema.unwrap()
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : {}
}

/** The creation date of the book's outputs: SOURCE_DATE_EPOCH, or the config's date. */
export function buildDate(config: BookConfig, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000)
  const [year, month = '1', day = '1'] = config.date.split('.')
  return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}
