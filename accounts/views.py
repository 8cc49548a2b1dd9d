from allauth.account.views import LoginView as AllauthLoginView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET


class LoginView(AllauthLoginView):
    def form_invalid(self, form):
        if getattr(self.request, "account_locked", False):
            return redirect("account_locked")
        return super().form_invalid(form)


@require_GET
def account_locked(request):
    return render(request, "accounts/locked.html", status=200)


@require_GET
def account_email_redirect(request):
    # One verified email per person: the email management page of allauth is not offered.
    return redirect("home")
