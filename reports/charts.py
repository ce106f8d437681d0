"""What the dashboard page draws and links: chart series (static/js/dashboard.js) and drill-down addresses."""

from urllib.parse import urlencode

from django.urls import reverse

from tasks.lights import LIGHTS_IN_ORDER

from .dashboard import Dashboard


def drill_down_links(board: Dashboard, data) -> dict:
    """The task-list address behind every figure: the dashboard's filters (``data``, a QueryDict) plus the figure's."""
    base = {key: data[key] for key in ("workplan", "section", "department", "light") if data.get(key)}
    base["as_of"] = board.as_of.isoformat()

    def link(**extra) -> str:
        return reverse("task_list") + "?" + urlencode(base | extra)

    return {
        "all": link(),
        # Filtered to one light, the others' cards count nothing: they link nowhere rather than to a list that
        # would drop the dashboard's own light.
        "lights": {
            light.value: link(light=light.value) if not base.get("light") or base["light"] == light else None
            for light in LIGHTS_IN_ORDER
        },
        "sections": {bar.key: link(section=bar.key) for bar in board.sections},
        "departments": {bar.key: link(department=bar.key) for bar in board.departments},
        "quarters": {end.isoformat(): link(as_of=end.isoformat()) for _, end, _ in board.quarters},
    }


def chart_data(board: Dashboard, links: dict) -> dict:
    """Names, values (percent 0–100, one decimal) and the address each mark opens, per chart."""
    return {
        "lights": [
            {
                "name": str(light.label),
                "value": board.lights[light],
                "colour": light.colour,
                "url": links["lights"][light],
            }
            for light in LIGHTS_IN_ORDER
        ],
        "sections": [
            {"name": bar.label, "value": round(bar.percent, 1), "count": bar.count, "url": links["sections"][bar.key]}
            for bar in board.sections
        ],
        "departments": [
            {
                "name": bar.label,
                "value": round(bar.percent, 1),
                "count": bar.count,
                "onTime": _percent_or_none(bar.on_time_completion_rate),  # 按期完成率
                "reported": bar.reported,
                "url": links["departments"][bar.key],
            }
            for bar in board.departments
        ],
        "quarters": [
            {"name": label, "value": round(percent, 1), "url": links["quarters"][end.isoformat()]}
            for label, end, percent in board.quarters
        ],
    }


def _percent_or_none(rate: float | None) -> float | None:
    """A 0–1 rate as a percent with one decimal, None kept (shown as —)."""
    return None if rate is None else round(rate * 100, 1)
