// Providers: the upstreams in force (the configuration file's, with the changes made here laid
// over them: a change made here wins), enabled or disabled, edited (base URL, timeouts, retries,
// connections, each target's weight), a key set (write-only: only how it ends is ever shown),
// added and removed again; and, where the gateway reports it, each routing target's health.
import { api, ApiError } from '../api.js';
import { el, clear, table, loading, notice, button, badge } from '../dom.js';
import { int, pct, ms } from '../format.js';
import { thingForm } from './forms.js';

const TYPES = ['openai', 'anthropic', 'gemini', 'azure', 'mock'].map(t => ({ value: t, label: t }));
const SETTINGS = [
  { name: 'base_url', label: 'Base URL', kind: 'text', hint: 'e.g. https://api.openai.com/v1' },
  { name: 'timeout_ms', label: 'Total timeout (ms)', kind: 'number', hint: 'The whole exchange' },
  { name: 'connect_timeout_ms', label: 'Connect timeout (ms)', kind: 'number' },
  { name: 'first_byte_timeout_ms', label: 'First byte timeout (ms)', kind: 'number', hint: 'Until the response head' },
  { name: 'idle_timeout_ms', label: 'Idle timeout (ms)', kind: 'number', hint: 'Longest silence in a stream' },
  { name: 'max_retries', label: 'Retries per target', kind: 'number', hint: 'After the first attempt, 0 to 10; empty: the routing section\'s' },
  { name: 'max_connections', label: 'Connections', kind: 'number' },
];
const KEY = { name: 'api_key', label: 'API key', kind: 'secret', hint: 'Stored encrypted; never shown again (only its last 4 characters)' };
const seconds = v => v % 1000 === 0 ? `${v / 1000} s` : `${v} ms`;

export async function render(root, params, ctx) {
  const panel = el('div', { id: 'provider-panel' });
  const list = el('div', { id: 'provider-list' }, loading('providers'));
  const health = el('div', { id: 'provider-health' }, loading('provider health'));
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Providers'),
    button('Add a provider', () => showCreate(), { class: 'primary', id: 'add-provider' })),
    el('p', { class: 'sub' }, 'The upstreams requests are routed to. Their settings come from the configuration file; a change made here is stored in the gateway\'s database and wins over the file, and is in force for the next request. Keys are never shown, only how they end.'),
    panel, list, el('h2', {}, 'Health'), health);

  async function change(p, body, done) {
    await api('providers/' + encodeURIComponent(p.name), { method: 'PATCH', body });
    clear(panel, notice('ok', done));
    await load();
  }

  function showEdit(p) {
    const weights = Object.keys(p.weights || {}).map(model => ({
      name: 'weight:' + model, label: `Weight in ${model}`, kind: 'number', hint: '0: only as a fallback',
    }));
    const initial = { ...p, ...Object.fromEntries(Object.entries(p.weights || {}).map(([m, w]) => ['weight:' + m, w])) };
    clear(panel, thingForm({
      id: 'edit-provider-form', title: `Change provider "${p.name}"`, submit: 'Save changes', initial,
      fields: [...SETTINGS, ...weights],
      onCancel: () => clear(panel),
      onSubmit: body => {
        const out = {};
        for (const [k, v] of Object.entries(body)) {
          if (k.startsWith('weight:')) (out.weights ||= {})[k.slice(7)] = v;
          else out[k] = v;
        }
        return change(p, out, `Provider "${p.name}" was changed; the next request uses the new settings.`);
      },
    }));
    panel.querySelector('input').focus();
    panel.scrollIntoView({ block: 'start' });
  }

  function showKey(p) {
    clear(panel, thingForm({
      id: 'provider-key-form', title: `Set the API key of "${p.name}"`, submit: 'Save key', initial: {}, fields: [KEY],
      onCancel: () => clear(panel),
      onSubmit: body => change(p, body, `The key of "${p.name}" was stored (encrypted).`),
    }));
    panel.querySelector('input').focus();
  }

  function showCreate() {
    clear(panel, thingForm({
      id: 'add-provider-form', title: 'Add a provider', submit: 'Add provider',
      fields: [{ name: 'name', label: 'Name', kind: 'text', required: true, hint: 'How model mappings name it' },
        { name: 'type', label: 'Type', kind: 'select', options: TYPES, default: 'openai', required: true,
          hint: 'openai covers every server speaking the chat completions API' },
        SETTINGS[0], KEY, ...SETTINGS.slice(1)],
      onCancel: () => clear(panel),
      onSubmit: async body => {
        await api('providers', { method: 'POST', body });
        clear(panel, notice('ok', `Provider "${body.name}" was added. Route a model to it on the Model mappings page.`));
        await load();
      },
    }));
    panel.querySelector('input').focus();
  }

  async function setEnabled(p, enabled) {
    try {
      await change(p, { enabled }, enabled ? `Provider "${p.name}" is enabled again.`
        : `Provider "${p.name}" is disabled: its targets are skipped from the next request on.`);
    } catch (e) {
      clear(panel, notice('error', e.message));
    }
  }

  async function remove(p) {
    if (!confirm(`Remove the provider "${p.name}"? Model mappings must not route to it any more.`)) return;
    try {
      await api('providers/' + encodeURIComponent(p.name), { method: 'DELETE' });
      clear(panel, notice('ok', `Provider "${p.name}" was removed.`));
    } catch (e) {
      clear(panel, notice('error', e.message));
    }
    await load();
  }

  const keyText = p => {
    const k = p.api_key || {};
    if (!k.set) return 'none';
    return `${k.count} key${k.count > 1 ? 's' : ''} ${k.ends_with.join(', ')}${k.stored_encrypted ? ' (set here, encrypted)' : ''}`;
  };
  const timeoutsText = p => `total ${seconds(p.timeout_ms)}, connect ${seconds(p.connect_timeout_ms)}, first byte ${seconds(p.first_byte_timeout_ms)}, idle ${seconds(p.idle_timeout_ms)}`;
  const servesText = p => p.models.length ? p.models.map(m => `${m} (weight ${p.weights[m]})`).join(', ') : 'none mapped';
  const sourceText = { configuration: 'file', 'configuration+admin': 'file, changed here', admin: 'added here' };

  async function load() {
    let providers;
    try {
      providers = await api('providers');
    } catch (e) {
      clear(list, notice('error', e.message));
      return;
    }
    if (ctx.stale()) return;
    clear(list, table([
      { label: 'Name', value: p => p.name, key: 'name' },
      { label: 'Type', value: p => p.type },
      { label: 'Status', value: p => badge(p.enabled ? 'enabled' : 'disabled', p.enabled ? 'active' : 'disabled'), key: 'status' },
      { label: 'Base URL', value: p => p.base_url ? el('code', {}, p.base_url) : (p.type === 'mock' ? 'built in (no network)' : 'the type\'s default') },
      { label: 'Key', value: keyText, key: 'key' },
      { label: 'Timeouts', value: timeoutsText, key: 'timeouts' },
      { label: 'Retries', num: true, value: p => p.max_retries === null || p.max_retries === undefined ? 'routing default' : int(p.max_retries), key: 'retries' },
      { label: 'Connections', num: true, value: p => int(p.max_connections) },
      { label: 'Serves models', value: servesText, key: 'models' },
      { label: 'Settings from', value: p => sourceText[p.source] || p.source },
      { label: 'Actions', value: p => el('div', { class: 'row-actions' },
        button('Edit', () => showEdit(p), { 'aria-label': 'Edit provider ' + p.name }),
        p.enabled ? button('Disable', () => setEnabled(p, false), { 'aria-label': 'Disable provider ' + p.name })
          : button('Enable', () => setEnabled(p, true), { 'aria-label': 'Enable provider ' + p.name }),
        p.type === 'mock' ? null : button('Set key', () => showKey(p), { 'aria-label': 'Set the key of provider ' + p.name }),
        p.source === 'admin' ? button('Remove', () => remove(p), { class: 'danger', 'aria-label': 'Remove provider ' + p.name }) : null) },
    ], providers.data, { id: 'providers-table', caption: 'Providers', empty: 'No providers are configured. Add one with "Add a provider".' }));
  }

  async function loadHealth() {
    const report = await api('providers/health').catch(e => e);
    if (ctx.stale()) return;
    if (report instanceof ApiError && report.status === 404) {
      clear(health, notice('info', 'This gateway does not report provider health (it has no /admin/providers/health). Requests, errors and latency per provider are on the Overview and Requests pages.'));
      return;
    }
    if (report instanceof Error) {
      clear(health, notice('error', report.message));
      return;
    }
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
    ], report.targets || [], { id: 'health-table', caption: 'Routing targets as this instance sees them now', empty: 'No routing targets are reported.' }));
  }

  await Promise.all([load(), loadHealth()]);
}
