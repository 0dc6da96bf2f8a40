{#- The remediation profile (pillar db_sentinel:remediation over parameters/tuning.yaml) applied as db_analyzer plans
    it (libplan.jinja): each change now, and every setting persistently. The states write exactly the paths and values
    of the plan; nothing about devices, classes or globs is decided here. The config's `tuning:` is rendered from the
    same pillar in the same run, so the host's own drift check measures what was applied. Run through
    `salt-run state.orchestrate remediate`, or alone with state.apply db_sentinel.remediation. #}
{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- from 'db_sentinel/libplan.jinja' import fail_on_pillar_errors, tuning_plan with context %}
{%- set plan = tuning_plan(db_sentinel) | load_json %}
{%- set abs = db_sentinel['abs'] %}
{%- set errors = db_sentinel['pillar_errors'] + ([plan['error']] if plan.get('error') else []) %}
{{- fail_on_pillar_errors('db_sentinel-remediation-init-test-fail_without_changes', errors) }}
{%- if not errors %}

include:
  - db_sentinel.config.file

db_sentinel-remediation-sysctl-file-directory:
  file.directory:
    - name: {{ salt['file.dirname'](abs['sysctl_file']) }}
    - makedirs: True

{#- An explicit file under /etc/sysctl.d: without systemd Salt's default would be /etc/sysctl.conf. #}
{%- for name, value in plan['persist']['sysctl'] | dictsort %}

db_sentinel-remediation-sysctl-sysctl-present-{{ name }}:
  sysctl.present:
    - name: {{ name }}
    - value: {{ value | json }}
    - config: {{ abs['sysctl_file'] }}
    - require:
      - file: db_sentinel-remediation-sysctl-file-directory
{%- endfor %}

{#- Now: each scheduler and the THP mode that differ, written where the plan says; `unless` keeps a rerun from
    writing again. #}
{%- for setting in plan['changes'] if setting['kind'] in ['scheduler', 'transparent_hugepage'] %}
{%-   set component = 'scheduler' if setting['kind'] == 'scheduler' else 'thp' %}

db_sentinel-remediation-{{ component }}-cmd-run-{{ setting['setting'] }}:
  cmd.run:
    - name: echo {{ setting['desired'] }} > {{ setting['path'] }}
    - unless: grep -q '\[{{ setting['desired'] }}\]' {{ setting['path'] }}
{%- endfor %}

db_sentinel-remediation-scheduler-file-directory:
  file.directory:
    - name: {{ salt['file.dirname'](abs['udev_rule']) }}
    - makedirs: True

{#- Persistently: udev sets the scheduler whenever a managed disk appears or changes (boot, hotplug). #}
db_sentinel-remediation-scheduler-file-managed:
  file.managed:
    - name: {{ abs['udev_rule'] }}
    - mode: '0644'
    - require:
      - file: db_sentinel-remediation-scheduler-file-directory
    - contents: |
        # Managed by Salt (db_sentinel remediation): the I/O scheduler by device class.
{%- for rule in plan['persist']['udev_rules'] %}
        {{ rule }}
{%- endfor %}
{%- if plan['persist']['thp_tmpfiles'] is none %}

db_sentinel-remediation-thp-file-absent:
  file.absent:
    - name: {{ abs['tmpfiles'] }}
{%- else %}

db_sentinel-remediation-thp-file-directory:
  file.directory:
    - name: {{ salt['file.dirname'](abs['tmpfiles']) }}
    - makedirs: True

{#- Persistently: systemd-tmpfiles writes the mode at boot. #}
db_sentinel-remediation-thp-file-managed:
  file.managed:
    - name: {{ abs['tmpfiles'] }}
    - mode: '0644'
    - require:
      - file: db_sentinel-remediation-thp-file-directory
    - contents: |
        # Managed by Salt (db_sentinel remediation): transparent hugepages.
        {{ plan['persist']['thp_tmpfiles'] }}
{%- endif %}
{%- endif %}
