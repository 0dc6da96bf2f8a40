{#- The formula's own Salt modules (salt/_modules, salt/_states): db_sentinel.target feeds the mine (Prometheus
    targets), db_sentinel.tuning_plan and its states serve remediation. Synced only when the master's copy differs
    from the minion's (a sync costs seconds and would make every run, test=True included, show a change). #}
{%- set stale = [] %}
{%- for kind, folder in [('modules', '_modules'), ('states', '_states')] %}
{%-   set served = salt['cp.hash_file']('salt://' ~ folder ~ '/db_sentinel.py') %}
{%-   set local = opts['extension_modules'] ~ '/' ~ kind ~ '/db_sentinel.py' %}
{%-   set current = salt['file.get_hash'](local, served.get('hash_type', 'sha256')) if salt['file.file_exists'](local) else none %}
{%-   if not served or current != served.get('hsum') %}
{%-     do stale.append(folder) %}
{%-   endif %}
{%- endfor %}
{%- if stale %}

db_sentinel-install-modules-saltutil-sync_all:
  saltutil.sync_all:
    - name: {{ ('db_sentinel modules changed: ' ~ (stale | join(', '))) | json }}
    - refresh: True
    # Load the synced modules into this run, for the states after this one.
    - reload_modules: True
{%- else %}

db_sentinel-install-modules-test-nop:
  test.nop:
    - name: db_sentinel modules already in sync with the master
{%- endif %}
