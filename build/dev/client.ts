/** The script the dev server adds to every HTML page it serves: live reload and the error overlay. */

/** Where pages listen for build events (server-sent events). */
export const EVENTS_PATH = '/__dev/events'

const OVERLAY_STYLE =
  'position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;margin:0;padding:16px 20px;' +
  'background:rgba(40,0,0,.94);color:#fff;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;' +
  'box-shadow:0 4px 24px rgba(0,0,0,.5)'
const CLOSE_STYLE =
  'position:absolute;top:8px;right:12px;background:none;border:0;color:#fff;font-size:20px;cursor:pointer'

/**
 * Listens on `/__dev/events`, reloads when the page (or a shared asset)
 * changed, and shows build errors in an overlay. Plain ES2017, no dependencies.
 * With `always`, any rebuild reloads the page (the 404 page).
 */
function reloadScript(always: boolean): string {
  const code = `(function () {
  var here = decodeURIComponent(location.pathname.split('/').pop() || 'index.html');
  var always = ${always};
  var build = null;
  var overlay = null;
  function clear() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(title, list) {
    clear();
    overlay = document.createElement('div');
    overlay.id = '__dev-overlay';
    overlay.setAttribute('role', 'alert');
    overlay.style.cssText = ${JSON.stringify(OVERLAY_STYLE)};
    var head = document.createElement('div');
    head.style.cssText = 'font-weight:bold;color:#ff8a80;margin-bottom:8px';
    head.textContent = title;
    overlay.appendChild(head);
    list.forEach(function (d) {
      var row = document.createElement('div');
      row.style.cssText = 'white-space:pre-wrap;margin:4px 0';
      var where = document.createElement('span');
      where.style.color = '#ffcc80';
      where.textContent = d.where + ' ';
      var message = document.createElement('span');
      message.textContent = d.severity + ' ' + d.message + ' ';
      var rule = document.createElement('span');
      rule.style.color = '#aaa';
      rule.textContent = d.ruleId;
      row.appendChild(where); row.appendChild(message); row.appendChild(rule);
      overlay.appendChild(row);
    });
    var close = document.createElement('button');
    close.textContent = '×';
    close.setAttribute('aria-label', 'Hide');
    close.style.cssText = ${JSON.stringify(CLOSE_STYLE)};
    close.onclick = clear;
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }
  var source = new EventSource('${EVENTS_PATH}');
  source.addEventListener('hello', function (e) {
    var id = JSON.parse(e.data).build;
    if (build !== null && id !== build) location.reload();
    build = id;
  });
  source.addEventListener('reload', function (e) {
    var data = JSON.parse(e.data);
    build = data.build;
    var changed = data.changed.some(function (f) { return f === here || !/\\.html$/.test(f); });
    if (always || changed) location.reload();
  });
  source.addEventListener('errors', function (e) {
    var data = JSON.parse(e.data);
    show(data.title, data.diagnostics);
  });
  source.addEventListener('ok', clear);
})();`
  return `<script data-dev-reload>${code}</script>`
}

/** `html` with the live-reload script before `</body>` (or at the end when there is none). */
export function injectReloadScript(html: string, always: boolean): string {
  const script = reloadScript(always)
  const at = html.lastIndexOf('</body>')
  return at < 0 ? html + script : html.slice(0, at) + script + html.slice(at)
}
