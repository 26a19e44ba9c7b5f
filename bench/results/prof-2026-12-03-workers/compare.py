import json,sys
def load(f):
    d=json.load(open(f)); m=d['modes']['embedded']; return d,m
fs=sys.argv[1:]
rows={}
for f in fs:
    d,m=load(f)
    g=m['goal']; c=m['cpu']['during_load']; e=m['editor']
    print(f.split('/')[-1], '| uptime before', d['uptime_before'].split()[:3], 'max load during', m['load']['loadavg_1min_max_during'],
          '| page+poll p95 while photo jobs run', g['p95_ms_all_in_scope'], 'n', g['requests_in_scope'],
          '| requests', m['load']['requests'], '| errors', m['errors']['total'], 'lost', m['jobs']['jobs_lost'], '| drain', m['drain_seconds'],
          '| server cores', c['server_cores'], 'other', c['other_processes_cores'])
    print('   editor p95 ms', {k:v.get('p95_ms') for k,v in e.get('actions',{}).items()})
    print('   whole run by kind p50/p95 ms', {k:(v['p50_ms'],v['p95_ms']) for k,v in m['latency_by_kind'].items()})
    t=m['latency_by_page_while_photo_jobs_run']
    for k,v in t.items(): rows.setdefault(k,[]).append((v['count'],v['p50_ms'],v['p95_ms']))
print('page (while photo jobs run): count/p50/p95 per run')
for k,v in sorted(rows.items()): print(f'  {k:32s}', '  '.join(f'{n:4d} {a:7.1f} {b:7.1f}' for n,a,b in v))
