/**
 * The images stage: every image the book uses is found in the book's folder,
 * checked (inside the book, present, a PNG, JPEG, WebP or SVG, alt text),
 * and made ready for both renditions: raster images larger than print needs
 * are downscaled once (and cached by content), SVGs are prepared for inlining.
 * Each image gets a content-named file under the site's `images/`.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import type { Diagnostics } from '../diagnostics.ts'
import type { BookModel } from '../collect/model.ts'
import { writeAtomic } from '../write/files.ts'
import type { FigureOutput } from '../render/rendition.ts'
import { findImages, type ImageUse } from './find.ts'
import { inlineSvg, unsafeSvgReason } from './svg.ts'

/** Longest side, in pixels, a raster image keeps: a full text-width image at about 300 dpi. */
export const PRINT_MAX_PIXELS = 1800

/** Beyond this many pixels an image is refused: decoding it would take too much memory. */
const MAX_INPUT_PIXELS = 50_000_000

const FORMATS = { png: 'png', jpeg: 'jpg', webp: 'webp', svg: 'svg' } as const

export interface PreparedImage {
  /** Site-relative file name, e.g. `images/clouds-1a2b3c4d.jpg`. */
  name: string
  width: number
  height: number
  /** The bytes the site serves (and the print document loads). */
  data: Buffer
  /** SVGs: the markup to inline, ids prefixed. */
  svg?: string
}

export interface ImageOptions {
  root: string
  cacheDir: string
  fontFamily: string
  diagnostics: Diagnostics
}

export interface BookImages {
  /** By the node or figure that uses it. */
  byUse: Map<ImageUse, PreparedImage>
  /** Site files: name → bytes. */
  files: Map<string, Buffer>
}

/** Check and prepare every image; rewrite each Markdown image's URL to its site file. */
export async function prepareImages(model: BookModel, options: ImageOptions): Promise<BookImages> {
  const byUse = new Map<ImageUse, PreparedImage>()
  const files = new Map<string, Buffer>()
  const { uses, references } = findImages(model)
  for (const { chapter, src, place } of references) {
    options.diagnostics.error(
      chapter.file,
      `The image \`![…][${src}]\` is written reference-style, which the book does not support; write the path in ` +
        'the image itself: `![what the image shows](images/x.png)`',
      'image:reference-style',
      place,
    )
  }
  for (const [index, use] of uses.entries()) {
    const image = await prepareImage(use, index, options)
    if (!image) continue
    byUse.set(use, image)
    // An SVG goes inline into the pages: no file to serve.
    if (!image.svg) files.set(image.name, image.data)
    if (use.node) use.node.url = image.name
  }
  return { byUse, files }
}

async function prepareImage(use: ImageUse, index: number, options: ImageOptions): Promise<PreparedImage | undefined> {
  const { diagnostics, root } = options
  const { chapter, place } = use
  const what = use.figure
    ? `The figure \`${use.figure.id}\` has \`src="${use.src}"\`, which`
    : `The image \`${use.src}\``
  if (use.node && !use.node.alt?.trim()) {
    diagnostics.warn(
      chapter.file,
      `The image \`${use.src}\` has no alt text; describe it in the brackets: \`![what the image shows](${use.src})\``,
      'image:missing-alt',
      place,
    )
  }
  const src = decode(use.src.trim())
  if (/^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/\/)/.test(src) || path.isAbsolute(src)) {
    diagnostics.error(
      chapter.file,
      `${what} is not a path inside the book; put the file in the book's folder (for example \`chapters/images/\`) ` +
        'and write its path relative to the chapter',
      'image:outside-book',
      place,
    )
    return undefined
  }
  const file = path.resolve(root, path.dirname(chapter.file), src)
  const relative = path.relative(root, file)
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    diagnostics.error(
      chapter.file,
      `The image path \`${use.src}\` leads outside the book's folder; keep images inside the book (for example in ` +
        '`chapters/images/`)',
      'image:outside-book',
      place,
    )
    return undefined
  }
  const bookPath = relative.split(path.sep).join('/')
  const data = await readInside(file, root)
  if (!data) {
    diagnostics.error(
      chapter.file,
      `${what} does not exist (looked for \`${bookPath}\`, relative to the chapter). Add the file, or fix the path`,
      'image:missing',
      place,
    )
    return undefined
  }
  return processImage(data, { ...use, bookPath, index }, options)
}

/** The file's bytes, or undefined when it is missing or (through a link) outside the book. */
async function readInside(file: string, root: string): Promise<Buffer | undefined> {
  try {
    const real = await fs.realpath(file)
    const realRoot = await fs.realpath(root)
    if (path.relative(realRoot, real).startsWith('..')) return undefined
    return await fs.readFile(real)
  } catch {
    return undefined
  }
}

async function processImage(
  data: Buffer,
  use: ImageUse & { bookPath: string; index: number },
  options: ImageOptions,
): Promise<PreparedImage | undefined> {
  const { chapter, place } = use
  const metadata = await sharp(data, { limitInputPixels: false })
    .metadata()
    .catch(() => undefined)
  const format = metadata?.format as keyof typeof FORMATS | undefined
  if (!metadata || !format || !(format in FORMATS) || !metadata.width || !metadata.height) {
    options.diagnostics.error(
      chapter.file,
      `\`${use.src}\` is not a PNG, JPEG, WebP or SVG image that can be read` +
        `${metadata?.format ? ` (it is ${metadata.format})` : ''}. Replace it with a real image`,
      'image:unreadable',
      place,
    )
    return undefined
  }
  if (format !== 'svg' && metadata.width * metadata.height > MAX_INPUT_PIXELS) {
    options.diagnostics.error(
      chapter.file,
      `\`${use.src}\` is ${metadata.width}×${metadata.height} pixels, too large to embed (at most ` +
        `${MAX_INPUT_PIXELS / 1e6} million); scale it down to about ${PRINT_MAX_PIXELS} pixels on its longest side`,
      'image:too-large',
      place,
    )
    return undefined
  }
  const stem =
    path
      .basename(use.bookPath)
      .replace(/\.[^.]+$/, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-') || 'image'
  if (format === 'svg') {
    const text = data.toString('utf8')
    const unsafe = unsafeSvgReason(text)
    if (unsafe) {
      options.diagnostics.error(
        chapter.file,
        `\`${use.src}\` contains ${unsafe}; SVGs are put inline into the pages, so they may hold only drawing. ` +
          'Remove it, or export the drawing as PNG',
        'image:unsafe-svg',
        place,
      )
      return undefined
    }
    const id = use.figure ? `${use.figure.id}-svg` : `${chapter.id}-image-${use.index + 1}`
    const title = use.figure ? `${use.figure.label} ${use.figure.caption}` : (use.node?.alt ?? '')
    const svg = inlineSvg(text, { id, title, fontFamily: options.fontFamily })
    return { name: contentName(stem, data, 'svg'), width: metadata.width, height: metadata.height, data, svg }
  }
  const scaled = await downscale(data, format, metadata.width, metadata.height, options.cacheDir)
  return { name: contentName(stem, scaled.data, FORMATS[format]), ...scaled }
}

/** Raster images larger than print needs are scaled down once, cached by their content. */
async function downscale(
  data: Buffer,
  format: 'png' | 'jpeg' | 'webp',
  width: number,
  height: number,
  cacheDir: string,
): Promise<{ data: Buffer; width: number; height: number }> {
  if (Math.max(width, height) <= PRINT_MAX_PIXELS) return { data, width, height }
  const scale = PRINT_MAX_PIXELS / Math.max(width, height)
  const size = { width: Math.round(width * scale), height: Math.round(height * scale) }
  const key = createHash('sha256').update(`${sharp.versions.vips}:${size.width}x${size.height}:`).update(data)
  const cached = path.join(cacheDir, 'images', `${key.digest('hex')}.${FORMATS[format]}`)
  const hit = await fs.readFile(cached).catch(() => undefined)
  if (hit) return { data: hit, ...size }
  const resized = sharp(data).resize(size.width, size.height, { fit: 'fill' })
  const out = await (
    format === 'png'
      ? resized.png({ compressionLevel: 9 })
      : format === 'webp'
        ? resized.webp({ quality: 82 })
        : resized.jpeg({ quality: 82, mozjpeg: true })
  ).toBuffer()
  await fs.mkdir(path.dirname(cached), { recursive: true })
  await writeAtomic(cached, out)
  return { data: out, ...size }
}

/** Figures whose `src=` is an image: an inline SVG, or an `<img>` of the site's copy. */
export function imageFigures(images: BookImages): [string, FigureOutput][] {
  return [...images.byUse].flatMap(([use, image]): [string, FigureOutput][] => {
    if (!use.figure) return []
    if (image.svg) return [[use.figure.id, { svg: image.svg, dataFiles: [] }]]
    const view = { src: image.name, width: image.width, height: image.height, alt: use.figure.caption }
    return [[use.figure.id, { svg: '', dataFiles: [], image: view }]]
  })
}

function contentName(stem: string, data: Buffer, extension: string): string {
  return `images/${stem}-${createHash('sha256').update(data).digest('hex').slice(0, 10)}.${extension}`
}

function decode(text: string): string {
  try {
    return decodeURI(text)
  } catch {
    return text
  }
}
