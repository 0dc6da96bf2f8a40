{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}

{#- With the snapshot directory, its default parent: where root's bundles keep their V8 code cache, a fixed path
    (ROOT_CODE_CACHE_DIR in src/build-code-cache.ts), not a parameter. #}
db_sentinel-install-clean-file-absent:
  file.absent:
    - names:
      - {{ abs['bin_dir'] }}
      - {{ abs['state_dir'] }}
      - {{ abs['snapshot_dir'] }}
      - {{ db_sentinel['root'] }}/var/cache/db_sentinel
      - {{ abs['textfile_dir'] }}/db_sentinel.prom

{%- if db_sentinel['remove_pkgs_on_clean'] %}

db_sentinel-install-clean-pkg-removed:
  pkg.removed:
    - pkgs: {{ db_sentinel['pkgs'] | json }}
{%- endif %}
