{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}

db_sentinel-install-clean-file-absent:
  file.absent:
    - names:
      - {{ abs['bin_dir'] }}
      - {{ abs['state_dir'] }}
      - {{ abs['snapshot_dir'] }}
      - {{ abs['textfile_dir'] }}/db_sentinel.prom

{%- if db_sentinel['remove_pkgs_on_clean'] %}

db_sentinel-install-clean-pkg-removed:
  pkg.removed:
    - pkgs: {{ db_sentinel['pkgs'] | json }}
{%- endif %}
