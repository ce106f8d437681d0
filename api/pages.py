"""The user's own page for API tokens: create one (its key shown once), see when each was last used, revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .models import ApiToken
from .services import token_create, token_revoke


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        error_messages = {"name": {"required": gettext_lazy("请写明令牌用在哪里。")}}


@login_required
def api_tokens(request):
    """GET: the user's tokens. POST: a new one; the page then shows its key, once (it is never stored)."""
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        _token, key = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = request.user.api_tokens.all()
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "key": key})


@login_required
@require_POST
def api_token_revoke(request, pk):
    """Revoke one of the user's own tokens (another user's: 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token_revoke(token=token, by=request.user):
        messages.success(request, _("已吊销令牌“%(name)s”。") % {"name": token.name})
    return redirect("api_tokens")
