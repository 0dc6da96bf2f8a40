{#- `salt-run state.orchestrate remediate`: the remediation profile on every db_sentinel host, in batches.

    salt-run state.orchestrate remediate                                  # every host with db_sentinel pillar
    salt-run state.orchestrate remediate pillar='{"target": "db1"}'       # a glob, or a compound with tgt_type
    salt-run state.orchestrate remediate pillar='{"batch": 2}' test=True  # what would change, nothing changed

  1. drift: on every target at once, render db_sentinel.remediation.drift - which validates each host's pillar
     (a bad value fails the render naming the key) - and report the drift db_analyzer measures. Any failure stops
     the run here, before a single host is changed.
  2. apply: db_sentinel.remediation then db_sentinel.remediation.verify (db_analyzer must find no drift left), one
     batch at a time; failhard stops at the first failing batch.
  Pillar `remediation` (on the salt-run command line) overrides the profile for this run on every target. #}
{%- set target = salt['pillar.get']('target', 'I@db_sentinel:*') %}
{%- set tgt_type = salt['pillar.get']('tgt_type', 'compound') %}
{%- set batch = salt['pillar.get']('batch', '25%') %}
{%- set override = salt['pillar.get']('remediation', none) %}
{%- set forwarded = {'db_sentinel': {'remediation': override}} if override is not none else {} %}

# The formula's modules (drift report and verification) on every target; test mode skips this step and relies on
# the last state.apply db_sentinel having synced them.
db_sentinel-remediate-sync-salt-function:
  salt.function:
    - name: saltutil.sync_all
    - tgt: {{ target | json }}
    - tgt_type: {{ tgt_type }}

db_sentinel-remediate-drift-salt-state:
  salt.state:
    # Wait for a state run already going on the minion (another reaction's) instead of failing.
    - queue: True
    - tgt: {{ target | json }}
    - tgt_type: {{ tgt_type }}
    - sls:
      - db_sentinel.remediation.drift
{%- if forwarded %}
    - pillar: {{ forwarded | json }}
{%- endif %}
    - failhard: True
    - require:
      - salt: db_sentinel-remediate-sync-salt-function

db_sentinel-remediate-apply-salt-state:
  salt.state:
    # Wait for a state run already going on the minion (another reaction's) instead of failing.
    - queue: True
    - tgt: {{ target | json }}
    - tgt_type: {{ tgt_type }}
    - sls:
      - db_sentinel.remediation
      - db_sentinel.remediation.verify
    - batch: {{ batch | string | json }}
{%- if forwarded %}
    - pillar: {{ forwarded | json }}
{%- endif %}
    - failhard: True
    - require:
      - salt: db_sentinel-remediate-drift-salt-state
