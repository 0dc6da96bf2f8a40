{#- `salt-run state.orchestrate remediate`: the remediation profile on every db_sentinel host, in batches.

    salt-run state.orchestrate remediate                                  # every host with db_sentinel pillar
    salt-run state.orchestrate remediate pillar='{"target": "db1"}'       # a glob, or a compound with tgt_type
    salt-run state.orchestrate remediate pillar='{"batch": 2}' test=True  # what would change, nothing changed

  1. plan: on every target at once, db_sentinel.remediation.plan. Its render asks db_analyzer for the plan of the
     host's pillar (a bad value, or scheduler_devices matching no device, fails naming the key and the minion); then
     the formula's modules are synced where they changed, and every setting that would change is listed
     (actual -> desired; with test=True as the changes of each host). Any failure stops the run here, before a
     single host is changed.
  2. apply: db_sentinel.remediation (the plan's changes now and every setting persistently, config.yml's `tuning:`
     from the same pillar) then db_sentinel.remediation.verify (db_analyzer plans the same profile again: nothing
     may be left to change), one batch at a time; failhard stops at the first failing batch.
  Pillar `remediation` (on the salt-run command line) overrides the profile for this run on every target, for the
  plan, the apply, the verification and the config alike. #}
{%- set target = salt['pillar.get']('target', 'I@db_sentinel:*') %}
{%- set tgt_type = salt['pillar.get']('tgt_type', 'compound') %}
{%- set batch = salt['pillar.get']('batch', '25%') %}
{%- set override = salt['pillar.get']('remediation', none) %}
{%- set forwarded = {'db_sentinel': {'remediation': override}} if override is not none else {} %}

db_sentinel-remediate-plan-salt-state:
  salt.state:
    # Wait for a state run already going on the minion (another reaction's) instead of failing.
    - queue: True
    - tgt: {{ target | json }}
    - tgt_type: {{ tgt_type }}
    - sls:
      - db_sentinel.remediation.plan
{%- if forwarded %}
    - pillar: {{ forwarded | json }}
{%- endif %}
    - failhard: True

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
      - salt: db_sentinel-remediate-plan-salt-state
