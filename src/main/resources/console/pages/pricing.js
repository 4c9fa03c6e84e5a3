// Pricing: the price list requests are costed by (model_pricing), USD per million tokens.
import { api } from '../api.js';
import { el, table, loading, clear, field } from '../dom.js';
import { utc } from '../format.js';

const perMillion = v => '$' + Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

export async function render(root, params, ctx) {
  const body = el('div', {}, loading('prices'));
  const search = field('Find a model', { id: 'price-filter', type: 'search', value: params.q || '' });
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Pricing'), search),
    el('p', { class: 'sub' }, 'USD per million tokens, by the provider\'s model name (a dated name like gpt-4o-2024-08-06 is priced as gpt-4o). A cache price equal to the input price means the provider gives no discount. Plan and user multipliers apply on top. Read-only here.'),
    body);
  const prices = await api('pricing');
  if (ctx.stale()) return;
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
    ], rows, { id: 'pricing-table', caption: 'Prices per million tokens (USD)', empty: q ? 'No listed model matches.' : 'The price list is empty: every request is recorded at cost 0.' }));
  };
  search.input.addEventListener('input', show);
  show();
}
