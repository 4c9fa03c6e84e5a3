// Model mappings: each model name clients send (or alias, or wildcard pattern) and the provider
// models that serve it, first choice first; added, changed and removed here (stored over the
// configuration file's, in force for the next request); and the file's custom relay routes.
import { api } from '../api.js';
import { el, table, loading, clear, notice, button } from '../dom.js';
import { thingForm } from './forms.js';

const STRATEGIES = ['', 'priority', 'round_robin', 'weighted', 'least_latency', 'least_busy', 'lowest_cost', 'availability']
  .map(s => ({ value: s, label: s || 'the routing section\'s' }));

// targets as one line: "provider model [weight] [priority], ..." (model names hold neither spaces nor commas)
const targetsText = targets => targets.map(t => [t.provider, t.model ?? '*', t.weight, t.priority].join(' ')).join(', ');
const parseTargets = text => text.split(',').map(s => s.trim()).filter(s => s).map(part => {
  const [provider, model, weight, priority] = part.split(/\s+/);
  const t = { provider };
  if (model && model !== '*') t.model = model;
  if (weight !== undefined) t.weight = /^\d+$/.test(weight) ? Number(weight) : weight;
  if (priority !== undefined) t.priority = /^\d+$/.test(priority) ? Number(priority) : priority;
  return t;
});
const FIELDS = [
  { name: 'aliases', label: 'Aliases', kind: 'list', hint: 'Other names clients may send, comma-separated' },
  { name: 'strategy', label: 'Strategy', kind: 'select', options: STRATEGIES, hint: 'How its targets are ordered' },
  { name: 'targets', label: 'Targets', kind: 'text', required: true, format: targetsText, parse: parseTargets,
    placeholder: 'openai gpt-4o-mini 1 0, deepseek deepseek-chat 1 1',
    hint: '"provider model weight priority", comma-separated; weight and priority may be left out (1 and 0); lower priority is tried first' },
];

export async function render(root, params, ctx) {
  const panel = el('div', { id: 'model-panel' });
  const body = el('div', {}, loading('model mappings'));
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Model mappings'),
    button('Add a mapping', () => showCreate(), { class: 'primary', id: 'add-model' })),
    el('p', { class: 'sub' }, 'The model names clients may send and where each goes, first choice first. A mapping added or changed here is stored in the gateway\'s database and wins over the configuration file\'s of the same name; it is in force for the next request.'),
    panel, body);

  const path = name => 'models/' + name.split('/').map(encodeURIComponent).join('/');

  function showCreate() {
    clear(panel, thingForm({
      id: 'add-model-form', title: 'Add a model mapping', submit: 'Add mapping',
      fields: [{ name: 'name', label: 'Model name', kind: 'text', required: true, hint: 'What clients send, or a pattern with one * (deepseek/*)' }, ...FIELDS],
      onCancel: () => clear(panel),
      onSubmit: async b => {
        await api('models', { method: 'POST', body: b });
        clear(panel, notice('ok', `Model "${b.name}" is served from the next request on.`));
        await load();
      },
    }));
    panel.querySelector('input').focus();
  }

  function showEdit(m) {
    clear(panel, thingForm({
      id: 'edit-model-form', title: `Change the mapping "${m.name}"`, submit: 'Save changes', initial: { ...m, strategy: m.strategy || '' },
      fields: FIELDS,
      onCancel: () => clear(panel),
      onSubmit: async b => {
        await api(path(m.name), { method: 'PATCH', body: b });
        clear(panel, notice('ok', `The mapping "${m.name}" was changed.`));
        await load();
      },
    }));
    panel.querySelector('input').focus();
    panel.scrollIntoView({ block: 'start' });
  }

  async function remove(m) {
    if (!confirm(`Remove the mapping "${m.name}"? Requests for it are answered 404 from the next one on.`)) return;
    try {
      await api(path(m.name), { method: 'DELETE' });
      clear(panel, notice('ok', `The mapping "${m.name}" was removed.`));
    } catch (e) {
      clear(panel, notice('error', e.message));
    }
    await load();
  }

  async function load() {
    let models;
    let prices;
    try {
      [models, prices] = await Promise.all([api('models'), api('pricing').catch(() => ({ data: [] }))]);
    } catch (e) {
      clear(body, notice('error', e.message));
      return;
    }
    if (ctx.stale()) return;
    const priced = new Set(prices.data.map(p => p.model));
    const isPriced = m => !m || [...priced].some(p => m === p || m.startsWith(p + '-'));
    const targetText = t => el('li', {}, el('code', {}, `${t.provider} / ${t.model ?? '(same name)'}`),
      ` (weight ${t.weight}, priority ${t.priority})`,
      isPriced(t.model) ? '' : el('span', { class: 'warn' }, ' no price listed: recorded at cost 0'));
    clear(body,
      table([
        { label: 'Model name', value: m => el('code', {}, m.name), key: 'model' },
        { label: 'Aliases', value: m => m.aliases.length ? m.aliases.join(', ') : null },
        { label: 'Strategy', value: m => m.strategy || 'routing default' },
        { label: 'Served by (in order)', value: m => el('ol', { class: 'targets' }, m.targets.map(targetText)) },
        { label: 'From', value: m => m.source === 'admin' ? 'set here' : 'file' },
        { label: 'Actions', value: m => el('div', { class: 'row-actions' },
          button('Edit', () => showEdit(m), { 'aria-label': 'Edit mapping ' + m.name }),
          button('Delete', () => remove(m), { class: 'danger', 'aria-label': 'Delete mapping ' + m.name })) },
      ], models.data, { id: 'models-table', caption: 'Model mappings', empty: 'No models are mapped, so every request is answered 404. Add one with "Add a mapping".' }),
      el('h2', {}, 'Custom routes'),
      table([
        { label: 'Name', value: r => r.name },
        { label: 'Path', value: r => el('code', {}, r.path) },
        { label: 'Provider', value: r => r.provider },
        { label: 'Upstream path', value: r => el('code', {}, r.upstream_path) },
        { label: 'Kind', value: r => r.kind },
      ], models.routes || [], { id: 'routes-table', empty: 'No custom routes are configured (they are set in the configuration file).' }));
  }

  await load();
}
