{#- Flushes this host's target from the mine, so the monitoring host's next file_sd render drops it (db_sentinel.target
    answers {} once the config is gone, so Salt's periodic mine update does not bring it back). #}
{%- set mined = salt['mine.get'](grains['id'], 'db_sentinel.target').get(grains['id']) %}
{%- if mined %}

db_sentinel-mine-clean-module-run:
  module.run:
    - mine.delete:
      - db_sentinel.target
{%- else %}

db_sentinel-mine-clean-test-nop:
  test.nop:
    - name: no target of this host in the mine
{%- endif %}
