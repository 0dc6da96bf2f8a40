{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{#- Applied on the monitoring host: Prometheus file_sd targets from the Salt mine (function db_sentinel.target,
    set in pillar mine_functions), one group per database host. prometheus/ consumes this file. #}
{%- set mined = salt['mine.get'](db_sentinel['prometheus']['mine_target'], 'db_sentinel.target') %}
{%- set groups = [] %}
{%- for minion, target in mined | dictsort if target is mapping and target.get('address') %}
{%-   do groups.append({
        'targets': [target['address']],
        'labels': {
          'host': target['host'],
          'db_engine': target['engine'],
          'cluster': target['cluster'],
          'role': target['role'],
          'db_sentinel': 'true',
        },
      }) %}
{%- endfor %}

db_sentinel-prometheus-file_sd-file-serialize:
  file.serialize:
    - name: {{ db_sentinel['prometheus']['file_sd_path'] }}
    - makedirs: True
    - mode: '0644'
    - serializer: json
    - dataset: {{ groups | json }}
