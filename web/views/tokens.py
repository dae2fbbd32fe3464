"""A person's own API tokens: list them, make one (its key is shown on this answer only), revoke one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification.policies import acting_user
from certification.selectors import api_tokens_of
from certification.services.tokens import IssuedToken, create_api_token, revoke_api_token
from web.pages import perform, posted, status_of


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for: a script, a machine, a colleague's tool."),
    )


def _made(issued: IssuedToken) -> str:
    return _("The token %(name)s is made.") % {"name": issued.token.name}


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ApiTokenForm(*posted(request))
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = perform(
            request, form, lambda: create_api_token(by=user, name=form.cleaned_data["name"]), success=_made
        )
        if issued is not None:
            form = ApiTokenForm()
    context = {"form": form, "tokens": api_tokens_of(user=user), "issued": issued}
    response = render(request, "web/account/api_tokens.html", context, status=status_of(form))
    # The new key is on this page only: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    token = get_object_or_404(api_tokens_of(user=user), pk=pk)
    revoke_api_token(token=token, by=user)
    messages.success(request, _("The token %(name)s is revoked: it no longer works.") % {"name": token.name})
    return redirect("web:api-tokens")
