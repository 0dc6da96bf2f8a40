{%- from 'db_sentinel/map.jinja' import db_sentinel with context %}

db_sentinel-install-packages-pkg-installed:
  pkg.installed:
    - pkgs: {{ db_sentinel['pkgs'] | json }}

# The bundles target node18: fail clearly on an older distribution Node.js instead of at the first cron run.
db_sentinel-install-packages-cmd-run-node-version:
  cmd.run:
    - name: >-
        echo '{{ db_sentinel['node'] }} is older than Node.js 18, which the db_sentinel bundles need' >&2; exit 1
    - unless: >-
        {{ db_sentinel['node'] }} -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'
    - require:
      - pkg: db_sentinel-install-packages-pkg-installed
