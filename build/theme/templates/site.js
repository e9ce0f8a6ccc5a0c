// The site's reader tools. The pages read fully without this script; it adds keyboard paging, Esc for the menu,
// copy buttons for links and citations, the current section in the "on this page" list, full-screen figures and search.
// A Mustache template: the engine fills in the book's labels, escaped for a JavaScript string.
'use strict'
;(() => {
  const siteRoot = new URL('../', document.currentScript.src)
  /** A label with its count and query filled in. */
  const fill = (label, n, q) => label.replaceAll('{n}', n).replaceAll('{q}', q)
  // Where the arrow keys already mean something: typing, and scrolling a wide table or an enlarged figure.
  const ownsArrows = (target) =>
    target instanceof Element &&
    target.closest('input, textarea, select, [contenteditable="true"], [role="region"], dialog')

  /** A short message at the foot of the screen, read out by screen readers. */
  const toast = document.createElement('p')
  toast.className = 'toast'
  toast.setAttribute('role', 'status')
  document.body.append(toast)
  let toastTimer
  const say = (message) => {
    toast.textContent = message
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => (toast.textContent = ''), 2000)
  }
  const copy = async (text, done) => {
    try {
      await navigator.clipboard.writeText(text)
      say(done)
    } catch {
      say('{{labels.copyFailed}}')
    }
  }

  // The left and right arrow keys turn the page; Esc closes an open menu and returns focus to its button.
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
    if (event.key === 'Escape') {
      for (const menu of document.querySelectorAll('details[open].toc-menu, details[open].page-toc')) {
        menu.open = false
        menu.querySelector('summary').focus()
      }
      return
    }
    if (ownsArrows(event.target)) return
    const rel = { ArrowLeft: 'prev', ArrowRight: 'next' }[event.key]
    const link = rel && document.querySelector(`link[rel="${rel}"]`)
    if (link && !document.querySelector('dialog[open]')) location.href = link.href
  })
  // A link chosen in a menu closes it, so the reader sees where it led.
  for (const menu of document.querySelectorAll('.toc-menu, .page-toc')) {
    menu.addEventListener('click', (event) => {
      if (event.target.closest('a')) menu.open = false
    })
  }
  document.addEventListener('click', (event) => {
    const open = document.querySelector('.toc-menu[open]')
    if (open && !open.contains(event.target)) open.open = false
  })

  // A heading's or caption's own link also copies its address.
  for (const anchor of document.querySelectorAll('a.anchor')) {
    anchor.addEventListener('click', () => {
      if (location.protocol !== 'file:') copy(new URL(anchor.getAttribute('href'), location.href).href, '{{labels.linkCopied}}')
    })
  }
  for (const button of document.querySelectorAll('.copy-button[data-copy]')) {
    button.hidden = false
    button.addEventListener('click', () => copy(document.getElementById(button.dataset.copy).textContent, '{{labels.citationCopied}}'))
  }

  // Figures and the rail wait for the first paint: setting them up reads layout, which would hold the paint back.
  requestAnimationFrame(() => setTimeout(() => {
    setUpFigures()
    setUpRail()
  }))
  if (document.querySelector('.search-page')) setUpSearch()

  /** The section being read is marked in the "on this page" rail. */
  function setUpRail() {
    const rail = document.querySelector('.page-rail')
    if (!rail || !('IntersectionObserver' in window) || getComputedStyle(rail).display === 'none') return
    const links = new Map([...rail.querySelectorAll('a[href^="#"]')].map((a) => [decodeURIComponent(a.hash.slice(1)), a]))
    const headings = [...links.keys()].map((id) => document.getElementById(id)).filter(Boolean)
    const mark = () => {
      const line = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0
      const current = headings.filter((h) => h.getBoundingClientRect().top <= line + 8).at(-1) ?? headings[0]
      for (const [id, a] of links) {
        if (id === current?.id) a.setAttribute('aria-current', 'true')
        else a.removeAttribute('aria-current')
      }
    }
    const observer = new IntersectionObserver(mark, { rootMargin: '0px 0px -60% 0px' })
    headings.forEach((h) => observer.observe(h))
  }

  /** Each figure opens full screen on a tap, at a size where its smallest label is at least 11 CSS px. */
  function setUpFigures() {
    const dialog = document.createElement('dialog')
    dialog.className = 'figure-dialog'
    dialog.innerHTML = '<div class="dialog-bar"><p class="dialog-title" id="figure-dialog-title"></p><button type="button">{{labels.close}}</button></div><div class="dialog-body"></div>'
    dialog.setAttribute('aria-labelledby', 'figure-dialog-title')
    dialog.querySelector('button').addEventListener('click', () => dialog.close())
    dialog.addEventListener('click', (event) => event.target === dialog && dialog.close())
    document.body.append(dialog)
    for (const figure of document.querySelectorAll('figure.figure')) {
      const body = figure.querySelector('.figure-body')
      const svg = body?.querySelector('svg')
      if (!svg) continue
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'figure-zoom'
      button.textContent = '{{labels.zoom}}'
      const tools = figure.querySelector('.figure-tools') ?? body
      tools.prepend(button)
      body.classList.add('zoomable')
      const open = () => {
        const clone = svg.cloneNode(true)
        for (const el of [clone, ...clone.querySelectorAll('[id]')]) el.removeAttribute('id')
        clone.removeAttribute('aria-labelledby')
        clone.setAttribute('aria-label', figure.querySelector('figcaption').textContent.trim())
        const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize)).filter((n) => n > 0)
        const smallest = Math.min(...sizes, 12)
        const width = svg.viewBox.baseVal?.width || svg.getBoundingClientRect().width
        const fit = Math.min(window.innerWidth - 32, width * 1.6)
        // A little over 11 px, so that rounding never leaves a label just under it.
        const scale = Math.max(fit / width, 11.5 / smallest)
        clone.style.width = `${Math.round(width * scale)}px`
        dialog.querySelector('.dialog-title').textContent = figure.querySelector('figcaption').textContent.trim()
        dialog.querySelector('.dialog-body').replaceChildren(clone)
        dialog.showModal()
      }
      button.addEventListener('click', open)
      body.addEventListener('click', open)
    }
  }

  /** The search page: Pagefind's index, queried in the browser; each hit names its part and section and links to its heading. */
  async function setUpSearch() {
    const form = document.querySelector('.search-form')
    const input = form.querySelector('input')
    const status = document.querySelector('.search-status')
    const list = document.querySelector('.search-results')
    if (location.protocol === 'file:') {
      document.querySelector('.search-file').hidden = false
      input.disabled = true
      return
    }
    let pagefind
    try {
      pagefind = await import(new URL('pagefind/pagefind.js', siteRoot).href)
      await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 40 })
    } catch {
      status.textContent = '{{labels.searchUnavailable}}'
      return
    }
    const run = async (query) => {
      list.replaceChildren()
      if (!query.trim()) return void (status.textContent = '')
      status.textContent = '{{labels.searching}}'
      const search = await pagefind.search(query)
      const hits = await Promise.all(search.results.slice(0, 30).map((result) => result.data()))
      status.textContent = fill(hits.length ? '{{labels.searchFound}}' : '{{labels.searchNone}}', search.results.length, query)
      for (const hit of hits) list.append(resultItem(hit))
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      history.replaceState(null, '', `?q=${encodeURIComponent(input.value)}`)
      run(input.value)
    })
    input.value = new URLSearchParams(location.search).get('q') ?? ''
    input.focus()
    run(input.value)
  }

  function resultItem(hit) {
    const item = document.createElement('li')
    const where = document.createElement('span')
    where.className = 'where'
    where.textContent = [hit.meta.part, hit.meta.section].filter((text, i, all) => text && all.indexOf(text) === i).join(' · ')
    const link = document.createElement('a')
    link.href = hit.url
    link.textContent = hit.meta.title
    const excerpt = document.createElement('p')
    // The excerpt is the book's own text with <mark> around the hits: keep only those two kinds of node.
    const parsed = document.createElement('template')
    parsed.innerHTML = hit.excerpt
    for (const node of parsed.content.childNodes) {
      if (node.nodeName === 'MARK') excerpt.append(Object.assign(document.createElement('mark'), { textContent: node.textContent }))
      else excerpt.append(node.textContent)
    }
    item.append(where, link, excerpt)
    return item
  }
})()
