{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- from 'db_sentinel/libplan.jinja' import fail_on_pillar_errors, tuning_plan with context %}
{%- set abs = db_sentinel['abs'] %}
{#- The profile goes into `tuning:` as the pillar gives it (db_analyzer fills in tuning.yaml's defaults); the agent
    validates it first, so a bad value stops the run before any change, naming the key (where Node.js is not
    installed yet, the analyzer's config check at its first run does). #}
{%- set checked = tuning_plan(db_sentinel, required=false) | load_json %}
{{- fail_on_pillar_errors('db_sentinel-config-file-test-fail_without_changes',
      db_sentinel['pillar_errors'] + ([checked['error']] if checked and checked.get('error') else [])) }}

{#- /etc/db_sentinel/config.yml: the pillar's sections, the databases with password files instead of passwords,
    and the remediation profile as `tuning`, so db_analyzer measures drift against what remediation applies.
    Serialized as JSON (which is YAML too): the cron commands read it with JSON.parse, no YAML parser loaded. #}
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
      'textfile': {'dir': abs['textfile_dir'], 'status_file': abs['state_dir'] ~ '/textfile-status.json'},
      'beacon': {'state_file': abs['beacon_state'], 'minion_id': grains['id']},
      'explain': {'cache_file': abs['plan_cache']},
      'state_dir': abs['state_dir'],
    }, db_sentinel['config'], strategy='recurse') %}
{#- Always a token (config/passwords.sls makes one when the pillar has none): /report carries samples and plans. #}
{%- do document.setdefault('server', {}).update({'token_file': abs['secrets_dir'] ~ '/http.token'}) %}
{%- do document.update({'databases': databases, 'tuning': db_sentinel['remediation']}) %}
{#- The daemon's own outputs where it runs (map.jinja), set here whatever the pillar says: they replace the cron
    jobs db_beacon and db_textfile (cron/jobs.sls), and elsewhere a serve started by hand must not send the events a
    cron db_beacon sends too. #}
{%- do document['server'].update({'beacon': db_sentinel['daemon'],
      'textfile': db_sentinel['daemon'] and db_sentinel['textfile']['enabled']}) %}

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
    - serializer: json
    - dataset: {{ document | json }}
    - user: root
    - group: root
    - mode: '0600'
    - require:
      - file: db_sentinel-config-file-file-directory
{%- if db_sentinel['web_config'] %}

{#- `db_analyzer serve --web.config.file` (the unit passes it): TLS and basic auth users in the exporter-toolkit format;
    serve validates it at start (unknown keys, plain passwords are refused). #}
db_sentinel-config-file-file-serialize-web_config:
  file.serialize:
    - name: {{ abs['web_config'] }}
    - serializer: yaml
    - dataset: {{ db_sentinel['web_config'] | json }}
    - user: root
    - group: root
    - mode: '0600'
    - require:
      - file: db_sentinel-config-file-file-directory
{%- else %}

db_sentinel-config-file-file-absent-web_config:
  file.absent:
    - name: {{ abs['web_config'] }}
{%- endif %}
