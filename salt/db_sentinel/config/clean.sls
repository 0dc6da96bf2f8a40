{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}

db_sentinel-config-clean-file-absent:
  file.absent:
    - names:
      - {{ abs['secrets_dir'] }}
      - {{ abs['config_dir'] }}
