# The formula's own Salt modules (salt/_modules, salt/_states): db_sentinel.target feeds the mine (Prometheus
# targets), db_sentinel.drift and the db_sentinel.drift_reported state serve remediation and its verification.
db_sentinel-install-modules-saltutil-sync_all:
  saltutil.sync_all:
    - refresh: True
