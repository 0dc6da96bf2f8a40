{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}
{%- set service = db_sentinel['service'] %}
{#- `db_analyzer serve` under systemd. Hosts without systemd as init (containers, this test sandbox) get no unit and
    no failure: the analyzer then runs from cron outputs only. #}
{%- if db_sentinel['daemon'] %}

include:
  - db_sentinel.install
  - db_sentinel.config

db_sentinel-service-unit-file-managed:
  file.managed:
    - name: {{ abs['systemd_unit'] }}
    - source: salt://db_sentinel/service/files/db_sentinel-analyzer.service.jinja
    - template: jinja
    - context:
        node: {{ db_sentinel['node'] }}
        analyzer: {{ abs['bin_dir'] }}/db_analyzer.js
        config: {{ abs['config_file'] }}
        web_config: {{ (abs['web_config'] if db_sentinel['web_config'] else '') | json }}
    - user: root
    - group: root
    - mode: '0644'

# Salt's systemd module runs daemon-reload itself when the unit file changed.
db_sentinel-service-unit-service-running:
  service.running:
    - name: {{ service['name'] }}
    - enable: True
    - watch:
      - file: db_sentinel-service-unit-file-managed
      - file: db_sentinel-install-bundles-file-managed-db_analyzer
      - file: db_sentinel-config-file-file-serialize
{%-   if db_sentinel['web_config'] %}
      - file: db_sentinel-config-file-file-serialize-web_config
{%-   endif %}
{%- else %}

db_sentinel-service-unit-test-nop:
  test.nop:
    - name: 'db_analyzer serve unit not managed (init is {{ grains.get('init') }}, enabled: {{ service['enabled'] }})'
{%- endif %}
