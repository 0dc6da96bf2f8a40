{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{#- A fresh report at the time of the event, kept beside the event in <state_dir>/reactions/<check>-<status>.json
    for the SRE who answers it. db_analyzer only reads, so this runs at render time, in test mode too. #}
{%- set event = salt['pillar.get']('db_sentinel_event', {}) %}
{%- if not event.get('check') or not event.get('status') %}
{{ raise('db_sentinel.react.report needs pillar db_sentinel_event with check and status (run by the reactor)') }}
{%- endif %}
{%- set abs = db_sentinel['abs'] %}
{%- set result = salt['cmd.run_all']([db_sentinel['node'], abs['bin_dir'] ~ '/db_analyzer.js', 'report', '--config',
      abs['config_file']], python_shell=False, ignore_retcode=True) %}
{%- set report = none %}
{%- if result['stdout'].startswith('{') %}
{%-   set report = result['stdout'] | load_json %}
{%- endif %}

db_sentinel-react-report-file-serialize:
  file.serialize:
    - name: {{ abs['state_dir'] }}/reactions/{{ event['check'] }}-{{ event['status'] }}.json
    - makedirs: True
    - mode: '0600'
    - serializer: json
    - show_changes: False
    - dataset:
        check: {{ event['check'] | json }}
        status: {{ event['status'] | json }}
        received: {{ None | strftime('%Y-%m-%dT%H:%M:%SZ') | json }}
        analyzer_exit_code: {{ result['retcode'] }}
        analyzer_error: {{ (none if report is not none else (result['stdout'] ~ result['stderr'])[:2000]) | json }}
        report: {{ report | json }}
