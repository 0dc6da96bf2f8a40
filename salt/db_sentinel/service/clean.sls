{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}
{%- set service = db_sentinel['service'] %}
{%- if grains.get('init') == 'systemd' %}

db_sentinel-service-clean-service-dead:
  service.dead:
    - name: {{ service['name'] }}
    - enable: False
    - onlyif: test -f {{ abs['systemd_unit'] }}
    - require_in:
      - file: db_sentinel-service-clean-file-absent
{%- endif %}

db_sentinel-service-clean-file-absent:
  file.absent:
    - name: {{ abs['systemd_unit'] }}
