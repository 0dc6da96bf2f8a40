# A complete example for one PostgreSQL host; pillar.example documents every key and its default.
db_sentinel:
  databases:
    - name: main
      engine: postgresql
      url: postgresql://db_sentinel@127.0.0.1:5432/postgres
      # Written to /etc/db_sentinel/secrets/main.password (0600); keep real secrets in an encrypted pillar (GPG).
      password: change-me
  config:
    check:
      services:
        - postgresql@15-main.service
      thresholds:
        disk_await_ms: {warning: 20, critical: 50}
    server:
      # Beyond loopback the analyzer demands a bearer token: server_token below.
      listen: 0.0.0.0:19617
  # Written to /etc/db_sentinel/secrets/http.token (0600); config server.token_file points at it.
  server_token: change-me-to-a-long-random-token   # >= 16 characters, no spaces (openssl rand -base64 24)
  cron:
    jobs:
      db_check: {identifier: db_sentinel-check, minute: '*/5', hour: '*'}
      db_textfile: {identifier: db_sentinel-textfile, minute: '*', hour: '*'}
      db_beacon: {identifier: db_sentinel-beacon, minute: '*', hour: '*'}
  labels:
    cluster: main
    role: primary

# The Prometheus targets come from this mine function (state db_sentinel.prometheus on the monitoring host).
mine_functions:
  db_sentinel.target: []
