"""R3 field rules that forms and services share."""

from django.core.exceptions import ValidationError


def nhs_number_normalise(value: str) -> str:
    """Digits only: people type NHS numbers as '943 476 5919' or '943-476-5919'."""
    return "".join(character for character in value if not character.isspace() and character != "-")


def nhs_number_problem(value: str) -> str | None:
    """Why `value` (normalised) is not a valid NHS number, or None. Modulus 11 check digit:
    weights 10..2 on the first nine digits; 11 - (sum mod 11) is the tenth (11 -> 0, 10 is
    never issued)."""
    if len(value) != 10 or not value.isdigit():
        return "Enter the NHS number as 10 digits, like 943 476 5919"
    total = sum(int(digit) * weight for digit, weight in zip(value[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(value[9]):
        return "Enter a valid NHS number: this one's last digit does not match (check it against the person's record)"
    return None


def validate_nhs_number(value: str) -> None:
    problem = nhs_number_problem(nhs_number_normalise(value))
    if problem:
        raise ValidationError(problem, code="invalid_nhs_number")
