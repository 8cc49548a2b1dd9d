"""What pages show, for every app: numbered pagination links and NHS.UK tags."""

TAG_COLOURS = ("white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange", "yellow")


def tag(text: str, colour: str) -> dict:
    """An NHS.UK tag's parameters: ``tag("Active", "green")``."""
    if colour not in TAG_COLOURS:
        raise ValueError(f"No NHS.UK tag colour {colour!r}")
    return {"text": text, "classes": f"nhsuk-tag--{colour}"}


def tag_classes(colour: str) -> str:
    """The classes alone, for a template that writes its own text."""
    return tag("", colour)["classes"]


def page_links(page, query: str) -> dict:
    """Parameters for the NHS numbered pagination, keeping the search and filters (``query``,
    already url-encoded). A keyset page (with ``previous_cursor``/``next_cursor``) gives its
    neighbours a cursor, so they are read by a seek."""
    if not page.has_other_pages():
        return {}
    prefix = f"?{query}&page=" if query else "?page="
    cursors = {}
    if getattr(page, "previous_cursor", None):
        cursors[page.number - 1] = f"&before={page.previous_cursor}"
    if getattr(page, "next_cursor", None):
        cursors[page.number + 1] = f"&after={page.next_cursor}"

    def href(number: int) -> str:
        return f"{prefix}{number}{cursors.get(number, '')}"

    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    return {
        "previous": {"href": href(page.previous_page_number())} if page.has_previous() else None,
        "next": {"href": href(page.next_page_number())} if page.has_next() else None,
        "items": items,
    }
