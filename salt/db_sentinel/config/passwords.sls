{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}
{%- set abs = db_sentinel['abs'] %}

db_sentinel-config-passwords-file-directory:
  file.directory:
    - name: {{ abs['secrets_dir'] }}
    - user: root
    - group: root
    - mode: '0700'
    - makedirs: True

{#- Each password into its own 0600 file read by the bundles (config `password_file`), never on a command line
    and never in state output. #}
{%- for database in db_sentinel['databases'] if database.get('password') is not none %}

db_sentinel-config-passwords-file-managed-{{ database['name'] }}:
  file.managed:
    - name: {{ abs['secrets_dir'] }}/{{ database['name'] }}.password
    - contents_pillar: db_sentinel:databases:{{ loop.index0 }}:password
    - user: root
    - group: root
    - mode: '0600'
    - show_changes: False
    - require:
      - file: db_sentinel-config-passwords-file-directory
{%- endfor %}
{#- The bearer token of `db_analyzer serve` (config server.token_file), always: /report carries literal samples and
    plans. From the pillar's server_token when given (Prometheus scrapes with the same token); otherwise one made on
    the minion once and kept (replace: False). #}
db_sentinel-config-passwords-file-managed-http-token:
  file.managed:
    - name: {{ abs['secrets_dir'] }}/http.token
{%- if db_sentinel.get('server_token') %}
    - contents_pillar: db_sentinel:server_token
{%- else %}
    - contents: {{ salt['random.get_str'](48, punctuation=False) | json }}
    - replace: False
{%- endif %}
    - user: root
    - group: root
    - mode: '0600'
    - show_changes: False
    - require:
      - file: db_sentinel-config-passwords-file-directory
