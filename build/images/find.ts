/** Where the book uses images: Markdown images, and figures whose `src=` names an image file. */
import type { Image } from 'mdast'
import { visit } from 'unist-util-visit'
import type { Position } from '../diagnostics.ts'
import type { BookModel, Chapter, FloatEntry } from '../collect/model.ts'
import { start } from '../collect/nodes.ts'

export interface ImageUse {
  chapter: Chapter
  /** The path as written, relative to the chapter file. */
  src: string
  place?: Position
  /** The Markdown image, whose `url` the images stage rewrites. */
  node?: Image
  /** The figure that shows the image. */
  figure?: FloatEntry
}

/** Every image use of the book, in book order; reference-style images (`![alt][ref]`), which are not supported. */
export function findImages(model: BookModel): { uses: ImageUse[]; references: ImageUse[] } {
  const uses: ImageUse[] = []
  const references: ImageUse[] = []
  for (const chapter of model.chapters) {
    visit(chapter.tree, (node) => {
      if (node.type === 'image') uses.push({ chapter, src: node.url, place: start(node), node })
      if (node.type === 'imageReference') references.push({ chapter, src: node.identifier, place: start(node) })
    })
    for (const figure of model.figures) {
      if (figure.chapter === chapter && figure.src) uses.push({ chapter, src: figure.src, place: figure.place, figure })
    }
  }
  return { uses, references }
}
