{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set schedulers = db_sentinel['remediation']['schedulers'] %}
{%- set block = db_sentinel['sys_root'] ~ '/block' %}
{%- set globs = db_sentinel['remediation']['scheduler_devices'] %}
{%- set patterns = [] %}
{%- for glob in globs %}
{%-   do patterns.append('^(' ~ (glob | replace('.', '\\.') | replace('*', '.*') | replace('?', '.')) ~ ')$') %}
{%- endfor %}
{%- set nvme_globs = globs | select('match', 'nvme') | list %}
{%- set other_globs = globs | reject('match', 'nvme') | list %}

{#- Now: every managed block device gets its class's scheduler; `unless` keeps a second run from writing again. #}
{%- for device in salt['file.readdir'](block) | sort
      if device not in ['.', '..'] and salt['file.file_exists'](block ~ '/' ~ device ~ '/queue/scheduler') %}
{%-   set ns = namespace(managed=false) %}
{%-   for pattern in patterns if device | regex_match(pattern) is not none %}
{%-     set ns.managed = true %}
{%-   endfor %}
{%-   if ns.managed %}
{%-     set path = block ~ '/' ~ device ~ '/queue/scheduler' %}
{%-     set available = salt['file.read'](path) | replace('[', '') | replace(']', '') | trim %}
{%-     set available = available.split() %}
{%-     set rotational = salt['file.read'](block ~ '/' ~ device ~ '/queue/rotational') | trim == '1' %}
{%-     set device_class = 'nvme' if device.startswith('nvme') else ('rotational' if rotational else 'non_rotational') %}
{%-     set desired = schedulers[device_class] %}
{%-     if desired in available %}

db_sentinel-remediation-scheduler-cmd-run-{{ device }}:
  cmd.run:
    - name: echo {{ desired }} > {{ path }}
    - unless: grep -q '\[{{ desired }}\]' {{ path }}
{%-     else %}

db_sentinel-remediation-scheduler-test-fail_without_changes-{{ device }}:
  test.fail_without_changes:
    - name: >-
        {{ device }} ({{ device_class }}) does not offer the I/O scheduler {{ desired }}
        of db_sentinel:remediation:schedulers:{{ device_class }} (available: {{ available | join(', ') }})
{%-     endif %}
{%-   endif %}
{%- endfor %}

db_sentinel-remediation-scheduler-file-directory:
  file.directory:
    - name: {{ salt['file.dirname'](db_sentinel['abs']['udev_rule']) }}
    - makedirs: True

{#- Persistently: udev sets the scheduler whenever a disk appears or changes (boot, hotplug). #}
db_sentinel-remediation-scheduler-file-managed:
  file.managed:
    - name: {{ db_sentinel['abs']['udev_rule'] }}
    - mode: '0644'
    - require:
      - file: db_sentinel-remediation-scheduler-file-directory
    - contents: |
        # Managed by Salt (db_sentinel remediation): the I/O scheduler by device class.
{%- if other_globs %}
        ACTION=="add|change", SUBSYSTEM=="block", ENV{DEVTYPE}=="disk", KERNEL=="{{ other_globs | join('|') }}", ATTR{queue/rotational}=="1", ATTR{queue/scheduler}="{{ schedulers['rotational'] }}"
        ACTION=="add|change", SUBSYSTEM=="block", ENV{DEVTYPE}=="disk", KERNEL=="{{ other_globs | join('|') }}", ATTR{queue/rotational}=="0", ATTR{queue/scheduler}="{{ schedulers['non_rotational'] }}"
{%- endif %}
{%- if nvme_globs %}
        ACTION=="add|change", SUBSYSTEM=="block", ENV{DEVTYPE}=="disk", KERNEL=="{{ nvme_globs | join('|') }}", ATTR{queue/scheduler}="{{ schedulers['nvme'] }}"
{%- endif %}
