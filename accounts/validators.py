"""Password rules beyond Django's (C9, issue 11 finding 8; NCSC password guidance: length and
a deny-list, not composition rules). Each says what to do instead."""

import re
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

INSTEAD = "Use 3 random words instead, for example 3 things you can see from where you are sitting."

# Letters people swap in for look-alike characters; one character for one, so positions in
# the decoded password match the original.
LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"})

# Words the breached lists are full of with a year or "1!" added, beyond Django's list of
# 20,000 common passwords (which holds many of them on their own): seasons, months, days, and
# words from NHS workplaces.
EXTRA_COMMON_WORDS = frozenset(
    " ".join(
        [
            "spring summer autumn fall winter",
            "january february march april may june july august september october november december",
            "monday tuesday wednesday thursday friday saturday sunday",
            "password passw0rd welcome letmein changeme qwerty iloveyou secret default login admin",
            "nhs nurse nursing doctor hospital patient ward clinic health trust staff covid lockdown",
            "passport learning support platform",
        ]
    ).split()
)
# Letters left once a name or the service's name is taken out; fewer means the password is
# that name with a little added ("Megan Price1", "meganprice", "Platform2026!").
MIN_OTHER_LETTERS = 6


def _letters_outside(password: str, tokens: set[str]) -> tuple[bool, int]:
    """(whether any token occurs, how many letters of `password` lie outside every token),
    matching case-insensitively and through look-alike characters."""
    decoded = password.lower().translate(LOOKALIKES)
    covered = [False] * len(decoded)
    found = False
    for token in tokens:
        for match in re.finditer(re.escape(token), decoded):
            found = True
            for index in range(match.start(), match.end()):
                covered[index] = True
    other_letters = sum(1 for char, hit in zip(password, covered, strict=True) if char.isalpha() and not hit)
    return found, other_letters


def _word_tokens(*values: str) -> set[str]:
    tokens = set()
    for value in values:
        value = (value or "").lower()
        parts = [part for part in re.split(r"[^a-z]+", value) if part]
        tokens.update(part for part in parts if len(part) >= 3)
        joined = "".join(parts)
        if len(joined) >= 3:
            tokens.add(joined)
    return tokens


class PersonalInformationValidator:
    """Refuses a password made of the person's name or email address with a little added:
    "Megan Price1", "meganprice", "m3ganpr1ce!", "megan.price2026"."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        email = getattr(user, "email", "") or ""
        local_part = email.split("@", 1)[0]
        tokens = _word_tokens(getattr(user, "first_name", ""), getattr(user, "last_name", ""), local_part)
        found, other_letters = _letters_outside(password, tokens)
        if found and other_letters < MIN_OTHER_LETTERS:
            raise ValidationError(
                f"Your password must not be based on your name or email address. {INSTEAD}",
                code="password_based_on_name",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be based on your name or email address."


class ServiceNameValidator:
    """Refuses a password made of the service's name (or "NHS") with a little added."""

    def validate(self, password: str, user=None) -> None:
        words = {word for word in _word_tokens(settings.SERVICE_NAME) if len(word) >= 4} | {"nhs"}
        found, other_letters = _letters_outside(password, words)
        if found and other_letters < MIN_OTHER_LETTERS:
            raise ValidationError(
                f"Your password must not be based on the name of this service or the NHS. {INSTEAD}",
                code="password_based_on_service",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be based on the name of this service."


@lru_cache(maxsize=1)
def _django_common_passwords() -> frozenset[str]:
    return frozenset(CommonPasswordValidator().passwords)


class CommonWordWithAdditionsValidator:
    """Refuses a common or breached password with numbers or symbols around it, the forms
    attackers try first: "Summer2026!", "Password2026", "P@ssw0rd1", "2026Welcome". Django's
    CommonPasswordValidator only refuses the exact list entries ("password123")."""

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower().strip()
        core = re.sub(r"^[^a-z]+|[^a-z]+$", "", lowered).translate(LOOKALIKES)
        core = re.sub(r"[\s._-]+", "", core)
        if lowered in _django_common_passwords():
            return  # Django's own validator says so
        if len(core) >= 3 and (core in EXTRA_COMMON_WORDS or core in _django_common_passwords()):
            raise ValidationError(
                "Your password is a common word with numbers or symbols added, like Summer2026 or "
                f"Password1!, which is one of the first things attackers try. {INSTEAD}",
                code="password_common_word",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be a common word with numbers or symbols added."


class MaximumLengthValidator:
    """C9: passwords may be up to 128 characters."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"Your password must be {self.max_length} characters or fewer.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
