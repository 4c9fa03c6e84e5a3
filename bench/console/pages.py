#!/usr/bin/env python3
"""Times the console's pages against a running gateway: each page's admin API calls, made at once
as the page's script makes them (in parallel), from the first request to the last byte of the
last answer. Prints a Markdown table (median, p90 and max of N loads per page) to stdout.

usage: pages.py BASE_URL TOKEN [N]        (stdlib only)
       pages.py BASE_URL TOKEN explain    (each distinct call once, for auto_explain)
"""
import datetime
import json
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BASE, TOKEN = sys.argv[1].rstrip('/'), sys.argv[2]
MODE = sys.argv[3] if len(sys.argv) > 3 else '10'


def call(path):
    req = urllib.request.Request(BASE + '/admin/' + path, headers={'Authorization': 'Bearer ' + TOKEN})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            body = r.read()
    except urllib.error.HTTPError as e:
        if e.code != 404 or not path.startswith('providers/health'):
            raise
        body = e.read()  # a gateway without the routing health report: the page says so
    return time.perf_counter() - started, body


def q(path, **params):
    return path + '?' + urllib.parse.urlencode(params)


def day(before):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=before)).strftime('%Y-%m-%d')


def pages():
    """Each page (as its script loads it by default, and with a filter) and its calls."""
    r30 = {'from': day(29), 'to': day(0)}
    r90 = {'from': day(89), 'to': day(0)}
    some_key, cursor = sample()
    return {
        'Overview (30 days)': [q('usage', group_by='day,model,provider', limit=1000, offset=0, **r30),
                               q('usage/statuses', group_by='day', limit=1000, **r30)],
        'Overview (90 days)': [q('usage', group_by='day,model,provider', limit=1000, offset=0, **r90),
                               q('usage/statuses', group_by='day', limit=1000, **r90)],
        'Keys': [q('api-keys', limit=50, offset=0)],
        'Keys, filtered (project, active)': [q('api-keys', project_id='project-3', state='active', limit=50, offset=0)],
        'Users and plans': [q('users', limit=50, offset=0), 'plans'],
        'Providers': ['providers', 'providers/health'],
        'Model mappings': ['models', 'pricing'],
        'Pricing': ['pricing'],
        'Usage (by key, 30 days)': [q('usage', group_by='key', limit=100, offset=0, **r30),
                                    q('usage', group_by='day', limit=1000, **r30),
                                    q('usage/statuses', group_by='status', limit=100, **r30)],
        'Usage (one key, by day)': [q('usage', group_by='day', key_id=some_key, limit=1000, offset=0, **r30),
                                    q('usage/statuses', group_by='status', key_id=some_key, limit=100, **r30)],
        'Usage (by day)': [q('usage', group_by='day', limit=1000, offset=0, **r30),
                           q('usage/statuses', group_by='status', limit=100, **r30)],
        'Usage (by project and model)': [q('usage', group_by='project,model', limit=100, offset=0, **r30),
                                         q('usage', group_by='day', limit=1000, **r30),
                                         q('usage/statuses', group_by='status', limit=100, **r30)],
        'Requests': [q('requests', limit=50)],
        'Requests, older page': [q('requests', limit=50, before=cursor)],
        'Requests, one key': [q('requests', limit=50, key_id=some_key)],
        'Requests, errors only': [q('requests', limit=50, status='error')],
    }


def sample():
    _, body = call(q('usage', group_by='key', limit=5))
    keys = json.loads(body)['data']
    _, body = call(q('requests', limit=50))
    return keys[min(3, len(keys) - 1)]['key_id'], json.loads(body)['next_cursor']


def load(pool, calls):
    started = time.perf_counter()
    list(pool.map(call, calls))
    return time.perf_counter() - started


def main():
    all_pages = pages()
    with ThreadPoolExecutor(max_workers=8) as pool:
        if MODE == 'explain':
            seen = set()
            for calls in all_pages.values():
                for c in calls:
                    if c not in seen:
                        seen.add(c)
                        call(c)
                        print(c, file=sys.stderr)
            return
        n = int(MODE)
        for calls in all_pages.values():  # warm-up: the JIT, the pool, PostgreSQL's caches
            load(pool, calls)
        print('| page | API calls | median | p90 | max |')
        print('|---|---:|---:|---:|---:|')
        for name, calls in all_pages.items():
            times = sorted(load(pool, calls) for _ in range(n))
            p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
            print(f'| {name} | {len(calls)} | {statistics.median(times) * 1000:.0f} ms | {p90 * 1000:.0f} ms '
                  f'| {times[-1] * 1000:.0f} ms |')


if __name__ == '__main__':
    main()
