{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set profile = db_sentinel['remediation'] %}
{%- set settings = dict(profile['sysctl']) %}
{%- if profile['hugepages'] is not none %}
{%-   do settings.update({'vm.nr_hugepages': profile['hugepages']}) %}
{%- endif %}

db_sentinel-remediation-sysctl-file-directory:
  file.directory:
    - name: {{ salt['file.dirname'](db_sentinel['abs']['sysctl_file']) }}
    - makedirs: True

{#- An explicit file under /etc/sysctl.d: without systemd Salt's default would be /etc/sysctl.conf. #}
{%- for name, value in settings | dictsort %}

db_sentinel-remediation-sysctl-sysctl-present-{{ name }}:
  sysctl.present:
    - name: {{ name }}
    - value: {{ value | string | json }}
    - config: {{ db_sentinel['abs']['sysctl_file'] }}
    - require:
      - file: db_sentinel-remediation-sysctl-file-directory
{%- endfor %}
