{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}
{%- set cron = db_sentinel['cron'] %}
{%- set path = 'PATH=' ~ cron['path'] %}
{#- Each job's command from its entry in parameters/defaults.yaml (cron:jobs): the bundle, then each flag with its
    absolute path (resolved and checked by map.jinja). db_check runs through its launcher (install/bundles.sls),
    `/bin/sh db_check.sh SNAPSHOT_DIR NODE BUNDLE flags...`, which starts it from its startup snapshot where there is
    one. Each job logs its output to syslog; the identifier keeps one entry per job however the command changes. #}
{%- set commands = {} %}
{%- for job, words in db_sentinel['cron_args'].items() %}
{%-   set bundle = abs['bin_dir'] ~ '/' ~ job ~ '.js' %}
{%-   set start = [path, '/bin/sh', abs['bin_dir'] ~ '/db_check.sh', abs['snapshot_dir'], db_sentinel['node'], bundle]
        if job == 'db_check' else [path, db_sentinel['node'], bundle] %}
{%-   do commands.update({job: (start + words) | join(' ')}) %}
{%- endfor %}

include:
  - db_sentinel.install
  - db_sentinel.config

{#- One ingestion path by default: Prometheus scrapes `db_analyzer serve`. The textfile for node_exporter is
    opt-in (db_sentinel:textfile:enabled): both would ingest the same series twice. Where the daemon runs (map.jinja)
    it sends the beacon's events and writes the textfile itself: no db_beacon and no db_textfile job there. #}
{%- set textfile = db_sentinel['textfile']['enabled'] %}
{%- set absent = (['db_beacon', 'db_textfile'] if db_sentinel['daemon'] else []) + ([] if textfile else ['db_textfile']) %}
{%- if textfile %}

{#- node_exporter (user prometheus or node_exporter) reads the directory: root-owned, world-readable; db_textfile
    (or the daemon) writes db_sentinel.prom 0644 into it. #}
db_sentinel-cron-jobs-file-directory-textfile:
  file.directory:
    - name: {{ abs['textfile_dir'] }}
    - user: root
    - group: root
    - mode: '0755'
    - makedirs: True
{%- endif %}
{%- for job in ['db_beacon', 'db_textfile'] if job in absent %}

db_sentinel-cron-jobs-cron-absent-{{ job }}:
  cron.absent:
    - name: {{ job }}
    - identifier: {{ cron['jobs'][job]['identifier'] }}
    - user: {{ cron['user'] }}
{%- endfor %}

{%- for job, command in commands | dictsort if job not in absent %}
{%-   set schedule = cron['jobs'][job] %}

db_sentinel-cron-jobs-cron-present-{{ job }}:
  cron.present:
    - name: {{ (command ~ ' 2>&1 | logger -t ' ~ schedule['identifier']) | json }}
    - identifier: {{ schedule['identifier'] }}
    - user: {{ cron['user'] }}
{%-   for field in ['minute', 'hour', 'daymonth', 'month', 'dayweek'] if field in schedule %}
    - {{ field }}: {{ schedule[field] | string | json }}
{%-   endfor %}
    - require:
      - file: db_sentinel-install-bundles-file-managed-{{ job }}
{%-   if job == 'db_check' %}
      - file: db_sentinel-install-bundles-file-managed-db_check-launcher
{%-   endif %}
      - file: db_sentinel-config-file-file-serialize
{%-   if job == 'db_textfile' %}
      - file: db_sentinel-cron-jobs-file-directory-textfile
{%-   endif %}
{%- endfor %}
