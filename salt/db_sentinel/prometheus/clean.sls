{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}

db_sentinel-prometheus-clean-file-absent:
  file.absent:
    - name: {{ db_sentinel['prometheus']['file_sd_path'] }}
