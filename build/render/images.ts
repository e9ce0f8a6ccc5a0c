/** Markdown images in a chapter's hast: raster images get their size, SVGs go inline (so their text has the book font). */
import type { Root as HastRoot, Element } from 'hast'
import { visit } from 'unist-util-visit'
import { h } from './hast.ts'

/** What the render step needs to know of a prepared image (see the images stage). */
export interface ImageView {
  width: number
  height: number
  /** SVGs: the markup to inline. */
  svg?: string
}

/** Give every prepared image its width and height, and put SVGs inline with the alt text as their name. */
export function placeImages(tree: HastRoot, images: ReadonlyMap<string, ImageView>): void {
  visit(tree, 'element', (node: Element, index, parent) => {
    const src = node.tagName === 'img' && typeof node.properties.src === 'string' ? node.properties.src : ''
    const image = images.get(src)
    if (!image || !parent || index === undefined) return undefined
    if (!image.svg) {
      Object.assign(node.properties, { width: image.width, height: image.height })
      return undefined
    }
    const alt = typeof node.properties.alt === 'string' ? node.properties.alt : ''
    parent.children[index] = h(
      'span',
      { className: ['inline-svg'], role: 'img', ...(alt ? { ariaLabel: alt } : { ariaHidden: 'true' }) },
      [{ type: 'raw', value: image.svg }],
    )
    return undefined
  })
}
