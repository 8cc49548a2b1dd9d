"""Ages from dates of birth. Age is never stored: it is worked out for the day asked about."""

from datetime import date


def age_on(date_of_birth: date, today: date) -> int:
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def born_on_or_before_for_age(age: int, today: date) -> date:
    """The latest date of birth of someone who is at least `age` today."""
    return _years_before(today, age)


def born_after_for_age_below(age: int, today: date) -> date:
    """Someone born after this date is younger than `age` today."""
    return _years_before(today, age)
