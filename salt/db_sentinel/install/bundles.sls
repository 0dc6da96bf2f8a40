{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}

include:
  # The snapshot below is rebuilt when the nodejs package changes.
  - .packages

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
{%- if 'db_check' in db_sentinel['bundles'] %}

{#- db_check's cron job runs through this launcher (build/db_check.sh): from the V8 startup snapshot below while the
    snapshot's hard links are the node and bundle it runs, else from the bundle. #}
db_sentinel-install-bundles-file-managed-db_check-launcher:
  file.managed:
    - name: {{ abs['bin_dir'] }}/db_check.sh
    - source: {{ db_sentinel['source'] }}/db_check.sh
    - user: root
    - group: root
    - mode: '0755'
    - require:
      - file: db_sentinel-install-bundles-file-directory

{#- Root's alone: the blob is code the cron job runs, and db_check refuses a directory others can write. Missing
    parents are made root 0700 too: /var/cache/db_sentinel is also where root's bundles keep their V8 code cache. #}
db_sentinel-install-bundles-file-directory-snapshot:
  file.directory:
    - name: {{ abs['snapshot_dir'] }}
    - user: root
    - group: root
    - mode: '0700'
    - makedirs: True

{#- Built when node or the bundle changes (and on the first deploy); without a blob where the node gets none (Node
    20+: a symbolic link names that node). Between applies the launcher builds it again, after its run, for a node or
    bundle it was not made for. #}
db_sentinel-install-bundles-cmd-run-snapshot:
  cmd.run:
    - name: {{ db_sentinel['node'] }} {{ abs['bin_dir'] }}/db_check.js --build-snapshot {{ abs['snapshot_dir'] }}
    - onchanges:
      - file: db_sentinel-install-bundles-file-managed-db_check
      - file: db_sentinel-install-bundles-file-managed-db_check-launcher
      - file: db_sentinel-install-bundles-file-directory-snapshot
      - pkg: db_sentinel-install-packages-pkg-installed
    - require:
      - file: db_sentinel-install-bundles-file-directory-snapshot
      - cmd: db_sentinel-install-packages-cmd-run-node-version
{%- endif %}
