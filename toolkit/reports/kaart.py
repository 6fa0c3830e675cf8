"""The social map (sociale kaart): who offers what, who needs what, and who connects them.

:func:`build_graph` makes a networkx graph of organisations, opportunities, sponsors, people and
sessions, with the ties between them; :func:`analyse` answers what the 4th evening asked for
(open places, sponsors' budget left, candidates without a feasible option, who bridges the
network); :func:`render_map` gives it as text, a drawing laid out by district (PNG, SVG, or an
HTML page; drawn by :mod:`toolkit.reports.kaart_drawing`), or an export for Gephi (GraphML,
GEXF).

People are in the graph only by pseudonym: a person's node id is ``person:<pseudonym>``, never
their id or name, and the privacy guard reads every text of the graph before anything leaves.
networkx and matplotlib are imported only when a map is made.
"""

from __future__ import annotations

import re
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
from toolkit.reports.kaart_drawing import (
    EDGE_KINDS,
    NODE_KINDS,
    NODE_STYLE,
    PERSON_COLOURS,
    _drawing_bytes,
    _edge_kind_names,
    _inline_svg,
    _node_kind_names,
    draw,
    layout,
)
from toolkit.reports.matchresults import MatchResults
from toolkit.reports.privacy import check_public, texts_of

MapFormat = Literal["text", "png", "svg", "html", "graphml", "gexf"]
FORMATS: tuple[str, ...] = ("text", "png", "svg", "html", "graphml", "gexf")
TOP_BRIDGES = 5


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
    # The drawing's description has always named the bridges found without the round's
    # matches; kept so, so that drawings stay byte for byte what they were.
    bridges = [b.label for b in analyse(graph, casebook, day, None).bridges]
    drawing = draw(graph, casebook, day, bridges)
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
