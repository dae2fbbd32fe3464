"""An enterprise's products and services, registered and kept by its applicants."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from certification.models import Product
from certification.selectors import products_visible_to
from certification.services.products import create_product, update_product
from web.forms import ProductForm
from web.pages import acting_applicant, perform, posted


def _saved(product: Product) -> str:
    return _("%(name)s is saved.") % {"name": product.name}


@login_required
def new_product(request: HttpRequest) -> HttpResponse:
    user = acting_applicant(request)
    form = ProductForm(*posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        product = perform(request, form, lambda: create_product(by=user, **form.cleaned_data), success=_saved)
        if product is not None:
            return redirect("web:dashboard")
    return render(request, "web/product_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def edit_product(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_applicant(request)
    product = get_object_or_404(products_visible_to(user=user), pk=pk)
    initial = {
        "enterprise": product.enterprise,
        "name": product.name,
        "kind": product.kind,
        "category": product.category,
        "description": product.description,
        "gtin": product.gtin,
    }
    form = ProductForm(*posted(request), user=user, initial=initial)
    form.fields["enterprise"].disabled = True  # a product stays with its enterprise
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "enterprise"}
        saved = perform(request, form, lambda: update_product(product=product, by=user, **data), success=_saved)
        if saved is not None:
            return redirect("web:dashboard")
    return render(
        request, "web/product_form.html", {"form": form, "product": product}, status=400 if form.errors else 200
    )
