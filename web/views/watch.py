"""The status watch on the site: Atom feeds of label changes, and following by e-mail.

The feeds need no address: per label, per enterprise, and the registry's (paged, newest first).
Subscribing goes through watch.services, as the API's does; the pages add presentation.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from certification.codes import parse_label_code
from certification.exceptions import DomainError, InvalidLabelCode
from certification.identifiers import canonical_enterprise_number
from certification.models import Enterprise, Label
from config.clients import client_address
from watch.changes import ChangePage, InvalidCursor, label_changes
from watch.feeds import FeedAddresses, render_feed
from watch.services import (
    confirm_subscription,
    find_subscription,
    find_target,
    request_subscription,
    unsubscribe,
    what_is_followed,
)
from web.pages import perform, posted, status_of

ATOM = "application/atom+xml; charset=utf-8"


def _absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"


def _feed_response(
    request: HttpRequest, *, title: str, subtitle: str, feed_id: str, alternate: str, **scope: Any
) -> HttpResponse:
    """One page of changes as Atom, answered 304 when the reader holds it already (ETag)."""
    path = request.path
    cursor = request.GET.get("cursor")
    try:
        page: ChangePage = label_changes(cursor=cursor, **scope)
    except InvalidCursor as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    addresses = FeedAddresses(
        feed_id=feed_id,
        alternate=_absolute(alternate),
        first=_absolute(path),
        this=_absolute(f"{path}?cursor={cursor}" if cursor else path),
        next=_absolute(f"{path}?cursor={page.next_cursor}") if page.next_cursor else None,
    )
    response = HttpResponse(
        render_feed(title=title, subtitle=subtitle, page=page, addresses=addresses), content_type=ATOM
    )
    # Revalidated on every read (a 304 is cheap): a suspension shows at once, as on the verify page.
    response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


@require_GET
def label_feed(request: HttpRequest, code: str) -> HttpResponse:
    try:
        canonical = parse_label_code(code)
    except InvalidLabelCode as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    if canonical != code:
        return redirect("web:label-feed", code=canonical, permanent=True)
    label = Label.objects.filter(code=canonical).first()
    if label is None:
        raise Http404(_("No label with this code: it was never issued."))
    return _feed_response(
        request,
        title=_("Label %(code)s") % {"code": label.code},
        subtitle=_("Every change of the status of label %(code)s, newest first.") % {"code": label.code},
        feed_id=f"feed/label/{label.code}",
        alternate=reverse("web:verify", args=[label.code]),
        label=label,
    )


@require_GET
def enterprise_feed(request: HttpRequest, number: str) -> HttpResponse:
    try:
        canonical = canonical_enterprise_number(number)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    if canonical != number:
        return redirect("web:enterprise-feed", number=canonical, permanent=True)
    enterprise = Enterprise.objects.filter(enterprise_number=canonical).first()
    if enterprise is None or not Label.objects.filter(product__enterprise=enterprise).exists():
        raise Http404(_("No enterprise with this number holds or held a label."))
    return _feed_response(
        request,
        title=_("Labels of %(enterprise)s") % {"enterprise": enterprise.name},
        subtitle=_("Every change of the status of the labels of %(enterprise)s, newest first.")
        % {"enterprise": enterprise.name},
        feed_id=f"feed/enterprise/{enterprise.enterprise_number}",
        alternate=f"{reverse('web:registry')}?enterprise_number={enterprise.enterprise_number}",
        enterprise=enterprise,
    )


@require_GET
def registry_feed(request: HttpRequest) -> HttpResponse:
    return _feed_response(
        request,
        title=_("Changes in the registry of labels"),
        subtitle=_("Every label issued, suspended, reinstated, revoked, expired or replaced, newest first."),
        feed_id="feed/registry",
        alternate=reverse("web:registry"),
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)
    label = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    enterprise = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    # A trap for robots, hidden from people (and from screen readers): filled in, nothing is done.
    website = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this field empty"),
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def _what(target: Label | Enterprise) -> str:
    if isinstance(target, Enterprise):
        return _("the labels of %(enterprise)s") % {"enterprise": target.name}
    return _("label %(code)s") % {"code": target.code}


def _back_to(target: Label | Enterprise) -> str:
    if isinstance(target, Enterprise):
        return f"{reverse('web:registry')}?enterprise_number={target.enterprise_number}"
    return reverse("web:verify", args=[target.code])


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Follow a label (`?label=CODE`) or an enterprise (`?enterprise=NUMBER`) by e-mail."""
    form = SubscribeForm(*posted(request)) if request.method == "POST" else SubscribeForm(initial=request.GET.dict())
    asked = form.data if form.is_bound else request.GET
    try:
        target = find_target(label_code=asked.get("label", ""), enterprise_number=asked.get("enterprise", ""))
    except DomainError as refusal:
        return render(request, "web/watch_subscribe.html", {"problem": refusal.message}, status=refusal.http_status)
    if request.method == "POST" and form.is_valid():
        perform(
            request,
            form,
            lambda: request_subscription(
                email=form.cleaned_data["email"],
                target=target,
                language=request.LANGUAGE_CODE,
                client=client_address(request.META),
                trap=form.cleaned_data["website"],
            ),
            success=lambda _none: _(
                "Check your mailbox: open the link we sent you to confirm. Nothing else is sent to you before."
            ),
        )
        if not form.errors:
            return redirect(_back_to(target))
    context = {"form": form, "what": _what(target), "back": _back_to(target)}
    return render(request, "web/watch_subscribe.html", context, status=status_of(form))


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    """The link of the confirmation mail: a button, so that a mail scanner opening links
    confirms nothing; the press confirms."""
    subscription = find_subscription(key=key)
    context: dict[str, Any] = {"what": what_is_followed(subscription) if subscription else ""}
    if request.method == "POST":
        try:
            subscription = confirm_subscription(key=key)
        except DomainError as refusal:
            return render(request, "web/watch_confirm.html", {**context, "problem": refusal.message}, status=400)
        return render(
            request,
            "web/watch_confirm.html",
            {**context, "confirmed": True, "back": _back_to_subscription(subscription)},
        )
    if subscription is None:
        problem = _("This link is not valid (any more). Subscribe again to receive a new one.")
        return render(request, "web/watch_confirm.html", {**context, "problem": problem}, status=404)
    return render(request, "web/watch_confirm.html", {**context, "confirmed": subscription.confirmed})


def _back_to_subscription(subscription: Any) -> str:
    return _back_to(subscription.label or subscription.enterprise)


# One-click unsubscribe (RFC 8058): mail programs POST to the link without a form of ours, so
# without a CSRF token; the link's secret is what allows it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest, key: str) -> HttpResponse:
    subscription = find_subscription(key=key)
    context: dict[str, Any] = {"what": what_is_followed(subscription) if subscription else ""}
    if request.method == "POST":
        unsubscribe(key=key)
        return render(request, "web/watch_unsubscribe.html", {**context, "done": True})
    return render(request, "web/watch_unsubscribe.html", {**context, "done": subscription is None})
