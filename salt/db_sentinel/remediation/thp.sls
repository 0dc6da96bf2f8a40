{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set mode = db_sentinel['remediation']['transparent_hugepage'] %}
{%- set enabled = db_sentinel['sys_root'] ~ '/kernel/mm/transparent_hugepage/enabled' %}

{%- if mode is none %}

db_sentinel-remediation-thp-file-absent:
  file.absent:
    - name: {{ db_sentinel['abs']['tmpfiles'] }}
{%- else %}

{#- Now, where the kernel has THP at all; `unless` keeps a second run from writing again. #}
db_sentinel-remediation-thp-cmd-run:
  cmd.run:
    - name: echo {{ mode }} > {{ enabled }}
    - unless: grep -q '\[{{ mode }}\]' {{ enabled }}
    - onlyif: test -f {{ enabled }}

db_sentinel-remediation-thp-file-directory:
  file.directory:
    - name: {{ salt['file.dirname'](db_sentinel['abs']['tmpfiles']) }}
    - makedirs: True

{#- Persistently: systemd-tmpfiles writes the mode at boot. #}
db_sentinel-remediation-thp-file-managed:
  file.managed:
    - name: {{ db_sentinel['abs']['tmpfiles'] }}
    - mode: '0644'
    - require:
      - file: db_sentinel-remediation-thp-file-directory
    - contents: |
        # Managed by Salt (db_sentinel remediation): transparent hugepages.
        w /sys/kernel/mm/transparent_hugepage/enabled - - - - {{ mode }}
{%- endif %}
