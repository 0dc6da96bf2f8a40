"""
db_sentinel state module: tuning drift as a state, so orchestrate can report it before remediation and verify
after it. Reading drift changes nothing, so it runs in test mode too.
"""

__virtualname__ = "db_sentinel"


def __virtual__():
    if "db_sentinel.drift" in __salt__:
        return __virtualname__
    return (False, "the db_sentinel execution module is not synced")


def _describe(items):
    return ", ".join(
        "{} is {} (desired {})".format(item.get("setting"), item.get("actual"), item.get("desired")) for item in items
    )


def drift_reported(name, analyzer, config, node="/usr/bin/node", fail_on_drift=False):
    """
    Reports the host's tuning drift as db_analyzer measures it.

    fail_on_drift
        False: report only (the state succeeds whatever the drift). True: the state fails while any setting
        still drifts (the verification after remediation; in test mode it only says what it would check).
    """
    ret = {"name": name, "changes": {}, "result": True, "comment": ""}
    try:
        items = __salt__["db_sentinel.drift"](analyzer, config, node=node)
    except Exception as exc:  # pylint: disable=broad-except
        ret["result"] = False
        ret["comment"] = str(exc)
        return ret
    if not items:
        ret["comment"] = "No tuning drift: the host matches the profile"
        return ret
    ret["comment"] = "Tuning drift: " + _describe(items)
    if fail_on_drift:
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] += " (remediation would run before this check)"
        else:
            ret["result"] = False
            ret["comment"] = "Drift remains after remediation: " + _describe(items)
    return ret
