{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}
{%- set cron = db_sentinel['cron'] %}
{%- set base = 'PATH=' ~ cron['path'] ~ ' ' ~ db_sentinel['node'] %}
{#- Each job logs its output to syslog; the identifier keeps one entry per job however the command changes. #}
{%- set commands = {
      'db_check': base ~ ' ' ~ abs['bin_dir'] ~ '/db_check.js --config ' ~ abs['config_file'],
      'db_textfile': base ~ ' ' ~ abs['bin_dir'] ~ '/db_textfile.js --config ' ~ abs['config_file']
                     ~ ' --dir ' ~ abs['textfile_dir'],
      'db_beacon': base ~ ' ' ~ abs['bin_dir'] ~ '/db_beacon.js --config ' ~ abs['config_file']
                   ~ ' --state-file ' ~ abs['beacon_state'],
    } %}

include:
  - db_sentinel.install
  - db_sentinel.config

{%- for job, command in commands | dictsort %}
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
      - file: db_sentinel-config-file-file-serialize
{%- endfor %}
