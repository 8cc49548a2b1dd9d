"""allauth.mfa's code forms with plain-English messages (CONVENTIONS: say what to do)."""

from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm


class CodeMessagesMixin:
    code_label = "Code from your authenticator app"
    code_required = "Enter the 6-digit code from your authenticator app"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = self.code_label
        code.error_messages["required"] = self.code_required
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})


class ActivateTOTPForm(CodeMessagesMixin, AllauthActivateTOTPForm):
    pass


class CodeOrRecoveryCodeMixin(CodeMessagesMixin):
    code_label = "Code from your authenticator app or a recovery code"
    code_required = "Enter the 6-digit code from your authenticator app, or one of your recovery codes"


class AuthenticateForm(CodeOrRecoveryCodeMixin, AllauthAuthenticateForm):
    pass


class ReauthenticateForm(CodeOrRecoveryCodeMixin, AllauthReauthenticateForm):
    pass
