// Pricing: the price list requests are costed by (model_pricing), USD per million tokens; a price
// set, changed or removed here costs the next request.
import { api } from '../api.js';
import { el, table, loading, clear, field, notice, button } from '../dom.js';
import { utc } from '../format.js';
import { thingForm } from './forms.js';

const perMillion = v => '$' + Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
const PRICE_FIELDS = [
  { name: 'provider', label: 'Provider', kind: 'text', required: true, hint: 'Who lists it, for reports' },
  { name: 'input_per_million', label: 'Input (USD per million)', kind: 'number', required: true },
  { name: 'output_per_million', label: 'Output (USD per million)', kind: 'number', required: true },
  { name: 'cache_read_per_million', label: 'Cache read (USD per million)', kind: 'number', hint: 'Empty: the input price (no discount)' },
  { name: 'cache_write_per_million', label: 'Cache write (USD per million)', kind: 'number', hint: 'Empty: the input price' },
];

export async function render(root, params, ctx) {
  const panel = el('div', { id: 'price-panel' });
  const body = el('div', {}, loading('prices'));
  const search = field('Find a model', { id: 'price-filter', type: 'search', value: params.q || '' });
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Pricing'), search,
    button('Set a price', () => showCreate(), { class: 'primary', id: 'add-price' })),
    el('p', { class: 'sub' }, 'USD per million tokens, by the provider\'s model name (a dated name like gpt-4o-2024-08-06 is priced as gpt-4o). A cache price equal to the input price means the provider gives no discount. Plan and user multipliers apply on top. A price set here costs the next request.'),
    panel, body);
  let prices = { data: [] };
  const path = model => 'pricing/' + model.split('/').map(encodeURIComponent).join('/');

  function showCreate() {
    clear(panel, thingForm({
      id: 'add-price-form', title: 'Set a price', submit: 'Save price',
      fields: [{ name: 'model', label: 'Model (the provider\'s name)', kind: 'text', required: true }, ...PRICE_FIELDS],
      onCancel: () => clear(panel),
      onSubmit: async b => {
        const { model, ...price } = b;
        await api(path(model), { method: 'PUT', body: price });
        clear(panel, notice('ok', `The price of ${model} was set.`));
        await load();
      },
    }));
    panel.querySelector('input').focus();
  }

  function showEdit(p) {
    clear(panel, thingForm({
      id: 'edit-price-form', title: `Change the price of ${p.model}`, submit: 'Save price', initial: p, fields: PRICE_FIELDS,
      onCancel: () => clear(panel),
      onSubmit: async b => {
        await api(path(p.model), { method: 'PATCH', body: b });
        clear(panel, notice('ok', `The price of ${p.model} was changed; the next request is costed by it.`));
        await load();
      },
    }));
    panel.querySelector('input').focus();
    panel.scrollIntoView({ block: 'start' });
  }

  async function remove(p) {
    if (!confirm(`Remove the price of ${p.model}? Its requests are then recorded at cost 0.`)) return;
    try {
      await api(path(p.model), { method: 'DELETE' });
      clear(panel, notice('ok', `The price of ${p.model} was removed.`));
    } catch (e) {
      clear(panel, notice('error', e.message));
    }
    await load();
  }

  const show = () => {
    const q = search.input.value.trim().toLowerCase();
    const rows = prices.data.filter(p => !q || p.model.toLowerCase().includes(q) || p.provider.toLowerCase().includes(q));
    clear(body, table([
      { label: 'Model', value: p => el('code', {}, p.model), key: 'model' },
      { label: 'Provider', value: p => p.provider },
      { label: 'Input', num: true, value: p => perMillion(p.input_per_million) },
      { label: 'Output', num: true, value: p => perMillion(p.output_per_million) },
      { label: 'Cache read', num: true, value: p => perMillion(p.cache_read_per_million) },
      { label: 'Cache write', num: true, value: p => perMillion(p.cache_write_per_million) },
      { label: 'Updated', value: p => utc(p.updated_at) },
      { label: 'Actions', value: p => el('div', { class: 'row-actions' },
        button('Edit', () => showEdit(p), { 'aria-label': 'Edit the price of ' + p.model }),
        button('Remove', () => remove(p), { class: 'danger', 'aria-label': 'Remove the price of ' + p.model })) },
    ], rows, { id: 'pricing-table', caption: 'Prices per million tokens (USD)', empty: q ? 'No listed model matches.' : 'The price list is empty: every request is recorded at cost 0.' }));
  };

  async function load() {
    try {
      prices = await api('pricing');
    } catch (e) {
      clear(body, notice('error', e.message));
      return;
    }
    if (ctx.stale()) return;
    show();
  }

  search.input.addEventListener('input', show);
  await load();
}
