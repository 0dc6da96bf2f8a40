{#- This host's Prometheus target in the Salt mine, updated in the apply that changes it (not at Salt's
    mine_interval, 60 minutes by default), so that the monitoring host's next `state.apply db_sentinel.prometheus`
    lists it. Nothing happens when the mine already holds what db_sentinel.target answers (the module is synced by
    then; on a first apply it is not loaded at render time and the update always runs). #}
{%- set mined = salt['mine.get'](grains['id'], 'db_sentinel.target').get(grains['id']) %}
{%- set current = salt['db_sentinel.target']() if 'db_sentinel.target' in salt else none %}
{%- if current is none or mined != current %}

include:
  - db_sentinel.install.modules
  - db_sentinel.config.file

db_sentinel-mine-init-module-run:
  module.run:
    - mine.update: []
    - require:
      - sls: db_sentinel.install.modules
      - file: db_sentinel-config-file-file-serialize
{%- else %}

db_sentinel-mine-init-test-nop:
  test.nop:
    - name: the mine holds this host's target
{%- endif %}
