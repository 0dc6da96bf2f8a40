{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}

db_sentinel-remediation-clean-file-absent:
  file.absent:
    - names:
      - {{ abs['sysctl_file'] }}
      - {{ abs['udev_rule'] }}
      - {{ abs['tmpfiles'] }}
