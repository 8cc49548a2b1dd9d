"""Bar charts drawn as tables (the DSR dashboard's pattern, shared: issue 16 item 4). A chart is
a list of `Bar`s the page renders with the `bar_chart` macro in `templates/_charts.jinja`: the
table (names and numbers) is what is read out, the bars beside the numbers are decoration.
Widths are classes (`app-width-N`), since the Content-Security-Policy allows no inline style.

Each app aggregates its figures in the database (one grouped query) and hands the counts here;
nothing here queries or knows a feature."""

from dataclasses import dataclass, field


@dataclass
class Bar:
    label: str
    count: int
    percent: int  # of the chart's scale (its largest bar, or a total), for the bar's width
    key: str = ""  # a colour (app-chart__bar--<key>) when the chart asks for colours
    parts: list["Bar"] = field(default_factory=list)  # one per series, for a grouped chart


def percent_of(count: int, scale: int) -> int:
    """`count` as a whole percentage of `scale` (0 when the scale is 0), at most 100."""
    return min(100, round(count * 100 / scale)) if scale else 0


def bars(pairs: list[tuple[str, int, str]], *, scale: int | None = None) -> list[Bar]:
    """(label, count, key) triples as bars, each as wide as its share of `scale` (default: the
    largest count, so the largest bar fills its cell)."""
    if scale is None:
        scale = max((count for _, count, _ in pairs), default=0)
    return [Bar(label=label, count=count, key=key, percent=percent_of(count, scale)) for label, count, key in pairs]


def grouped_bars(rows: list[tuple[str, list[tuple[str, int, str]]]]) -> list[Bar]:
    """Rows of several series (an organisation's count at each risk level): each row a `Bar`
    with its total and a part per series, every part scaled against the largest part of the
    whole chart so that cells compare down a column as well as along a row."""
    largest = max((count for _, parts in rows for _, count, _ in parts), default=0)
    return [
        Bar(
            label=label,
            count=sum(count for _, count, _ in parts),
            percent=0,
            parts=bars(parts, scale=largest),
        )
        for label, parts in rows
    ]
