{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}

db_sentinel-install-bundles-file-directory:
  file.directory:
    - names:
      - {{ abs['bin_dir'] }}
      - {{ abs['state_dir'] }}
    - user: root
    - group: root
    - mode: '0755'
    - makedirs: True

{%- for bundle in db_sentinel['bundles'] %}

db_sentinel-install-bundles-file-managed-{{ bundle }}:
  file.managed:
    - name: {{ abs['bin_dir'] }}/{{ bundle }}.js
    - source: {{ db_sentinel['source'] }}/{{ bundle }}.js
    - user: root
    - group: root
    - mode: '0755'
    - show_changes: False
    - require:
      - file: db_sentinel-install-bundles-file-directory
{%- endfor %}
