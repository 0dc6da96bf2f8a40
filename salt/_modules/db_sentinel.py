"""
db_sentinel execution module: the facts Salt needs from the deployed bundles and this host.

- ``db_sentinel.target``: this host as a Prometheus target (the mine function behind the file_sd file).
- ``db_sentinel.drift``: the tuning settings that differ from the desired profile, as db_analyzer reports them.
"""

import json
import logging

import salt.utils.path
from salt.exceptions import CommandExecutionError

log = logging.getLogger(__name__)

__virtualname__ = "db_sentinel"

DEFAULT_LISTEN = "127.0.0.1:19617"  # src/core/config.ts DEFAULT_LISTEN


def __virtual__():
    return __virtualname__


def target():
    """
    This host as a Prometheus scrape target: address and port of ``db_analyzer serve`` and its labels.

    CLI Example:

    .. code-block:: bash

        salt '*' db_sentinel.target
    """
    settings = __salt__["pillar.get"]("db_sentinel", {})
    listen = settings.get("config", {}).get("server", {}).get("listen", DEFAULT_LISTEN)
    port = str(listen).rsplit(":", 1)[-1]
    address = settings.get("prometheus", {}).get("address") or __grains__.get("fqdn") or __grains__["id"]
    engines = sorted({str(db.get("engine", "")) for db in settings.get("databases", []) if db.get("engine")})
    labels = settings.get("labels", {})
    return {
        "host": __grains__["id"],
        "address": "{}:{}".format(address, port),
        "engine": ",".join(engines),
        "cluster": str(labels.get("cluster", "")),
        "role": str(labels.get("role", "")),
    }


def drift(analyzer, config, node="/usr/bin/node"):
    """
    Runs ``db_analyzer report`` with the deployed config and returns its tuning drift: a list of
    ``{setting, actual, desired}`` (empty when the host matches the profile).

    CLI Example:

    .. code-block:: bash

        salt '*' db_sentinel.drift /opt/db_sentinel/bin/db_analyzer.js /etc/db_sentinel/config.yml
    """
    if not salt.utils.path.which(node):
        raise CommandExecutionError("db_sentinel.drift: {} not found (state.apply db_sentinel installs it)".format(node))
    result = __salt__["cmd.run_all"](
        [node, analyzer, "report", "--config", config], python_shell=False, ignore_retcode=True
    )
    try:
        report = json.loads(result["stdout"])
    except ValueError as exc:
        raise CommandExecutionError(
            "db_sentinel.drift: db_analyzer report gave no JSON report (exit {}): {}".format(
                result["retcode"], (result["stdout"] + result["stderr"]).strip()[:500]
            )
        ) from exc
    items = (report.get("os") or {}).get("drift")
    if items is None:
        raise CommandExecutionError("db_sentinel.drift: the report has no os.drift (tuning collector failed?)")
    return items
