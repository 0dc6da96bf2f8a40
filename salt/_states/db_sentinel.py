"""
db_sentinel state module: the remediation plan as states, so that orchestrate lists what would change (test mode
included) and verifies afterwards that nothing is left to change.
"""

__virtualname__ = "db_sentinel"


def __virtual__():
    if "db_sentinel.tuning_plan" in __salt__:
        return __virtualname__
    return (False, "the db_sentinel execution module is not synced")


def _describe(changes):
    return ", ".join(
        "{} {} -> {}".format(item.get("setting"), item.get("actual"), item.get("desired")) for item in changes
    )


def tuning_planned(name, changes):
    """
    Reports the plan's changes (computed at render time by db_analyzer tuning plan): in test mode each setting that
    would change is a change ``{setting: {old: actual, new: desired}}`` with result None, so that
    ``salt-run state.orchestrate remediate test=True`` lists them per host; otherwise they are the comment.
    """
    ret = {"name": name, "changes": {}, "result": True, "comment": ""}
    if not changes:
        ret["comment"] = "No tuning change planned: the host matches the profile"
        return ret
    if __opts__["test"]:
        ret["result"] = None
        ret["comment"] = "Would change: " + _describe(changes)
        ret["changes"] = {
            item["setting"]: {"old": item.get("actual"), "new": item.get("desired")} for item in changes
        }
    else:
        ret["comment"] = "Tuning to change: " + _describe(changes)
    return ret


def tuning_verified(name, command):
    """
    Plans the same profile again after remediation and fails while any setting still differs.
    """
    ret = {"name": name, "changes": {}, "result": True, "comment": ""}
    if __opts__["test"]:
        ret["result"] = None
        ret["comment"] = "Would verify with db_analyzer tuning plan that no change is left"
        return ret
    try:
        plan = __salt__["db_sentinel.tuning_plan"](command)
    except Exception as exc:  # pylint: disable=broad-except
        ret["result"] = False
        ret["comment"] = str(exc)
        return ret
    if plan["changes"]:
        ret["result"] = False
        ret["comment"] = "Drift remains after remediation: " + _describe(plan["changes"])
    else:
        ret["comment"] = "No tuning drift: the host matches the profile ({} settings)".format(len(plan["settings"]))
    return ret
