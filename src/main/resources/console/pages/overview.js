// Overview: requests, tokens, cost, error rate, cache hit rate and money saved over UTC days,
// overall and by model and provider. Read from /admin/usage and /admin/usage/statuses: two calls,
// each one pass over a daily roll-up (about one row per day and group once a day is over).
import { api, all } from '../api.js';
import { el, clear, table, loading, notice, field } from '../dom.js';
import { usd, int, pct, compact, utcDay, count } from '../format.js';
import { dayChart, daysBetween, seriesBy } from '../charts.js';

const RANGES = [{ value: '7', label: 'Last 7 days' }, { value: '30', label: 'Last 30 days' }, { value: '90', label: 'Last 90 days' }];

export async function render(root, params, ctx) {
  const days = RANGES.some(r => r.value === params.days) ? params.days : '30';
  const to = utcDay(0);
  const from = utcDay(Number(days) - 1);
  const range = field('Range', { tag: 'select', id: 'overview-range', value: days, options: RANGES,
    onchange: e => ctx.go('overview', { days: e.target.value }) });
  const body = el('div', {}, loading('the overview'));
  root.append(
    el('div', { class: 'page-head' }, el('h1', {}, 'Overview'), range),
    el('p', { class: 'sub' }, `${from} to ${to}, by UTC day. Cost is what requests cost at the listed prices, plan multipliers applied; saved is what prompt-cache reads saved against the input price.`),
    body);

  // Two calls, one pass over each roll-up: every chart and table below is summed from these rows.
  const span = { from, to };
  const [usage, statuses] = await Promise.all([
    all('usage', { ...span, group_by: 'day,model,provider' }),
    api('usage/statuses', { params: { ...span, group_by: 'day', limit: 1000 } }),
  ]);
  if (ctx.stale()) return;

  const dayList = daysBetween(from, to);
  const at = new Map(dayList.map((d, i) => [d, i]));
  const perDay = (rows, metric) => {
    const values = dayList.map(() => 0);
    for (const r of rows) if (at.has(r.day)) values[at.get(r.day)] += Number(r[metric]);
    return values;
  };
  const t = usage.totals;
  const st = statuses.totals;
  const requestsAll = perDay(statuses.data, 'requests');
  const errors = perDay(statuses.data, 'errors');
  const cacheRead = perDay(usage.data, 'cache_read_tokens');
  const prompt = perDay(usage.data, 'prompt_tokens');
  const by = field => {
    const groups = new Map();
    for (const r of usage.data) {
      const g = groups.get(r[field]) || { [field]: r[field], requests: 0, total_tokens: 0, prompt_tokens: 0, cache_read_tokens: 0, cost_usd: 0, saved_usd: 0 };
      for (const m of ['requests', 'total_tokens', 'prompt_tokens', 'cache_read_tokens', 'cost_usd', 'saved_usd']) g[m] += Number(r[m]);
      groups.set(r[field], g);
    }
    const rows = [...groups.values()].sort((a, b) => b.cost_usd - a.cost_usd || b.requests - a.requests);
    rows.forEach(g => { g.cache_hit_rate = g.prompt_tokens ? g.cache_read_tokens / g.prompt_tokens : 0; });
    return { data: rows };
  };
  const byModel = by('model');
  const byProvider = by('provider');

  const kpi = (id, label, value, title, sub) => el('div', { class: 'kpi', id },
    el('span', { class: 'kpi-label' }, label), el('strong', { title }, value), sub ? el('span', { class: 'kpi-sub' }, sub) : null);
  const cards = el('section', { class: 'kpis', 'aria-label': 'Totals for the range' },
    kpi('kpi-requests', 'Requests', compact(st.requests), int(st.requests) + ' requests',
      `${int(t.requests)} reached a provider`),
    kpi('kpi-tokens', 'Tokens', compact(t.total_tokens), int(t.total_tokens) + ' tokens',
      `${compact(t.prompt_tokens)} in · ${compact(t.completion_tokens)} out`),
    kpi('kpi-cost', 'Cost', usd(t.cost_usd), t.cost_usd + ' USD'),
    kpi('kpi-errors', 'Error rate', pct(st.error_rate), `${int(st.errors)} of ${int(st.requests)} answered with an error`,
      count(st.errors, 'error')),
    kpi('kpi-cache', 'Cache hit rate', pct(t.cache_hit_rate), 'cache reads / all input tokens',
      `${compact(t.cache_read_tokens)} tokens read from cache`),
    kpi('kpi-saved', 'Saved by caching', usd(t.saved_usd), t.saved_usd + ' USD'));

  const charts = el('section', { class: 'charts', 'aria-label': 'Charts' },
    dayChart({ id: 'chart-requests', title: 'Requests and errors per day', days: dayList, format: int,
      series: [{ label: 'requests', values: requestsAll }, { label: 'errors', values: errors }] }),
    dayChart({ id: 'chart-cost', title: 'Cost and savings per day (USD)', days: dayList, format: usd,
      series: [{ label: 'cost', values: perDay(usage.data, 'cost_usd') }, { label: 'saved by caching', values: perDay(usage.data, 'saved_usd') }] }),
    dayChart({ id: 'chart-tokens', title: 'Tokens per day', days: dayList, format: compact,
      series: [{ label: 'input', values: prompt }, { label: 'output', values: perDay(usage.data, 'completion_tokens') },
        { label: 'read from cache', values: cacheRead }] }),
    dayChart({ id: 'chart-rates', title: 'Error rate and cache hit rate per day', days: dayList, format: pct,
      series: [{ label: 'error rate', values: dayList.map((d, i) => requestsAll[i] ? errors[i] / requestsAll[i] : 0) },
        { label: 'cache hit rate', values: dayList.map((d, i) => prompt[i] ? cacheRead[i] / prompt[i] : 0) }] }),
    dayChart({ id: 'chart-cost-model', title: 'Cost by model per day (USD)', days: dayList, format: usd, bars: true,
      series: seriesBy(usage.data, dayList, 'model', 'cost_usd') }),
    dayChart({ id: 'chart-requests-provider', title: 'Requests by provider per day', days: dayList, format: int, bars: true,
      series: seriesBy(usage.data, dayList, 'provider', 'requests') }));

  const breakdown = (report, key, label) => table([
    { label, value: r => r[key] },
    { label: 'Requests', num: true, value: r => int(r.requests) },
    { label: 'Tokens', num: true, value: r => int(r.total_tokens) },
    { label: 'Cost', num: true, value: r => usd(r.cost_usd), title: r => r.cost_usd.toPrecision(6) + ' USD', key: 'cost' },
    { label: 'Cache hit rate', num: true, value: r => pct(r.cache_hit_rate) },
    { label: 'Saved', num: true, value: r => usd(r.saved_usd) },
  ], report.data, { empty: `No requests reached a provider in this range.`, id: 'top-' + key });

  clear(body, cards,
    usage.truncated ? notice('info', 'Only the first 10,000 day, model and provider groups are charted.') : null,
    charts,
    el('section', { class: 'split' },
      el('div', {}, el('h2', {}, 'By model'), breakdown(byModel, 'model', 'Model')),
      el('div', {}, el('h2', {}, 'By provider'), breakdown(byProvider, 'provider', 'Provider'))));
}
