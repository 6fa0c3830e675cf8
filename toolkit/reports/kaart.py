"""The social map (sociale kaart): who offers what, who needs what, and who connects them.

:func:`build_graph` makes a networkx graph of organisations, opportunities, sponsors, people and
sessions, with the ties between them; :func:`analyse` answers what the 4th evening asked for
(open places, sponsors' budget left, candidates without a feasible option, who bridges the
network); :func:`render_map` gives it as text, a drawing laid out by district (PNG, SVG, or an
HTML page), or an export for Gephi (GraphML, GEXF).

People are in the graph only by pseudonym: a person's node id is ``person:<pseudonym>``, never
their id or name, and the privacy guard reads every text of the graph before anything leaves.
networkx and matplotlib are imported only when a map is made.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from markupsafe import Markup

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.public import pseudonyms
from toolkit.casebook.tags import fold
from toolkit.errors import InvalidInputError
from toolkit.formatting import long_date, number
from toolkit.i18n import _
from toolkit.reports.environment import make_environment, render
from toolkit.reports.matchresults import MatchResults
from toolkit.reports.privacy import check_public, texts_of

MapFormat = Literal["text", "png", "svg", "html", "graphml", "gexf"]
FORMATS: tuple[str, ...] = ("text", "png", "svg", "html", "graphml", "gexf")
NODE_KINDS = ("organisation", "opportunity", "sponsor", "person", "session")
EDGE_KINDS = ("offered_by", "placement", "proposal", "sponsorship", "took_part")
TOP_BRIDGES = 5

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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def person_node(pseudonym: str) -> str:
    """The node id of a person: from the pseudonym, never the id or the name."""
    return f"person:{_slug(pseudonym)}"


def build_graph(casebook: Casebook, day: date, matches: MatchResults | None = None) -> Any:
    """The social map of ``casebook`` on ``day`` as an undirected networkx graph.

    Every node has ``kind``, ``label`` and ``district``; every edge has ``kind``. Attribute values
    are text, numbers or booleans only, so that GraphML and GEXF can hold them.
    """
    import networkx as nx

    graph = nx.Graph(name=casebook.settings.name, date=day.isoformat())
    names = pseudonyms(casebook)

    def opportunity_open(opportunity_id: str) -> int:
        return casebook.open_slots(opportunity_id)

    for org_id, organisation in sorted(casebook.organisations.items()):
        graph.add_node(
            f"organisation:{org_id}",
            kind="organisation",
            label=organisation.name,
            district=organisation.district or "",
            organisation_kind=organisation.kind_,
            open_places=sum(
                opportunity_open(o.id)
                for o in casebook.opportunities.values()
                if o.organisation == org_id
            ),
        )
    for opp_id, opportunity in sorted(casebook.opportunities.items()):
        node = f"opportunity:{opp_id}"
        graph.add_node(
            node,
            kind="opportunity",
            label=opportunity.title,
            district=opportunity.district,
            slots=opportunity.slots,
            open_places=opportunity_open(opp_id),
        )
        org_node = f"organisation:{opportunity.organisation}"
        if org_node in graph:
            graph.add_edge(node, org_node, kind="offered_by")
    for sponsor_id, sponsor in sorted(casebook.sponsors.items()):
        # A sponsor that is also an organisation of the casebook (same id) sits in its district.
        same = casebook.organisations.get(sponsor_id)
        graph.add_node(
            f"sponsor:{sponsor_id}",
            kind="sponsor",
            label=sponsor.name,
            district=(same.district or "") if same else "",
            sector=sponsor.sector,
            budget_years=sponsor.budget_person_years,
            left_years=casebook.sponsor_years_left(sponsor_id),
        )
    for session_id, session in sorted(casebook.sessions.items()):
        graph.add_node(
            f"session:{session_id}",
            kind="session",
            label=session.title,
            district="",
            date=session.date.isoformat(),
        )
    for person_id in sorted(casebook.people, key=lambda pid: names[pid]):
        person = casebook.people[person_id]
        node = person_node(names[person_id])
        graph.add_node(
            node,
            kind="person",
            label=names[person_id],
            district=person.district,
            status=person.status,
        )
        placement = person.placement
        if placement is not None:
            target = f"opportunity:{placement.opportunity}"
            if target in graph:
                graph.add_edge(
                    node,
                    target,
                    kind="placement",
                    active=person.status == "actief" and placement.covers(day),
                )
            if placement.sponsor is not None and f"sponsor:{placement.sponsor}" in graph:
                graph.add_edge(f"sponsor:{placement.sponsor}", node, kind="sponsorship")
    for session_id, session in casebook.sessions.items():
        for table in session.tables:
            for case in table.cases:
                if case in names:
                    graph.add_edge(
                        person_node(names[case]), f"session:{session_id}", kind="took_part"
                    )
    if matches is not None:
        for person_id, opportunity_id in matches.proposals:
            source = person_node(names[person_id]) if person_id in names else None
            target = f"opportunity:{opportunity_id}"
            if source and target in graph and not graph.has_edge(source, target):
                graph.add_edge(source, target, kind="proposal")
    return graph


@dataclass(frozen=True)
class Bridge:
    label: str
    kind: str
    score: float


@dataclass(frozen=True)
class MapAnalysis:
    """The answers the social map gives."""

    name: str
    day: date
    nodes: dict[str, int]
    edges: dict[str, int]
    open_places: tuple[tuple[str, str, int], ...]
    sponsors_left: tuple[tuple[str, float], ...]
    no_option: tuple[str, ...] | None
    bridges: tuple[Bridge, ...]


def analyse(graph: Any, casebook: Casebook, day: date, matches: MatchResults | None) -> MapAnalysis:
    """Open places, sponsors with budget left, candidates without an option, and the bridges."""
    import networkx as nx

    kinds = nx.get_node_attributes(graph, "kind")
    nodes = Counter(kinds.values())
    edges = Counter(kind for _u, _v, kind in graph.edges(data="kind"))
    open_places = sorted(
        (
            (data["label"], data["district"], data["open_places"])
            for _node, data in graph.nodes(data=True)
            if data["kind"] == "organisation" and data["open_places"] > 0
        ),
        key=lambda row: (-row[2], row[0]),
    )
    sponsors_left = sorted(
        (
            (data["label"], data["left_years"])
            for _node, data in graph.nodes(data=True)
            if data["kind"] == "sponsor" and data["left_years"] > 0
        ),
        key=lambda row: (-row[1], row[0]),
    )
    no_option: tuple[str, ...] | None = None
    if matches is not None:
        names = pseudonyms(casebook)
        no_option = tuple(
            sorted(names[p.id] for p in casebook.candidates() if matches.options_of(p.id) == 0)
        )
    centrality = nx.betweenness_centrality(graph, normalized=True)
    ranked = sorted(
        ((node, score) for node, score in centrality.items() if score > 0),
        key=lambda item: (-item[1], graph.nodes[item[0]]["label"]),
    )[:TOP_BRIDGES]
    return MapAnalysis(
        name=casebook.settings.name,
        day=day,
        nodes={kind: nodes.get(kind, 0) for kind in NODE_KINDS},
        edges={kind: edges.get(kind, 0) for kind in EDGE_KINDS},
        open_places=tuple(open_places),
        sponsors_left=tuple(sponsors_left),
        no_option=no_option,
        bridges=tuple(
            Bridge(graph.nodes[node]["label"], graph.nodes[node]["kind"], round(score, 4))
            for node, score in ranked
        ),
    )


def analysis_text(analysis: MapAnalysis) -> str:
    """The analysis as plain text for the terminal."""
    kind_names = _node_kind_names()
    edge_names = _edge_kind_names()
    lines = [
        _("Social map of {name} on {day}").format(name=analysis.name, day=long_date(analysis.day)),
        "",
        _("Nodes: {list}.").format(
            list=", ".join(f"{kind_names[k]} {n}" for k, n in analysis.nodes.items())
        ),
        _("Ties: {list}.").format(
            list=", ".join(f"{edge_names[k]} {n}" for k, n in analysis.edges.items())
        ),
        "",
        _("Organisations with open places:"),
    ]
    lines += [
        f"  {label}{f' ({district})' if district else ''}: {count}"
        for label, district, count in analysis.open_places
    ] or ["  " + _("none")]
    lines += ["", _("Sponsors with budget left (burgerbaan-years):")]
    lines += [
        f"  {label}: {number(left, 0 if left == round(left) else 2)}"
        for label, left in analysis.sponsors_left
    ] or ["  " + _("none")]
    lines.append("")
    if analysis.no_option is None:
        lines.append(
            _("Candidates without a feasible option: not computed (no matcher results were given).")
        )
    else:
        lines.append(_("Candidates without a feasible option:"))
        lines += ["  " + name for name in analysis.no_option] or ["  " + _("none")]
    lines += [
        "",
        _("Who bridges the network (betweenness centrality, top {n}):").format(n=TOP_BRIDGES),
    ]
    lines += [
        f"  {index}. {bridge.label} ({kind_names[bridge.kind]}): {number(bridge.score, 4)}"
        for index, bridge in enumerate(analysis.bridges, start=1)
    ] or ["  " + _("none")]
    return "\n".join(lines) + "\n"


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


def draw(graph: Any, casebook: Casebook, day: date) -> Drawing:
    """The map drawn with matplotlib: districts, nodes by kind, ties by kind, labels, a legend."""
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
    analysis = analyse(graph, casebook, day, None)
    alt = _(
        "Network drawing with {nodes} nodes and {edges} ties, laid out by district: "
        "organisations, their places, sponsors, people by pseudonym and sessions."
    ).format(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    if analysis.bridges:
        alt += " " + _("Most connecting: {names}.").format(
            names=", ".join(b.label for b in analysis.bridges)
        )
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


def export(graph: Any, fmt: str, positions: dict[str, tuple[float, float]] | None = None) -> str:
    """The graph as GraphML or GEXF text (GEXF carries positions and colours for Gephi)."""
    import networkx as nx

    if fmt == "graphml":
        copy = graph.copy()
        for node, (x, y) in (positions or {}).items():
            copy.nodes[node]["x"], copy.nodes[node]["y"] = round(x, 3), round(y, 3)
        return "\n".join(nx.generate_graphml(copy)) + "\n"
    copy = graph.copy()
    for node, data in copy.nodes(data=True):
        colour = NODE_STYLE[data["kind"]][0]
        if data["kind"] == "person":
            colour = PERSON_COLOURS.get(data["status"], colour)
        viz: dict[str, Any] = {
            "color": {
                "r": int(colour[1:3], 16),
                "g": int(colour[3:5], 16),
                "b": int(colour[5:7], 16),
                "a": 1.0,
            },
            "size": NODE_STYLE[data["kind"]][2] ** 0.5,
        }
        if positions:
            x, y = positions[node]
            viz["position"] = {"x": round(x * 10, 2), "y": round(y * 10, 2), "z": 0.0}
        data["viz"] = viz
    return "\n".join(nx.generate_gexf(copy)) + "\n"


def _privacy_sources(graph: Any, analysis_lines: str) -> list[tuple[str, str, str]]:
    sources = [("kaart", "analysis", analysis_lines)]
    for node, data in graph.nodes(data=True):
        sources.append(("kaart", f"node {node}", str(node)))
        sources += [("kaart", f"node {node}.{field}", text) for field, text in texts_of(dict(data))]
    for u, v, data in graph.edges(data=True):
        sources += [
            ("kaart", f"edge {u}–{v}.{field}", text) for field, text in texts_of(dict(data))
        ]
    return sources


def render_map(
    casebook: Casebook, day: date, fmt: str, matches: MatchResults | None = None
) -> str | bytes:
    """The social map in ``fmt`` (text, png, svg, html, graphml, gexf), after the privacy guard."""
    if fmt not in FORMATS:
        raise InvalidInputError(
            _("Unknown format '{fmt}'; choose one of: {formats}.").format(
                fmt=fmt, formats=", ".join(FORMATS)
            ),
            field="format",
        )
    graph = build_graph(casebook, day, matches)
    analysis = analyse(graph, casebook, day, matches)
    text = analysis_text(analysis)
    check_public(casebook, _privacy_sources(graph, text))
    if fmt == "text":
        return text
    if fmt in ("graphml", "gexf"):
        output = export(graph, fmt, layout(graph, casebook))
        check_public(casebook, [(f"kaart.{fmt}", "text", output)])
        return output
    drawing = draw(graph, casebook, day)
    check_public(casebook, [("kaart", "drawing", piece) for piece in drawing.texts])
    if fmt in ("png", "svg"):
        return _drawing_bytes(drawing, fmt)
    environment = make_environment()
    return render(
        environment,
        "kaart/kaart.html.j2",
        a=analysis,
        kinds=_node_kind_names(),
        edge_kinds=_edge_kind_names(),
        drawing=Markup(_inline_svg(drawing)),
        title=drawing.title,
        alt=drawing.alt,
        top=TOP_BRIDGES,
    )
