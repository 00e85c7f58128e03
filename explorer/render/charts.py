"""Time charts as Vega-Lite (Altair): the relations timeline, its overview strip and the bloc river."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.render.style import bloc_colour
from explorer.tables.schema import vocabulary

# Selection parameter names: the app reads the clicked values under these names.
WINDOW_BRUSH = "window"
RELATION_PICK = "relation"
MOMENT_PICK = "moment"

ROW_HEIGHT = 16
OVERVIEW_HEIGHT = 170  # heights are the whole chart's: axes and legend included  # pixels per timeline line
RIVER_ROW_HEIGHT = 18
YEAR_AXIS = alt.Axis(format="%Y", tickCount="year", labelAngle=0, grid=True, title=None)


def _polarity_scale() -> alt.Scale:
    terms = list(vocabulary("polarity").values())
    return alt.Scale(domain=[t.label for t in terms], range=[t.colour for t in terms])


def _x(field: str, domain: tuple[pd.Timestamp, pd.Timestamp] | None = None,
       axis: alt.Axis | None = YEAR_AXIS) -> alt.X:
    """A time axis; only one layer of a chart states the domain (Vega-Lite compiles it differently per layer and
    then warns of a conflict)."""
    if domain is None:
        return alt.X(f"{field}:T", axis=axis)
    return alt.X(f"{field}:T", scale=alt.Scale(domain=[int(d.value // 10**6) for d in domain]), axis=axis)


def _marker_layers(domain: tuple[pd.Timestamp, pd.Timestamp], window: tuple[pd.Timestamp, pd.Timestamp] | None,
                   as_of: pd.Timestamp | None) -> list[alt.Chart]:
    """A shaded band for the date window (when it is narrower than everything) and a line at "as of"."""
    layers = []
    if window is not None:
        band = pd.DataFrame({"start": [window[0]], "end": [window[1]]})
        layers.append(alt.Chart(band).mark_rect(color="#1f77b4", opacity=0.08).encode(
            x=_x("start"), x2="end:T"))
    if as_of is not None:
        line = pd.DataFrame({"as_of": [as_of]})
        layers.append(alt.Chart(line).mark_rule(color="#111", strokeDash=[4, 3], strokeWidth=1.5).encode(
            x=_x("as_of")))
    return layers


def overview_chart(counts: pd.DataFrame, domain: tuple[pd.Timestamp, pd.Timestamp],
                   window: tuple[pd.Timestamp, pd.Timestamp] | None, as_of: pd.Timestamp | None) -> alt.LayerChart:
    """Relations starting per month, stacked by polarity, on a continuous time axis (a month without any is
    empty); dragging across it (the `window` brush) chooses the date window."""
    order = {term.label: number for number, term in enumerate(vocabulary("polarity").values())}
    # Stacked by hand: Vega-Lite does not stack bars whose x is a start-end range.
    stacked = counts.assign(order=counts["polarity"].map(order)).sort_values(["date", "order"])
    stacked["top"] = stacked.groupby("date")["relations"].cumsum()
    stacked["bottom"] = stacked["top"] - stacked["relations"]
    brush = alt.selection_interval(name=WINDOW_BRUSH, encodings=["x"])
    bars = alt.Chart(stacked).mark_rect().encode(
        x=_x("date", domain), x2="next:T",
        y=alt.Y("top:Q", title="starting", axis=alt.Axis(tickMinStep=1, tickCount=3)), y2="bottom:Q",
        color=alt.Color("polarity:N", scale=_polarity_scale(), legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("month:N", title="month"), "polarity:N", alt.Tooltip("relations:Q", title="starting")],
    ).add_params(brush)
    return alt.layer(*_marker_layers(domain, window, as_of), bars).properties(height=OVERVIEW_HEIGHT)


def relations_chart(spans: pd.DataFrame, domain: tuple[pd.Timestamp, pd.Timestamp],
                    window: tuple[pd.Timestamp, pd.Timestamp] | None, as_of: pd.Timestamp | None,
                    selected: str) -> alt.LayerChart:
    """Each relation on its own labelled line, grouped by polarity under a heading line: a state is a bar from
    start to end (to the right edge while ongoing), an event a point on its date; clicking one picks it
    (`relation`: its id and start month)."""
    data = spans.assign(selected=spans["id"] == selected)
    rows = int(data["row"].max()) + 1 if len(data) else 1
    headings = {int(r) - 1: str(p).upper() for p, r in data.groupby("polarity", sort=False)["row"].min().items()}
    # Line labels travel as a parameter's value (data), never spliced into an expression.
    lines = {int(r): str(t) for r, t in zip(data["row"], data["label"], strict=True)}
    labels = alt.param(name="line_labels", value={**lines, **headings})
    heading_rows = alt.param(name="heading_lines", value=sorted(headings))
    y_axis = alt.Axis(title=None, ticks=False, domain=False, labelLimit=320, labelOverlap=False,
                      labelExpr="line_labels[datum.value]",
                      labelFontWeight=alt.ExprRef("indexof(heading_lines, datum.value) >= 0 ? 'bold' : 'normal'"))
    y = alt.Y("row:O", scale=alt.Scale(domain=list(range(rows)), paddingInner=0.25), axis=y_axis)
    pick = alt.selection_point(name=RELATION_PICK, fields=["id", "start_month"], on="click", clear=False)
    tooltip = [alt.Tooltip("source:N"), alt.Tooltip("target:N"), alt.Tooltip("type:N"),
               alt.Tooltip("polarity:N"), alt.Tooltip("dates:N", title="when"), alt.Tooltip("summary:N"),
               alt.Tooltip("id:N", title="relation")]
    emphasis = {"stroke": alt.condition("datum.selected", alt.value("#111"), alt.value(None)),
                "strokeWidth": alt.condition("datum.selected", alt.value(2.5), alt.value(0))}
    top_axis = alt.Axis(format="%Y", tickCount="year", labelAngle=0, grid=True, title=None, orient="top")
    base = alt.Chart(data).encode(color=alt.Color("polarity:N", scale=_polarity_scale(), legend=None),
                                  tooltip=tooltip, y=y)
    states = base.transform_filter("!datum.event").mark_bar(cursor="pointer").encode(
        x=_x("start", domain, top_axis), x2="end:T", **emphasis)
    events = base.transform_filter("datum.event").mark_point(
        filled=True, size=80, shape="diamond", opacity=1, cursor="pointer").encode(
        x=_x("start", None, top_axis), **emphasis)
    layers = [*_marker_layers(domain, window, as_of), states.add_params(pick), events.add_params(pick)]
    return alt.layer(*layers).add_params(labels, heading_rows).properties(height=rows * ROW_HEIGHT + 40)


def bloc_river_chart(river: pd.DataFrame, domain: tuple[pd.Timestamp, pd.Timestamp],
                     as_of: pd.Timestamp | None) -> alt.LayerChart:
    """Actors as lines and time across, each cell coloured by the bloc the actor sits in as of that step (blocs
    keep their colour through time); a dark outline marks a change of side. Clicking a cell picks its date
    (`moment`, by `as_of`)."""
    slots = sorted(set(river["slot"])) if len(river) else []
    colours = alt.Scale(domain=[f"Bloc {s + 1}" for s in slots], range=[bloc_colour(s) for s in slots])
    order = river.drop_duplicates("actor").sort_values("order")["name"].tolist()
    pick = alt.selection_point(name=MOMENT_PICK, fields=["as_of"], on="click", clear=False)
    cells = alt.Chart(river).mark_rect(cursor="pointer", strokeWidth=2).encode(
        x=_x("start", domain), x2="end:T",
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        color=alt.Color("bloc:N", scale=colours, legend=alt.Legend(orient="top", title=None)),
        stroke=alt.condition("datum.moved", alt.value("#111"), alt.value("white")),
        tooltip=[alt.Tooltip("name:N", title="actor"), alt.Tooltip("as_of:N", title="as of"),
                 alt.Tooltip("bloc:N"), alt.Tooltip("came_from:N", title="came from")],
    ).add_params(pick)
    height = len(order) * RIVER_ROW_HEIGHT + 70
    return alt.layer(cells, *_marker_layers(domain, None, as_of)).properties(height=height)


def balance_chart(history: pd.DataFrame) -> alt.Chart:
    """The target's neighbourhood month by month: unbalanced triangles and the frustration index, one line each
    (`history` has columns month, measure, value)."""
    return alt.Chart(history).mark_line(point=True).encode(
        x=alt.X("month:O", axis=alt.Axis(title=None, labelAngle=0)),  # months as text: no time-zone shift
        y=alt.Y("value:Q", title=None, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=["month:O", "measure:N", "value:Q"],
    ).properties(height=170)
