// Providers: the configured upstreams (read-only; they change with the configuration file) and,
// where the gateway reports it, each routing target's health.
import { api, ApiError } from '../api.js';
import { el, clear, table, loading, notice } from '../dom.js';
import { isoDuration, int, pct, ms } from '../format.js';

const KNOWN = new Set(['object', 'name', 'type', 'base_url', 'api_key', 'api_keys', 'headers', 'timeouts', 'models', 'mock', 'max_connections']);

export async function render(root, params, ctx) {
  const list = el('div', { id: 'provider-list' }, loading('providers'));
  const health = el('div', { id: 'provider-health' }, loading('provider health'));
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Providers')),
    el('p', { class: 'sub' }, 'The upstreams this gateway was started with. They are set in the configuration file and read-only here; secrets are never shown.'),
    list, el('h2', {}, 'Health'), health);

  const [providers, report] = await Promise.all([
    api('providers').catch(e => e),
    api('providers/health').catch(e => e),
  ]);
  if (ctx.stale()) return;

  if (providers instanceof Error) {
    clear(list, notice('error', providers.message));
  } else {
    const extra = p => Object.entries(p).filter(([k, v]) => !KNOWN.has(k) && v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)
      && !(typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length))
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ');
    clear(list, table([
      { label: 'Name', value: p => p.name, key: 'name' },
      { label: 'Type', value: p => p.type },
      { label: 'Base URL', value: p => p.base_url ? el('code', {}, p.base_url) : (p.type === 'mock' ? 'built in (no network)' : 'the type\'s default') },
      { label: 'Credentials', value: p => {
        const n = (p.api_keys || []).length || (p.api_key ? 1 : 0);
        return n ? `${n} key${n > 1 ? 's' : ''} set (hidden)` : 'none';
      } },
      { label: 'Timeouts', value: p => p.timeouts ? Object.entries(p.timeouts).map(([k, v]) => `${k.replace('_', ' ')} ${isoDuration(v)}`).join(', ') : null },
      { label: 'Connections', num: true, value: p => p.max_connections === undefined ? null : int(p.max_connections) },
      { label: 'Serves models', value: p => p.models.length ? p.models.join(', ') : 'none mapped' },
      { label: 'Other settings', value: extra },
    ], providers.data, { id: 'providers-table', caption: 'Configured providers', empty: 'No providers are configured.' }));
  }

  if (report instanceof ApiError && report.status === 404) {
    clear(health, notice('info', 'This gateway does not report provider health (it has no /admin/providers/health). Requests, errors and latency per provider are on the Overview and Requests pages.'));
  } else if (report instanceof Error) {
    clear(health, notice('error', report.message));
  } else {
    const targets = report.targets || [];
    clear(health, table([
      { label: 'Target', value: t => t.target || `${t.provider}/${t.model}` },
      { label: 'Provider', value: t => t.provider },
      { label: 'Model', value: t => t.model },
      { label: 'Circuit', value: t => el('span', { class: 'badge ' + (t.circuit === 'closed' ? 'active' : 'revoked') },
        t.circuit + (t.open_elsewhere ? ' (open on another instance)' : '')) },
      { label: 'Health', num: true, value: t => t.health === undefined ? null : pct(t.health) },
      { label: 'Failures in a row', num: true, value: t => int(t.consecutive_failures) },
      { label: 'Time to first token', num: true, value: t => ms(t.ttft_ms) },
      { label: 'In flight', num: true, value: t => int(t.in_flight) },
      { label: 'Cache hits', num: true, value: t => t.cache_hit_ratio === undefined ? null : pct(t.cache_hit_ratio) },
      { label: 'Keys', value: t => (t.keys || []).map(k => `#${k.index + 1} ${k.state}`).join(', ') },
    ], targets, { id: 'health-table', caption: 'Routing targets as this instance sees them now', empty: 'No routing targets are reported.' }));
  }
}
