{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set ae = db_sentinel['auto_explain'] %}
{%- if ae['enabled'] %}
{%-   if not (ae['version'] is integer and ae['version'] >= 10) %}
{{ raise('invalid pillar: db_sentinel:auto_explain:version: expected the major version of the cluster (an integer >= 10), got ' ~ (ae['version'] | json)) }}
{%-   endif %}
{%-   if ae['preload'] not in ['session', 'shared'] %}
{{ raise('invalid pillar: db_sentinel:auto_explain:preload: expected session or shared, got ' ~ (ae['preload'] | json)) }}
{%-   endif %}
{%-   if ae['log_destination'] not in ['auto', 'jsonlog', 'csvlog', 'stderr'] or (ae['log_destination'] == 'jsonlog' and ae['version'] < 15) %}
{{ raise('invalid pillar: db_sentinel:auto_explain:log_destination: expected auto, jsonlog (15+), csvlog or stderr, got ' ~ (ae['log_destination'] | json)) }}
{%-   endif %}
{%-   if not (ae['sample_rate'] is number and 0 < ae['sample_rate'] <= 1) %}
{{ raise('invalid pillar: db_sentinel:auto_explain:sample_rate: expected a number > 0 and <= 1, got ' ~ (ae['sample_rate'] | json)) }}
{%-   endif %}
{%-   set conf_file = ae['conf_file'] or '/etc/postgresql/%s/%s/conf.d/db_sentinel-auto_explain.conf' | format(ae['version'], ae['cluster']) %}
{%-   set reload_cmd = ae['reload_cmd'] or 'pg_ctlcluster %s %s reload' | format(ae['version'], ae['cluster']) %}
{%-   set destination = ae['log_destination'] if ae['log_destination'] != 'auto' else ('jsonlog' if ae['version'] >= 15 else 'csvlog') %}

db_sentinel-auto_explain-conf-file-managed:
  file.managed:
    - name: {{ db_sentinel['root'] ~ conf_file }}
    - source: salt://db_sentinel/auto_explain/files/auto_explain.conf.jinja
    - template: jinja
    - makedirs: True
    - user: {{ ae['runas'] }}
    - mode: '0644'
    - context:
        ae: {{ ae | json }}
        destination: {{ destination }}

db_sentinel-auto_explain-conf-cmd-run:
  cmd.run:
    - name: {{ reload_cmd | json }}
    - runas: {{ ae['runas'] }}
    - onchanges:
      - file: db_sentinel-auto_explain-conf-file-managed
{%- else %}

{#- Off (the default): one state that changes nothing, so that an apply of this state alone succeeds. #}
db_sentinel-auto_explain-conf-test-nop:
  test.nop:
    - name: auto_explain is off (pillar db_sentinel:auto_explain:enabled)
{%- endif %}
