/** Every chapter of the book rendered once to hast, shared by the site and the print document. */
import type { Root as HastRoot } from 'hast'
import type { BookModel } from '../collect/model.ts'
import type { BookConfig } from '../config/config.ts'
import type { BookImages } from '../images/stage.ts'
import { renderChapter } from './chapter.ts'
import { codeHighlighter } from './code.ts'
import { noteNumbering } from './notes.ts'

/** Each chapter's hast by chapter id: notes numbered as the config says, images placed, code highlighted. */
export async function renderBook(
  model: BookModel,
  config: BookConfig,
  images: BookImages,
): Promise<Map<string, HastRoot>> {
  const noteNumbers = noteNumbering(config)
  const imageViews = new Map([...images.byUse.values()].map((image) => [image.name, image]))
  const highlight = await codeHighlighter(model.chapters.map((chapter) => chapter.tree))
  return new Map(
    model.chapters.map((chapter) => [
      chapter.id,
      renderChapter(chapter.tree, model, { noteNumbers, images: imageViews, highlight }),
    ]),
  )
}
