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
{%- if db_sentinel.get('server_token') %}

{#- The bearer token of `db_analyzer serve` when it listens beyond loopback (config server.token_file). #}
db_sentinel-config-passwords-file-managed-http-token:
  file.managed:
    - name: {{ abs['secrets_dir'] }}/http.token
    - contents_pillar: db_sentinel:server_token
    - user: root
    - group: root
    - mode: '0600'
    - show_changes: False
    - require:
      - file: db_sentinel-config-passwords-file-directory
{%- endif %}
