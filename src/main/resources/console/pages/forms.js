// Forms for creating and changing things through the admin API: labelled fields, values sent as
// typed (the API checks them and names the field it refuses, which is then marked and focused),
// and on a change only the fields that were changed are sent (an emptied field clears its value).
import { el, field, notice, clear } from '../dom.js';

export const LIMITS = [
  { name: 'rpm_limit', label: 'Requests per minute', kind: 'number' },
  { name: 'tpm_limit', label: 'Tokens per minute', kind: 'number' },
  { name: 'max_concurrency', label: 'Requests at once', kind: 'number' },
  { name: 'burst', label: 'Requests per second (burst)', kind: 'number' },
  { name: 'max_input_tokens', label: 'Max input tokens per request', kind: 'number' },
  { name: 'max_output_tokens', label: 'Max output tokens per request', kind: 'number' },
  { name: 'daily_budget', label: 'Daily budget (USD, per UTC day)', kind: 'number' },
  { name: 'monthly_budget', label: 'Monthly budget (USD, per UTC month)', kind: 'number' },
];

/** The text a field shows for a value from the API; a secret's never (it is write-only). */
function toText(f, v) {
  if (f.kind === 'secret' || v === null || v === undefined) return '';
  if (f.format) return f.format(v);
  if (f.kind === 'list') return v.join(', ');
  if (f.kind === 'expiry') {
    // an expiry at a UTC midnight was given as a date: the day before is the last valid one
    const t = Date.parse(v);
    if (!Number.isNaN(t) && t % 86400000 === 0) return new Date(t - 1).toISOString().slice(0, 10);
    return v;
  }
  return String(v);
}

/** The JSON value a field's text stands for. */
function toValue(f, text) {
  const t = text.trim();
  if (f.parse) return f.parse(t);
  if (f.kind === 'list') return t === '' ? [] : t.split(',').map(s => s.trim()).filter(s => s);
  if (t === '') return null;
  if (f.kind === 'number' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

/**
 * spec: { id, title, fields: [{ name, label, kind: text|number|list|expiry|select|secret, hint, options, required,
 *         format(value) → text and parse(text) → value where a field's value is neither text nor a number }],
 *         initial (the thing being changed; none when creating), submit (button text),
 *         onSubmit(body) → Promise, onCancel }
 */
export function thingForm(spec) {
  const inputs = new Map();
  const message = el('div', { class: 'form-message' });
  const groups = {};
  for (const f of spec.fields) {
    const attrs = { id: spec.id + '-' + f.name, name: f.name, value: toText(f, spec.initial ? spec.initial[f.name] : f.default),
      required: f.required ? true : null, placeholder: f.placeholder || null, autocomplete: 'off' };
    if (f.kind === 'number') attrs.inputmode = 'decimal';
    if (f.kind === 'secret') Object.assign(attrs, { type: 'password', autocomplete: 'new-password' });
    if (f.kind === 'select') Object.assign(attrs, { tag: 'select', options: f.options });
    const w = field(f.label + (f.required ? ' (required)' : ''), attrs, f.hint);
    inputs.set(f.name, { f, input: w.input, initial: attrs.value ?? '' });
    (f.group === 'limits' ? (groups.limits ||= []) : (groups.main ||= [])).push(w);
  }
  const submit = el('button', { type: 'submit', class: 'primary', id: spec.id + '-submit' }, spec.submit);
  const form = el('form', { class: 'thing-form', id: spec.id, novalidate: true },
    el('h2', {}, spec.title),
    el('div', { class: 'grid' }, groups.main || []),
    groups.limits ? el('fieldset', {}, el('legend', {}, 'Limits and budgets (empty: none)'), el('div', { class: 'grid' }, groups.limits)) : null,
    message,
    el('div', { class: 'actions' }, submit,
      spec.onCancel ? el('button', { type: 'button', onclick: spec.onCancel }, 'Cancel') : null));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const body = {};
    for (const [name, { f, input, initial }] of inputs) {
      input.removeAttribute('aria-invalid');
      const text = input.value;
      if (spec.initial) {
        if (text.trim() !== String(initial).trim()) body[name] = toValue(f, text);
      } else {
        const v = toValue(f, text);
        if (v !== null && !(Array.isArray(v) && v.length === 0)) body[name] = v;
      }
    }
    for (const [name, { f, input }] of inputs) {
      if (f.required && (body[name] === null || (!spec.initial && body[name] === undefined))) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        clear(message, notice('error', `${f.label} is required.`));
        return;
      }
    }
    if (spec.initial && Object.keys(body).length === 0) {
      clear(message, notice('info', 'Nothing was changed.'));
      return;
    }
    submit.disabled = true;
    clear(message);
    try {
      await spec.onSubmit(body);
    } catch (err) {
      const bad = err.param && inputs.get(err.param);
      if (bad) {
        bad.input.setAttribute('aria-invalid', 'true');
        bad.input.focus();
      }
      clear(message, notice('error', err.message));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
