{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}

{#- /etc/db_sentinel/config.yml: the pillar's sections, the databases with password files instead of passwords,
    and the merged remediation profile as `tuning`, so db_analyzer measures drift against what remediation applies. #}
{%- set databases = [] %}
{%- for database in db_sentinel['databases'] %}
{%-   set entry = {} %}
{%-   for key, value in database.items() if key != 'password' %}
{%-     do entry.update({key: value}) %}
{%-   endfor %}
{%-   if database.get('password') is not none %}
{%-     do entry.update({'password_file': abs['secrets_dir'] ~ '/' ~ database['name'] ~ '.password'}) %}
{%-   endif %}
{%-   do databases.append(entry) %}
{%- endfor %}
{%- set document = salt['slsutil.merge']({
      'textfile': {'dir': abs['textfile_dir']},
      'beacon': {'state_file': abs['beacon_state']},
      'explain': {'cache_file': abs['plan_cache'], 'state_dir': abs['state_dir']},
    }, db_sentinel['config'], strategy='recurse') %}
{%- if db_sentinel.get('server_token') %}
{%-   do document.setdefault('server', {}).update({'token_file': abs['secrets_dir'] ~ '/http.token'}) %}
{%- endif %}
{%- do document.update({'databases': databases, 'tuning': db_sentinel['remediation']}) %}

db_sentinel-config-file-file-directory:
  file.directory:
    - name: {{ abs['config_dir'] }}
    - user: root
    - group: root
    - mode: '0755'
    - makedirs: True

db_sentinel-config-file-file-serialize:
  file.serialize:
    - name: {{ abs['config_file'] }}
    - serializer: yaml
    - dataset: {{ document | json }}
    - user: root
    - group: root
    - mode: '0600'
    - require:
      - file: db_sentinel-config-file-file-directory
