"""The social map drawn: districts placed as the city lies (spread out), each kind of node and
tie in its own colour and marker, labels placed where they overlap least, and the drawing as
PNG, SVG or an SVG inlined in the HTML page (with its title and description for screen
readers). The graph and its analysis are in :mod:`toolkit.reports.kaart`; this module only
draws. matplotlib is imported only when a map is drawn.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from toolkit.casebook.casebook import Casebook
from toolkit.formatting import long_date
from toolkit.i18n import _

NODE_KINDS = ("organisation", "opportunity", "sponsor", "person", "session")
EDGE_KINDS = ("offered_by", "placement", "proposal", "sponsorship", "took_part")

#: One colour and marker per kind of node, one colour and line per kind of edge.
NODE_STYLE = {
    "organisation": ("#1f5a96", "s", 170),
    "opportunity": ("#8fb8de", "o", 45),
    "sponsor": ("#d9822b", "D", 150),
    "person": ("#2e8b57", "o", 70),
    "session": ("#7b4fa0", "^", 170),
}
PERSON_COLOURS = {"actief": "#2e8b57", "kandidaat": "#b8b8b8", "gestopt": "#e3d9a6"}
EDGE_STYLE: dict[str, tuple[str, Any, float]] = {
    "offered_by": ("#b0b0b0", "solid", 0.6),
    "placement": ("#2e8b57", "solid", 2.0),
    "proposal": ("#2e8b57", "dashed", 1.2),
    "sponsorship": ("#d9822b", "solid", 1.6),
    "took_part": ("#7b4fa0", "dotted", 1.2),
}
#: Kilometres per degree (latitude; longitude at the map's mean latitude is scaled by cos).
KM_PER_DEGREE = 111.2
#: Districts are drawn this much further apart than they lie, to leave room for their nodes:
#: the map keeps the city's shape, not its scale.
SPREAD = 2.0


def _node_kind_names() -> dict[str, str]:
    return {
        "organisation": _("organisation"),
        "opportunity": _("opportunity"),
        "sponsor": _("sponsor"),
        "person": _("person"),
        "session": _("session"),
    }


def _edge_kind_names() -> dict[str, str]:
    return {
        "offered_by": _("place of an organisation"),
        "placement": _("placement"),
        "proposal": _("proposal (matcher)"),
        "sponsorship": _("sponsorship"),
        "took_part": _("case at a session"),
    }


def district_points(casebook: Casebook) -> dict[str, tuple[float, float]]:
    """Each district's centre on the drawing: kilometres from the mean, spread by ``SPREAD``."""
    districts = casebook.settings.districts
    if not districts:
        return {}
    lat0 = sum(lat for lat, _lon in districts.values()) / len(districts)
    lon0 = sum(lon for _lat, lon in districts.values()) / len(districts)
    scale = math.cos(math.radians(lat0))
    return {
        name: (
            (lon - lon0) * scale * KM_PER_DEGREE * SPREAD,
            (lat - lat0) * KM_PER_DEGREE * SPREAD,
        )
        for name, (lat, lon) in districts.items()
    }


#: A node further than this from its district's centre has been pulled out by its ties; the
#: district's circle does not stretch to reach it.
DISTRICT_REACH = 3.5


def layout(graph: Any, casebook: Casebook) -> dict[str, tuple[float, float]]:
    """Positions (kilometres, spread by ``SPREAD``), each node near the centre of its district.

    Districts sit where casebook.yaml puts them; a node without a known district goes to a spot
    west of the map. Within a district, a spring layout (with a fixed seed, so the same casebook
    gives the same map) spreads the nodes and pulls tied nodes together.
    """
    import networkx as nx

    anchors = district_points(casebook)
    if not anchors:
        raw = nx.spring_layout(graph, seed=7)
        return {node: (float(x) * 10, float(y) * 10) for node, (x, y) in raw.items()}
    west = min(x for x, _y in anchors.values()) - 6.0
    anchors[""] = (west, sum(y for _x, y in anchors.values()) / len(anchors))

    helper = nx.Graph()
    helper.add_nodes_from(graph.nodes)
    helper.add_edges_from(graph.edges, weight=0.6)
    start: dict[Any, tuple[float, float]] = {}
    for name, point in anchors.items():
        helper.add_node(("anchor", name))
        start[("anchor", name)] = point
    for node, data in graph.nodes(data=True):
        district = data["district"] if data["district"] in anchors else ""
        helper.add_edge(node, ("anchor", district), weight=2.0)
        spin = zlib.crc32(str(node).encode("utf-8"))
        angle, radius = (spin % 360) * math.pi / 180, 0.3 + (spin >> 9) % 100 / 100
        x, y = anchors[district]
        start[node] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    fixed = [("anchor", name) for name in anchors]
    raw = nx.spring_layout(
        helper, pos=start, fixed=fixed, k=1.0, iterations=200, weight="weight", seed=7
    )
    return {node: (float(raw[node][0]), float(raw[node][1])) for node in graph.nodes}


LABEL_SIZE = {"organisation": 7.5, "sponsor": 7.5, "session": 7.5, "person": 6.5, "opportunity": 6}
#: Where a label may go around its node, in points: below, above, right, left, then further out.
_LABEL_SPOTS: tuple[tuple[float, float, str, str], ...] = (
    (0, -6, "center", "top"),
    (0, 6, "center", "bottom"),
    (7, 0, "left", "center"),
    (-7, 0, "right", "center"),
    (0, -16, "center", "top"),
    (0, 16, "center", "bottom"),
    (7, -10, "left", "center"),
    (-7, 10, "right", "center"),
)
_LABEL_ORDER = ("sponsor", "organisation", "session", "person", "opportunity")


def _place_labels(
    labels: list[tuple[str, str]],
    graph: Any,
    positions: dict[str, tuple[float, float]],
    points_per_unit: float,
) -> list[tuple[str, str, tuple[float, float, str, str]]]:
    """A spot for each label that does not cover one placed before it (greedy, important first).

    Label sizes are estimated from the number of characters; when every spot is taken, the
    first one is used anyway.
    """
    placed: list[tuple[float, float, float, float]] = []
    result: list[tuple[str, str, tuple[float, float, str, str]]] = []
    for node, kind in sorted(labels, key=lambda item: (_LABEL_ORDER.index(item[1]), item[0])):
        size = LABEL_SIZE[kind]
        width = len(graph.nodes[node]["label"]) * size * 0.55
        height = size * 1.25
        x, y = (c * points_per_unit for c in positions[node])
        chosen = _LABEL_SPOTS[0]
        box = (0.0, 0.0, 0.0, 0.0)
        for spot in _LABEL_SPOTS:
            dx, dy, ha, va = spot
            left = x + dx - (width / 2 if ha == "center" else width if ha == "right" else 0)
            bottom = y + dy - (height if va == "top" else height / 2 if va == "center" else 0)
            box = (left, bottom, left + width, bottom + height)
            if not any(_overlap(box, other) for other in placed):
                chosen = spot
                break
        else:
            dx, dy, ha, va = chosen
            left = x + dx - width / 2
            box = (left, y + dy - height, left + width, y + dy)
        placed.append(box)
        result.append((node, kind, chosen))
    return result


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class Drawing:
    figure: Any
    title: str
    alt: str
    texts: tuple[str, ...]


def draw(graph: Any, casebook: Casebook, day: date, bridges: Sequence[str] = ()) -> Drawing:
    """The map drawn with matplotlib: districts, nodes by kind, ties by kind, labels, a legend;
    ``bridges`` (the labels of the most connecting nodes) end the drawing's description."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle

    positions = layout(graph, casebook)
    kind_names = _node_kind_names()
    edge_names = _edge_kind_names()
    title = _("Social map of {name} on {day}").format(
        name=casebook.settings.name, day=long_date(day)
    )
    alt = _(
        "Network drawing with {nodes} nodes and {edges} ties, laid out by district: "
        "organisations, their places, sponsors, people by pseudonym and sessions."
    ).format(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    if bridges:
        alt += " " + _("Most connecting: {names}.").format(names=", ".join(bridges))
    texts: list[str] = [title, alt, *kind_names.values(), *edge_names.values()]

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "burgerbaan"}):
        xs = [x for x, _y in positions.values()] or [0.0]
        ys = [y for _x, y in positions.values()] or [0.0]
        ratio = (max(ys) - min(ys) + 3) / max(max(xs) - min(xs) + 3, 1)
        width = 18.0
        figure = Figure(
            figsize=(width, min(max(width * 0.8 * ratio + 1.5, 6), 24)),
            dpi=100,
            layout="constrained",
        )
        FigureCanvasAgg(figure)
        axes = figure.subplots()
        axes.set_title(title, fontsize=14, loc="left")
        axes.set_axis_off()
        axes.set_aspect("equal")

        for name, (cx, cy) in district_points(casebook).items():
            members = [n for n, d in graph.nodes(data=True) if d["district"] == name]
            if not members:
                continue
            near = [
                distance
                for n in members
                if (distance := math.dist((cx, cy), positions[n])) <= DISTRICT_REACH
            ]
            radius = max([*near, 0.6]) + 0.4
            axes.add_patch(
                Circle((cx, cy), radius, facecolor="#f3f3f3", edgecolor="#d0d0d0", zorder=0)
            )
            axes.text(
                cx,
                cy + radius + 0.1,
                name,
                ha="center",
                va="bottom",
                fontsize=11,
                color="#555555",
                fontweight="bold",
                zorder=1,
            )
            texts.append(name)

        # One collection per kind of tie and per kind of node: far quicker to draw than an
        # artist per line or point.
        segments: dict[tuple[str, bool], list[Any]] = {}
        for u, v, data in graph.edges(data=True):
            faded = data["kind"] == "placement" and not data.get("active", True)
            segments.setdefault((data["kind"], faded), []).append([positions[u], positions[v]])
        for (kind, faded), lines in sorted(segments.items()):
            colour, style, line_width = EDGE_STYLE[kind]
            axes.add_collection(
                LineCollection(
                    lines,
                    colors=colour,
                    linestyles=style,
                    linewidths=line_width * (0.6 if faded else 1),
                    alpha=0.35 if faded else 0.85,
                    zorder=2,
                )
            )

        tied = {
            n
            for u, v, k in graph.edges(data="kind")
            if k in ("placement", "proposal")
            for n in (u, v)
        }
        groups: dict[tuple[str, str], list[tuple[float, float]]] = {}
        labels: list[tuple[str, str]] = []
        for node, data in graph.nodes(data=True):
            kind = data["kind"]
            colour = NODE_STYLE[kind][0]
            if kind == "person":
                colour = PERSON_COLOURS.get(data["status"], colour)
            groups.setdefault((kind, colour), []).append(positions[node])
            if kind == "opportunity" and node not in tied:
                continue
            twin = kind == "organisation" and node.split(":", 1)[1] in casebook.sponsors
            if twin and graph.degree(node) == 0:
                continue  # the sponsor's own node, beside it, carries the name
            labels.append((node, kind))
        for (kind, colour), points in sorted(groups.items()):
            _colour, marker, size = NODE_STYLE[kind]
            axes.scatter(
                [x for x, _y in points],
                [y for _x, y in points],
                s=size,
                c=colour,
                marker=marker,
                edgecolors="white",
                linewidths=0.8,
                zorder=3,
            )
        span = max(max(xs) - min(xs), 1.0)
        for node, kind, (dx, dy, ha, va) in _place_labels(
            labels, graph, positions, points_per_unit=width * 72 * 0.8 / (span + 3)
        ):
            axes.annotate(
                graph.nodes[node]["label"],
                positions[node],
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=LABEL_SIZE[kind],
                color="#222222" if kind != "sponsor" else "#8a4c10",
                zorder=4,
            )
            texts.append(graph.nodes[node]["label"])

        handles = [
            Line2D(
                [],
                [],
                marker=NODE_STYLE[k][1],
                color="none",
                markerfacecolor=NODE_STYLE[k][0],
                markeredgecolor="white",
                markersize=9,
                label=kind_names[k],
            )
            for k in NODE_KINDS
            if k != "person"
        ]
        status_names = {
            "actief": _("burgerbaner (active)"),
            "kandidaat": _("candidate"),
            "gestopt": _("stopped"),
        }
        handles += [
            Line2D(
                [],
                [],
                marker="o",
                color="none",
                markerfacecolor=PERSON_COLOURS[s],
                markeredgecolor="white",
                markersize=9,
                label=status_names[s],
            )
            for s in ("actief", "kandidaat", "gestopt")
        ]
        handles += [
            Line2D(
                [],
                [],
                color=EDGE_STYLE[k][0],
                linestyle=EDGE_STYLE[k][1],
                linewidth=EDGE_STYLE[k][2],
                label=edge_names[k],
            )
            for k in EDGE_KINDS
        ]
        texts += status_names.values()
        axes.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9
        )
        note = _("Places are labelled when someone holds or is proposed for them.")
        axes.text(0, -0.02, note, transform=axes.transAxes, fontsize=8, color="#555555", va="top")
        texts.append(note)
    return Drawing(figure, title, alt, tuple(texts))


def _drawing_bytes(drawing: Drawing, fmt: str) -> bytes:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "burgerbaan"}):
        drawing.figure.savefig(
            buffer,
            format=fmt,
            dpi=150 if fmt == "png" else 100,
            # The legend stands right of the map and the note below it: the picture grows to
            # hold them instead of cutting them off at the figure's edge.
            bbox_inches="tight",
            pad_inches=0.15,
            metadata={"Title": drawing.title}
            if fmt == "png"
            else {"Date": None, "Title": drawing.title, "Description": drawing.alt},
        )
    return buffer.getvalue()


def _inline_svg(drawing: Drawing) -> str:
    from xml.sax.saxutils import escape

    text = _drawing_bytes(drawing, "svg").decode("utf-8")
    text = text[text.index("<svg") :]
    opening = text.index(">") + 1
    head = re.sub(r'\s(width|height)="[^"]*"', "", text[: opening - 1], count=2)
    return (
        f'{head} role="img" aria-labelledby="map-title map-desc" class="map">'
        f'<title id="map-title">{escape(drawing.title)}</title>'
        f'<desc id="map-desc">{escape(drawing.alt)}</desc>' + text[opening:]
    )
