// Usage explorer: usage and cost grouped by any of day, key, user, project, model and provider,
// filtered by each and by a range of UTC days, with a chart by day, the answers by status, and
// CSV export of the same report.
import { api, download } from '../api.js';
import { el, clear, table, loading, notice, field, button } from '../dom.js';
import { usd, int, pct, utcDay, count } from '../format.js';
import { dayChart, daysBetween } from '../charts.js';

const PAGE = 100;
const DIMENSIONS = [
  { name: 'day', label: 'Day (UTC)', value: r => r.day },
  { name: 'key', label: 'Key', value: r => r.key_id ? el('a', { href: '#/requests?key_id=' + r.key_id }, r.key_name || r.key_id) : '(no key)' },
  { name: 'user', label: 'User', value: r => r.user_email || r.user_id || '(no user)' },
  { name: 'project', label: 'Project', value: r => r.project_id ?? '(none)' },
  { name: 'model', label: 'Model', value: r => r.model },
  { name: 'provider', label: 'Provider', value: r => r.provider ?? '(refused before a provider)' },
];
const FILTERS = ['from', 'to', 'key_id', 'user', 'project_id', 'model', 'provider'];

export async function render(root, params, ctx) {
  const groupBy = (params.group_by || 'key').split(',').filter(g => DIMENSIONS.some(d => d.name === g));
  const f = Object.fromEntries(FILTERS.map(k => [k, params[k] || '']));
  if (!f.from) f.from = utcDay(29);
  if (!f.to) f.to = utcDay(0);
  const offset = Number(params.offset || 0);
  const query = { ...f, group_by: groupBy.join(',') || 'none' };

  const inputs = {
    from: field('From (UTC day)', { id: 'usage-from', type: 'date', value: f.from }),
    to: field('To (UTC day)', { id: 'usage-to', type: 'date', value: f.to }),
    key_id: field('Key id', { id: 'usage-key', value: f.key_id, placeholder: 'any' }),
    user: field('User (email or id)', { id: 'usage-user', value: f.user, placeholder: 'any' }),
    project_id: field('Project', { id: 'usage-project', value: f.project_id, placeholder: 'any' }),
    model: field('Model', { id: 'usage-model', value: f.model, placeholder: 'any' }, 'The provider\'s model name'),
    provider: field('Provider', { id: 'usage-provider', value: f.provider, placeholder: 'any' }),
  };
  const boxes = DIMENSIONS.map(d => el('label', { class: 'check' },
    el('input', { type: 'checkbox', name: 'group_by', value: d.name, id: 'group-' + d.name, checked: groupBy.includes(d.name) }), ' ' + d.label));
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Usage report' },
    Object.values(inputs),
    el('fieldset', { class: 'group-by' }, el('legend', {}, 'Group by'), boxes),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'usage-run' }, 'Show'),
      button('Download CSV', () => exportCsv(), { id: 'usage-csv' })));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const next = Object.fromEntries(Object.entries(inputs).map(([k, w]) => [k, w.input.value.trim()]));
    next.group_by = boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value).join(',') || 'none';
    ctx.go('usage', next);
  });
  const message = el('div', { class: 'form-message' });
  const result = el('div', { id: 'usage-result' }, loading('the report'));
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Usage')),
    el('p', { class: 'sub' }, 'Requests that reached a provider, their tokens and cost, and what prompt caching saved, from the daily roll-up. Days are UTC days.'),
    form, message, result);

  async function exportCsv() {
    clear(message);
    try {
      const text = await api('usage', { params: { ...query, limit: 100000 }, csv: true });
      download(`usage-${f.from}-to-${f.to}${query.group_by !== 'none' ? '-by-' + query.group_by.replaceAll(',', '-') : ''}.csv`, text);
      clear(message, notice('ok', 'The CSV file was downloaded.'));
    } catch (e) {
      clear(message, notice('error', e.message));
    }
  }

  // grouped by day alone, the report is the chart's data too: one call fewer
  const dayOnly = groupBy.length === 1 && groupBy[0] === 'day' && offset === 0;
  let report;
  let daily;
  let statuses;
  try {
    [report, daily, statuses] = await Promise.all([
      api('usage', { params: { ...query, limit: dayOnly ? 1000 : PAGE, offset } }),
      dayOnly ? null : api('usage', { params: { ...f, group_by: 'day', limit: 1000 } }),
      api('usage/statuses', { params: { ...f, group_by: 'status', limit: 100 } }),
    ]);
    daily = daily || report;
  } catch (e) {
    if (!ctx.stale()) clear(result, notice('error', e.message));
    return;
  }
  if (ctx.stale()) return;

  const dims = DIMENSIONS.filter(d => groupBy.includes(d.name));
  const t = report.totals;
  const columns = [
    ...dims.map(d => ({ label: d.label, value: d.value, key: d.name })),
    { label: 'Requests', num: true, value: r => int(r.requests), foot: x => int(x.requests) },
    { label: 'Input tokens', num: true, value: r => int(r.prompt_tokens), foot: x => int(x.prompt_tokens) },
    { label: 'Output tokens', num: true, value: r => int(r.completion_tokens), foot: x => int(x.completion_tokens) },
    { label: 'Cache read', num: true, value: r => int(r.cache_read_tokens), foot: x => int(x.cache_read_tokens) },
    { label: 'Cache hit rate', num: true, value: r => pct(r.cache_hit_rate), foot: x => pct(x.cache_hit_rate) },
    { label: 'Cost', num: true, value: r => usd(r.cost_usd), title: r => r.cost_usd + ' USD', key: 'cost', foot: x => usd(x.cost_usd) },
    { label: 'Saved', num: true, value: r => usd(r.saved_usd), foot: x => usd(x.saved_usd) },
  ];
  if (dims.length === 0) columns.unshift({ label: 'All', value: () => 'Everything in range' });
  const days = daysBetween(report.from, report.to);
  const at = new Map(days.map((d, i) => [d, i]));
  const perDay = metric => {
    const v = days.map(() => 0);
    for (const r of daily.data) if (at.has(r.day)) v[at.get(r.day)] += Number(r[metric]);
    return v;
  };
  const st = statuses.totals;
  clear(result,
    el('p', { class: 'summary', id: 'usage-summary' },
      `${report.from} to ${report.to} (UTC): ${count(t.requests, 'request')}, ${count(t.total_tokens, 'token')}, cost ${usd(t.cost_usd)}, saved ${usd(t.saved_usd)}; `
      + `${int(st.errors)} of ${count(st.requests, 'answer')} were errors (${pct(st.error_rate)}).`),
    table(columns, report.data, { id: 'usage-table', caption: `Grouped by ${dims.map(d => d.label.replace(/^./, c => c.toLowerCase())).join(', ') || 'nothing (totals)'}`,
      empty: 'No requests match in this range.', foot: dims.length && report.data.length ? t : null }),
    offset > 0 || report.has_more ? el('nav', { class: 'pager', 'aria-label': 'Pages of the report' },
      el('span', {}, `Groups ${offset + 1} to ${offset + report.data.length} of ${int(report.total)}`),
      offset > 0 ? button('Previous', () => ctx.go('usage', { ...query, offset: Math.max(0, offset - PAGE) })) : null,
      report.has_more ? button('Next', () => ctx.go('usage', { ...query, offset: report.next_offset })) : null) : null,
    el('section', { class: 'charts' },
      dayChart({ id: 'usage-chart-cost', title: 'Cost per day (USD) for these filters', days, format: usd,
        series: [{ label: 'cost', values: perDay('cost_usd') }, { label: 'saved', values: perDay('saved_usd') }] }),
      dayChart({ id: 'usage-chart-requests', title: 'Requests per day for these filters', days, format: int,
        series: [{ label: 'requests', values: perDay('requests') }] })),
    el('h2', {}, 'Answers by status'),
    table([
      { label: 'Status', value: r => String(r.status), key: 'status' },
      { label: 'Requests', num: true, value: r => int(r.requests) },
      { label: 'Share', num: true, value: r => pct(st.requests ? r.requests / st.requests : 0) },
    ], statuses.data, { id: 'status-table', caption: 'Every answer, refusals included', empty: 'No requests match in this range.' }));
}
