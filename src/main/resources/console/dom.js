// Small DOM helpers. Text always goes in as text (textContent), never as HTML, and no element gets
// a style attribute (the Content-Security-Policy forbids inline styles): classes only.

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'value') e.value = v;
    else if (k === 'checked') e.checked = !!v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, children);
  return e;
}

function append(parent, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    parent.append(c instanceof Node ? c : String(c));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A message in words: kind is 'error', 'ok' or 'info'. Errors are announced (role=alert). */
export function notice(kind, ...text) {
  return el('p', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, ...text);
}

export function loading(what) {
  return el('p', { class: 'loading', role: 'status' }, 'Loading ' + what + '…');
}

/**
 * A table. columns: [{ label, value(row) → text or node, num (right-aligned), title(row) }].
 * With no rows it is a sentence saying so instead.
 */
export function table(columns, rows, { caption, empty = 'Nothing to show.', id, foot } = {}) {
  if (!rows || rows.length === 0) return el('p', { class: 'empty', id }, empty);
  const head = el('tr', {}, columns.map(c => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)));
  const body = rows.map(row => el('tr', {}, columns.map(c => {
    const v = c.value(row);
    return el('td', { class: c.num ? 'num' : null, title: c.title ? c.title(row) : null, 'data-col': c.key || null },
      v === null || v === undefined || v === '' ? '–' : v);
  })));
  const t = el('table', { id },
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, head),
    el('tbody', {}, body),
    foot ? el('tfoot', {}, el('tr', {}, columns.map(c => {
      const v = c.foot ? c.foot(foot) : '';
      return el(c === columns[0] ? 'th' : 'td', { class: c.num ? 'num' : null, scope: c === columns[0] ? 'row' : null }, v);
    }))) : null);
  return el('div', { class: 'table-wrap' }, t);
}

let fieldCounter = 0;

/** A labelled input; attrs go to the input. Returns the wrapper; the input is wrapper.input. */
export function field(label, attrs = {}, hint) {
  const id = attrs.id || 'f' + (++fieldCounter);
  const input = attrs.tag === 'select'
    ? el('select', { ...attrs, tag: null, options: null, id }, (attrs.options || []).map(o =>
      el('option', { value: o.value, selected: o.value === attrs.value ? true : null }, o.label)))
    : el('input', { type: 'text', ...attrs, id });
  const hintId = hint ? id + '-hint' : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  const wrap = el('div', { class: 'field' }, el('label', { for: id }, label), input,
    hint ? el('small', { id: hintId, class: 'hint' }, hint) : null);
  wrap.input = input;
  return wrap;
}

export function button(text, onclick, attrs = {}) {
  return el('button', { type: 'button', ...attrs, onclick }, text);
}

/** A status word as a badge: active, disabled, revoked, expired... */
export function badge(text, kind) {
  return el('span', { class: 'badge ' + (kind || text) }, text);
}

/** Announces a short message to screen readers. */
export function announce(text) {
  const live = document.getElementById('status');
  if (live) live.textContent = text;
}
