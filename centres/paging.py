"""Pages of a long list whose cost does not grow with the list (ADR 0022).

Django's Paginator reads page N with OFFSET (N - 1) x per_page: the database builds and throws
away every earlier row, so the last page of 50,000 delegates cost 1.3 s. `KeysetPaginator`
keeps the numbered page links (and `?page=N` addresses) but:

- "Next" and "Previous" (and the neighbouring numbers) carry a cursor, the sort key of the
  last or first row shown, and the next page is a seek: `WHERE (keys) > (cursor) ... LIMIT`,
  which an index matching the sort answers in a few rows whatever the page;
- a page number in the second half of the list is read from the other end (reverse order,
  OFFSET counted from the end), so the first and last pages are both cheap; only a page typed
  into the address bar in the middle of a long list still costs an OFFSET.

The sort keys must end in a unique column and share one direction. A cursor is signed, so a
tampered one is ignored (the page number is used instead), never an error.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.core import signing
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import F, Func, TextField, Value
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual

SALT = "centres.paging.cursor"


def _encode(value):
    if isinstance(value, datetime.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, Decimal):
        return ["dec", str(value)]
    return ["v", value]


def _decode(pair):
    kind, value = pair
    if kind == "dt":
        return datetime.datetime.fromisoformat(value)
    if kind == "d":
        return datetime.date.fromisoformat(value)
    if kind == "dec":
        return Decimal(value)
    if kind == "v" and (value is None or isinstance(value, (str, int, float, bool))):
        return value
    raise ValueError(kind)


def _attribute(obj, path: str):
    value = obj
    for part in path.split("__"):
        value = getattr(value, "pk" if part == "pk" else part)
    return value


def _row(values) -> Func:
    """`(a, b, c)`: a row value, which PostgreSQL (and SQLite) compare column by column and
    an index on those columns answers."""
    return Func(*values, function="", output_field=TextField())


class KeysetPaginator(Paginator):
    """A Paginator (count, num_pages, elided page range for the links) whose pages are read by
    seeking from a cursor, or from the nearer end of the list."""

    def __init__(
        self,
        queryset,
        per_page: int,
        *,
        keys: list[str],
        descending: bool = False,
        count: int | None = None,
        salt: str = SALT,
    ):
        super().__init__(queryset, per_page)
        self.keys, self.descending, self.salt = keys, descending, salt
        if count is not None:  # worked out more cheaply than `queryset.count()` by the caller
            self.count = count

    @property
    def num_pages(self) -> int:  # not cached: `count` may be set after construction
        return max(1, math.ceil(self.count / self.per_page))

    def _ordering(self, *, reverse: bool) -> list[str]:
        descending = self.descending != reverse
        return [f"-{key}" if descending else key for key in self.keys]

    def _seek(self, queryset, values: list, *, reverse: bool):
        """Rows after `values` in the list's order (before them, `reverse`)."""
        descending = self.descending != reverse
        strict, prefix = (LessThan, LessThanOrEqual) if descending else (GreaterThan, GreaterThanOrEqual)
        fields = [F(key) for key in self.keys]
        queryset = queryset.filter(strict(_row(fields), _row([Value(v) for v in values])))
        if len(self.keys) > 1:
            # Implied by the above; stated so that an index on the leading keys can start there.
            queryset = queryset.filter(prefix(_row(fields[:-1]), _row([Value(v) for v in values[:-1]])))
        return queryset.order_by(*self._ordering(reverse=reverse))

    def cursor(self, obj) -> str:
        return signing.dumps([_encode(_attribute(obj, key)) for key in self.keys], salt=self.salt, compress=True)

    def _values(self, cursor: str | None) -> list | None:
        if not cursor:
            return None
        try:
            values = [_decode(pair) for pair in signing.loads(cursor, salt=self.salt)]
        except (signing.BadSignature, ValueError, TypeError):
            return None
        return values if len(values) == len(self.keys) else None

    def page_at(self, number, *, after: str | None = None, before: str | None = None) -> Page:
        """Page `number` (1 if not a number, the last if past the end); with a valid cursor,
        the rows right after (or before) it, labelled `number`."""
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:  # as Paginator.get_page
            number = 1
        except EmptyPage:
            number = self.num_pages
        per_page, queryset = self.per_page, self.object_list
        rows = None
        if (values := self._values(after)) is not None:
            rows = list(self._seek(queryset, values, reverse=False)[:per_page])
        elif (values := self._values(before)) is not None:
            rows = list(self._seek(queryset, values, reverse=True)[:per_page])[::-1]
        if not rows:
            start = (number - 1) * per_page
            stop = min(start + per_page, self.count)
            if number <= (self.num_pages + 1) // 2:
                rows = list(queryset.order_by(*self._ordering(reverse=False))[start:stop])
            else:
                from_end = self.count - stop
                rows = list(queryset.order_by(*self._ordering(reverse=True))[from_end : from_end + stop - start])
                rows.reverse()
        page = Page(rows, number, self)
        page.previous_cursor = self.cursor(rows[0]) if rows and page.has_previous() else None
        page.next_cursor = self.cursor(rows[-1]) if rows and page.has_next() else None
        return page
