"""
db_sentinel execution module: the facts Salt needs from the deployed bundles and this host.

- ``db_sentinel.target``: this host as a Prometheus target (the mine function behind the file_sd file).
- ``db_sentinel.tuning_plan``: the remediation plan db_analyzer computes for a profile (``tuning plan``).
"""

import json
import logging

from salt.exceptions import CommandExecutionError

log = logging.getLogger(__name__)

__virtualname__ = "db_sentinel"

DEFAULT_LISTEN = "127.0.0.1:19617"  # src/core/config.ts DEFAULT_LISTEN


def __virtual__():
    return __virtualname__


def target():
    """
    This host as a Prometheus scrape target ({} where db_sentinel is not deployed): address and port of ``db_analyzer serve`` and its labels. A host
    running both engines carries both in ``engine``, comma-separated and sorted (``mysql,postgresql``): one target
    (one analyzer serves both), matched in PromQL with ``db_engine=~"(.*,)?mysql(,.*)?"``.

    CLI Example:

    .. code-block:: bash

        salt '*' db_sentinel.target
    """
    settings = __salt__["pillar.get"]("db_sentinel", {})
    # A host the formula is not (or no longer) deployed on is no target: clean.sls removed its config.
    config_dir = settings.get("root", "") + settings.get("paths", {}).get("config_dir", "/etc/db_sentinel")
    if not __salt__["file.file_exists"](config_dir + "/config.yml"):
        return {}
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


def tuning_plan(command):
    """
    Runs ``db_analyzer tuning plan`` (``command``: the argument list libplan.jinja builds) and returns the plan:
    ``{settings, changes, persist, unmatched_globs, profile}``. A profile error or a failing command raises
    CommandExecutionError with the analyzer's one-line message.

    CLI Example:

    .. code-block:: bash

        salt '*' db_sentinel.tuning_plan '["/usr/bin/node", "/opt/db_sentinel/bin/db_analyzer.js", "tuning", "plan"]'
    """
    result = __salt__["cmd.run_all"](list(command), python_shell=False, ignore_retcode=True, output_loglevel="quiet")
    try:
        answer = json.loads(result["stdout"])
    except ValueError as exc:
        raise CommandExecutionError(
            "db_analyzer tuning plan gave no JSON (exit {}): {}".format(
                result["retcode"], (result["stdout"] + result["stderr"]).strip()[:500]
            )
        ) from exc
    if not isinstance(answer, dict) or answer.get("error") or "changes" not in answer:
        raise CommandExecutionError("db_analyzer tuning plan: {}".format(answer.get("error") if isinstance(answer, dict) else answer))
    return answer
