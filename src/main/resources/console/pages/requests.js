// Recent requests: each request's time, key, model and provider, status, latency, tokens, cache
// use and cost, newest first, filtered, older pages loaded on demand, and the same as CSV.
import { api, download } from '../api.js';
import { el, clear, table, loading, notice, field, button } from '../dom.js';
import { usd, int, ms, utc } from '../format.js';

const PAGE = 50;
const FILTERS = ['key_id', 'user', 'project_id', 'model', 'status', 'from', 'to'];
const STATUSES = [{ value: '', label: 'Any' }, { value: 'error', label: 'Errors (400 and above)' },
  ...[200, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504].map(s => ({ value: String(s), label: String(s) }))];

export async function render(root, params, ctx) {
  const f = Object.fromEntries(FILTERS.map(k => [k, params[k] || '']));
  const inputs = {
    key_id: field('Key id', { id: 'req-key', value: f.key_id, placeholder: 'any' }),
    user: field('User (email or id)', { id: 'req-user', value: f.user, placeholder: 'any' }),
    project_id: field('Project', { id: 'req-project', value: f.project_id, placeholder: 'any' }),
    model: field('Model', { id: 'req-model', value: f.model, placeholder: 'any' }, 'As the client sent it'),
    status: field('Status', { tag: 'select', id: 'req-status', value: f.status, options: STATUSES }),
    from: field('From (UTC day)', { id: 'req-from', type: 'date', value: f.from }),
    to: field('Before (UTC day)', { id: 'req-to', type: 'date', value: f.to }, 'Requests before the start of this day'),
  };
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter requests' }, Object.values(inputs),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Filter'),
      button('Download CSV', () => exportCsv(), { id: 'requests-csv' })));
  form.addEventListener('submit', e => {
    e.preventDefault();
    ctx.go('requests', Object.fromEntries(Object.entries(inputs).map(([k, w]) => [k, w.input.value.trim()])));
  });
  const message = el('div', { class: 'form-message' });
  const result = el('div', { id: 'requests-result' }, loading('requests'));
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Requests'), button('Refresh', () => ctx.go('requests', f), { id: 'requests-refresh' })),
    el('p', { class: 'sub' }, 'Every request the gateway answered, newest first, refusals included. Times are UTC; latency is until the last byte, TTFT until the first token.'),
    form, message, result);

  async function exportCsv() {
    clear(message);
    try {
      const text = await api('requests', { params: { ...f, limit: 100000 }, csv: true });
      download(`requests-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}Z.csv`, text);
      clear(message, notice('ok', 'The CSV file was downloaded (up to 100,000 requests).'));
    } catch (e) {
      clear(message, notice('error', e.message));
    }
  }

  const rows = [];
  let cursor = null;
  const hasAttempts = () => rows.some(r => r.attempts !== undefined);
  // attempts are listed only when there was more than one, or the only one failed
  const attemptsOf = r => {
    const list = r.attempts || [];
    if (!list.length) return '1';
    return el('details', { class: 'attempts' }, el('summary', {}, String(list.length)),
      el('ol', {}, list.map(a => el('li', {}, el('code', {}, a.target || '?'), a.key !== undefined && a.key !== null ? ` key #${a.key + 1}` : '',
        ` → ${a.status || 'no answer'}${a.error ? ' ' + a.error : ''}`, a.ms !== undefined ? ` (${ms(a.ms)})` : ''))));
  };

  async function more() {
    let page;
    try {
      page = await api('requests', { params: { ...f, limit: PAGE, before: cursor } });
    } catch (e) {
      clear(result, notice('error', e.message));
      return;
    }
    if (ctx.stale()) return;
    rows.push(...page.data);
    cursor = page.next_cursor;
    const filtered = Object.values(f).some(v => v);
    clear(result,
      table([
        { label: 'Time (UTC)', value: r => utc(r.created_at).replace(' UTC', ''), key: 'time' },
        { label: 'Key', value: r => r.key_id ? el('a', { href: '#/requests?key_id=' + r.key_id }, r.key_name || 'key') : '(none)', key: 'key' },
        { label: 'Model', value: r => r.upstream_model && r.upstream_model !== r.model ? `${r.model} → ${r.upstream_model}` : r.model, key: 'model' },
        { label: 'Provider', value: r => r.provider || '–' },
        { label: 'Status', value: r => el('span', { class: 'badge ' + (r.status < 400 ? 'active' : 'revoked') }, String(r.status) + (r.error_type ? ' ' + r.error_type : '')), key: 'status' },
        { label: 'Latency', num: true, value: r => ms(r.latency_ms) },
        { label: 'TTFT', num: true, value: r => r.ttft_ms === null ? '–' : ms(r.ttft_ms) },
        { label: 'Input', num: true, value: r => int(r.prompt_tokens) + (r.usage_estimated ? ' (est.)' : ''), key: 'input' },
        { label: 'Output', num: true, value: r => int(r.completion_tokens), key: 'output' },
        { label: 'Cache', value: r => r.cache_hit ? `hit (${int(r.cache_read_tokens)} read)` : (r.cache_write_tokens ? `write ${int(r.cache_write_tokens)}` : 'miss'), key: 'cache' },
        { label: 'Cost', num: true, value: r => usd(r.cost_usd), title: r => r.cost_usd + ' USD', key: 'cost' },
        ...(hasAttempts() ? [{ label: 'Attempts', num: true, value: attemptsOf, key: 'attempts' }] : []),
        { label: 'Request id', value: r => el('code', { class: 'small' }, r.request_id) },
      ], rows, { id: 'requests-table', caption: 'Requests, newest first',
        empty: filtered ? 'No request matches these filters.' : 'No requests yet. Send one with a key (see Keys) and it shows here within a second.' }),
      cursor ? button('Load older requests', () => more(), { id: 'requests-more' }) : (rows.length ? el('p', { class: 'count' }, 'That is all of them.') : null));
  }

  await more();
}
