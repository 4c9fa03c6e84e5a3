#!/usr/bin/env python3
"""Extracts the plans auto_explain wrote to PostgreSQL's log (from byte OFFSET on) as Markdown:
each distinct statement the gateway ran for the console's API calls, with its EXPLAIN ANALYZE.

usage: plans.py LOGFILE OFFSET > plans.md
"""
import re
import sys

log, offset = sys.argv[1], int(sys.argv[2])
with open(log, 'rb') as f:
    f.seek(offset)
    lines = f.read().decode('utf-8', 'replace').splitlines()

blocks = []
current = None
for line in lines:
    m = re.search(r'LOG:\s+duration: ([\d.]+) ms\s+plan:', line)
    if m:
        current = {'ms': float(m.group(1)), 'lines': []}
        blocks.append(current)
    elif current is not None and line.startswith('\t'):
        current['lines'].append(line[1:])
    else:
        current = None

seen = {}
for b in blocks:
    text = '\n'.join(b['lines'])
    m = re.match(r'Query Text: (.*?)\n(?=\S)', text + '\n', re.S)
    query = m.group(1).strip() if m else '?'
    if query in ('SELECT 1', '?') or 'flyway' in query.lower():
        continue
    plan = text[m.end():] if m else text
    seen.setdefault(query, (b['ms'], plan))

print(f'{len(seen)} distinct statements.\n')
for query, (ms, plan) in seen.items():
    print(f'### {ms:.1f} ms\n')
    print('```sql\n' + query + '\n```\n')
    print('```\n' + plan.rstrip() + '\n```\n')
