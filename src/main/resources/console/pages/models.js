// Model mappings: each model name clients send and the provider models that serve it, in order
// (read-only: they change with the configuration file), and the custom relay routes.
import { api } from '../api.js';
import { el, table, loading, clear } from '../dom.js';

export async function render(root, params, ctx) {
  const body = el('div', {}, loading('model mappings'));
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Model mappings')),
    el('p', { class: 'sub' }, 'The model names clients may send and where each goes, first choice first. Set in the configuration file; read-only here.'),
    body);
  const [models, prices] = await Promise.all([api('models'), api('pricing').catch(() => ({ data: [] }))]);
  if (ctx.stale()) return;
  const priced = new Set(prices.data.map(p => p.model));
  const isPriced = m => !m || [...priced].some(p => m === p || m.startsWith(p + '-'));
  const targetText = t => {
    const extra = Object.entries(t).filter(([k, v]) => k !== 'provider' && k !== 'model' && v !== null && v !== undefined)
      .map(([k, v]) => `${k} ${v}`).join(', ');
    return el('li', {}, el('code', {}, `${t.provider} / ${t.model ?? '(same name)'}`), extra ? ` (${extra})` : '',
      isPriced(t.model) ? '' : el('span', { class: 'warn' }, ' no price listed: recorded at cost 0'));
  };
  const other = m => Object.entries(m).filter(([k, v]) => !['object', 'name', 'targets'].includes(k) && v !== null && v !== undefined
    && !(Array.isArray(v) && !v.length)).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`).join('; ');
  clear(body,
    table([
      { label: 'Model name', value: m => el('code', {}, m.name), key: 'model' },
      { label: 'Served by (in order)', value: m => el('ol', { class: 'targets' }, m.targets.map(targetText)) },
      { label: 'Other settings', value: other },
    ], models.data, { id: 'models-table', caption: 'Model mappings', empty: 'No models are configured, so every request is answered 404.' }),
    el('h2', {}, 'Custom routes'),
    table([
      { label: 'Name', value: r => r.name },
      { label: 'Path', value: r => el('code', {}, r.path) },
      { label: 'Provider', value: r => r.provider },
      { label: 'Upstream path', value: r => el('code', {}, r.upstream_path) },
      { label: 'Kind', value: r => r.kind },
    ], models.routes || [], { id: 'routes-table', empty: 'No custom routes are configured.' }));
}
