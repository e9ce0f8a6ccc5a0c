/**
 * A page's first screen waits for a small font file only.
 *
 * A CJK face costs about 0.14 KB a character, and the site's two faces (every character the site shows) are some
 * 200 KB: on a slow phone connection they decide when the first screen shows its text. So each page also gets a small
 * `first` file per weight, holding only the characters of its opening (what the reader sees before scrolling:
 * everything before `<main>`, its navigation, then main's first characters), declared in the page with a
 * `unicode-range` and preloaded. The site's whole faces follow through the FontFace API (`assets/fonts.js`) once the
 * page has loaded and painted, and are added to the document only when loaded, so that no text waits for them or
 * changes font while they load; a reader who has loaded them before (remembered in localStorage), or who opens a page
 * at a `#fragment` (whose first screen is further down), gets them at once, as before. Without JavaScript a
 * `<noscript>` declares the whole faces. See docs/decisions/010-site-reader-tools.md.
 */
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import type { Element, ElementContent, Root, RootContent } from 'hast'
import { fontFaceCss, resubsetFont, type SubsetFont } from './fonts.ts'
import { boldTextByPage } from './bold.ts'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { readJson, writeAtomic } from '../write/files.ts'

/**
 * How many characters from `<main>` on count as a page's first screen. Measured on the real book in Chromium, counted
 * the same way: a 412×823 phone shows 270–360 of a part page and 531 of the dense 摘要. At 375 to 1280 px every
 * character of every first screen is then in the first files (an e2e check); a 1920×1080 screen shows a few
 * characters more, which appear in the whole faces a moment later.
 */
export const OPENING_CHARACTERS = 600

/** Printable ASCII: always in the first files, so that Latin text on the first screen never waits. */
export const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')

/** Elements whose content the browser does not show (SVG `title` and `desc` included). */
const NOT_SHOWN = new Set(['head', 'script', 'style', 'template', 'noscript', 'title', 'desc'])

/**
 * The part of a page the browser shows before the reader scrolls, as a tree: what `<body>` holds before `<main>`,
 * and from `<main>` on, shown text up to `characters` characters (whitespace not counted; on a short page that reaches
 * past `<main>`, to the footer), and every `<nav>` whole, as a wide screen shows its rail of links at once. Closed
 * `<dialog>`s and the content of closed `<details>` (except their `<summary>`) are left out. A page without `<main>`
 * is all opening.
 */
export function openingTree(html: string, characters = OPENING_CHARACTERS): Root {
  let inMain = false
  let left = characters
  const visit = (node: RootContent, inNav: boolean): RootContent | undefined => {
    if (node.type === 'comment' || node.type === 'doctype') return undefined
    if (node.type === 'text') {
      if (!inMain || inNav) return node
      let kept = ''
      for (const char of node.value) {
        if (left <= 0) break
        kept += char
        if (char.trim()) left--
      }
      return { ...node, value: kept }
    }
    if (node.type !== 'element' || !shown(node)) return undefined
    if (node.tagName === 'main') inMain = true
    const open = node.tagName !== 'details' || node.properties.open !== undefined
    const children = node.children
      .filter((child) => open || (child.type === 'element' && child.tagName === 'summary'))
      .map((child) => visit(child, inNav || node.tagName === 'nav'))
      .filter((child): child is ElementContent => child !== undefined)
    return { ...node, children }
  }
  const tree = fromHtml(html)
  return { ...tree, children: tree.children.map((child) => visit(child, false)).filter((child) => child !== undefined) }
}

/** Whether an element's content can show at first. A `hidden` one counts: scripts reveal some at once. */
function shown(element: Element): boolean {
  if (NOT_SHOWN.has(element.tagName)) return false
  return element.tagName !== 'dialog' || element.properties.open !== undefined
}

export interface FirstFontsInput {
  /** Every page's HTML. */
  pages: string[]
  /** The site stylesheet (its `content:` strings are shown too). */
  css: string
  /** The book's script, whose messages and buttons may show on the first screen. */
  script: string
  /**
   * Subsets the first files are cut from, one per face (the print's, which hold every character), with the text of
   * the site's whole face of that weight: a first file holds only characters its whole face has.
   */
  sources: SubsetFont[]
  wholeText: Record<400 | 700, string>
  cacheDir: string
}

/** Each page's first files: each face subset to the characters its opening shows in that weight. */
export async function firstFonts(input: FirstFontsInput): Promise<SubsetFont[][]> {
  const shown = await cachedOpeningText(input.pages, input.css, input.cacheDir)
  const whole = { 400: new Set(input.wholeText[400]), 700: new Set(input.wholeText[700]) }
  // Every page's subsets at once: the worker pool spreads them over the cores.
  return Promise.all(
    shown.map((text) =>
      Promise.all(
        input.sources.map(async (face) => {
          const shown = `${text[face.weight]}${input.css}${input.script}${ASCII}`
          const chars = [...new Set(shown)].filter((c) => c >= ' ').sort()
          const kept = chars.filter((c) => whole[face.weight].has(c)).join('')
          const first = await resubsetFont(face, kept, input.cacheDir)
          return { ...first, unicodeRange: unicodeRange(chars) }
        }),
      ),
    ),
  )
}

/**
 * The text each page's opening shows in each weight, remembered in `cacheDir` by the page, the stylesheet and this
 * module's code: parsing a page and matching the bold rules take some 50 ms a page, and an edit changes one page.
 */
async function cachedOpeningText(pages: string[], css: string, cacheDir: string): Promise<Record<400 | 700, string>[]> {
  const code = readFileSync(import.meta.filename)
  const files = pages.map((page) => {
    const key = createHash('sha256').update(code).update('\0').update(css).update('\0').update(page)
    return path.join(cacheDir, `${key.digest('hex')}.opening.json`)
  })
  const cached = await Promise.all(files.map((file) => readJson<Record<400 | 700, string>>(file)))
  const missing = pages.filter((_, index) => !cached[index])
  const openings = missing.map((page) => openingTree(page))
  const bold = openings.length > 0 ? boldTextByPage(openings, css) : []
  const made = openings.map((opening, index) => ({ 400: toString(opening), 700: bold[index]! }))
  let next = 0
  const texts = cached.map((text) => text ?? made[next++]!)
  await fs.mkdir(cacheDir, { recursive: true })
  await Promise.all(texts.map((text, index) => cached[index] ?? writeAtomic(files[index]!, JSON.stringify(text))))
  return texts
}

/** A CSS `unicode-range` value for `chars`, consecutive code points joined: `U+20-7E,U+4E00,U+4E09-4E0B`. */
export function unicodeRange(chars: Iterable<string>): string {
  const points = [...new Set([...chars].map((c) => c.codePointAt(0)!))].sort((a, b) => a - b)
  const ranges: string[] = []
  const hex = (n: number) => n.toString(16).toUpperCase()
  for (let i = 0; i < points.length; i++) {
    let end = i
    while (end + 1 < points.length && points[end + 1] === points[end] + 1) end++
    ranges.push(end > i ? `U+${hex(points[i])}-${hex(points[end])}` : `U+${hex(points[i])}`)
    i = end
  }
  return ranges.join(',')
}

/** The script that brings the whole faces, written beside the stylesheet. */
export const FONTS_SCRIPT = 'assets/fonts.js'

/**
 * The script's code: it brings the whole faces (`whole`: [family, weight, style, url]), after the first contentful
 * paint and the load event on a first visit, at once when this browser has loaded them before or the page opens at a
 * `#fragment`. A browser without the FontFace API gets them declared in a style element.
 */
const WHOLE_FACES_SCRIPT = `const key=whole.map((f)=>f[3]).join(' ')
let known
try{known=localStorage.getItem('book-fonts')===key}catch{}
const bring=(now)=>{const faces=whole.map(([family,weight,style,url])=>new FontFace(family,'url('+url+')',{weight,style,display:'swap'}))
if(now)faces.forEach((f)=>document.fonts.add(f))
Promise.all(faces.map((f)=>now?f.loaded:f.load())).then(()=>{if(!now)faces.forEach((f)=>document.fonts.add(f))
try{localStorage.setItem('book-fonts',key)}catch{}},()=>{})}
if(!window.FontFace)document.head.insertAdjacentHTML('beforeend','<style>'+whole.map(([family,weight,style,url])=>'@font-face{font-family:"'+family+'";font-weight:'+weight+';font-style:'+style+';font-display:swap;src:url('+url+')}').join('')+'</style>')
else if(known||location.hash)bring(true)
else{let painted=!(window.PerformanceObserver&&PerformanceObserver.supportedEntryTypes||[]).includes('paint'),loaded=false
const go=()=>painted&&loaded&&setTimeout(()=>bring(false))
if(!painted)new PerformanceObserver((list,observer)=>{if(list.getEntriesByName('first-contentful-paint').length){observer.disconnect();painted=true;go()}}).observe({type:'paint',buffered:true})
addEventListener('load',()=>{loaded=true;requestAnimationFrame(go)})}`

/** The code of `FONTS_SCRIPT` for the site's whole faces; `fontsBase` is the fonts folder relative to the pages. */
export function fontsScript(whole: SubsetFont[], fontsBase: string): string {
  const faces = whole.map((f) => [f.family, String(f.weight), f.style, `${fontsBase}${f.name}`])
  return `{const whole=${JSON.stringify(faces)}\n${WHOLE_FACES_SCRIPT}}\n`
}

/**
 * What a page's `<head>` gets: its first faces (`@font-face` with `unicode-range`) and their preloads, a `<noscript>`
 * declaring the whole faces, and `FONTS_SCRIPT`, which brings them (see the module comment). `fontsBase` is the fonts
 * folder relative to the page.
 */
export function fontHead(first: SubsetFont[], whole: SubsetFont[], fontsBase: string): string {
  const preloads = first.map(
    (f) => `<link rel="preload" href="${fontsBase}${f.name}" as="font" type="font/woff2" crossorigin>\n`,
  )
  return (
    `<style>${fontFaceCss(first, fontsBase)}</style>\n${preloads.join('')}` +
    `<noscript><style>${fontFaceCss(whole, fontsBase)}</style></noscript>\n` +
    `<script src="${FONTS_SCRIPT}" defer></script>\n`
  )
}
