{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set ae = db_sentinel['auto_explain'] %}
{%- if ae['version'] is integer %}
{%-   set conf_file = ae['conf_file'] or '/etc/postgresql/%s/%s/conf.d/db_sentinel-auto_explain.conf' | format(ae['version'], ae['cluster']) %}
{%-   set reload_cmd = ae['reload_cmd'] or 'pg_ctlcluster %s %s reload' | format(ae['version'], ae['cluster']) %}

db_sentinel-auto_explain-clean-file-absent:
  file.absent:
    - name: {{ db_sentinel['root'] ~ conf_file }}

db_sentinel-auto_explain-clean-cmd-run:
  cmd.run:
    - name: {{ reload_cmd | json }}
    - runas: {{ ae['runas'] }}
    - onchanges:
      - file: db_sentinel-auto_explain-clean-file-absent
{%- endif %}
