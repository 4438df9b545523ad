"""The committee's forms: each the input of one service."""
from __future__ import annotations

from django import forms

from secassure.registry.models import CLASSIFICATIONS

from .models import Body


class MeetingForm(forms.Form):
    body = forms.ChoiceField(choices=Body.choices)
    number = forms.IntegerField(min_value=1)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(required=False, max_length=200)
    papers_due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ItemForm(forms.Form):
    title = forms.CharField(max_length=300)
    classification = forms.ChoiceField(choices=CLASSIFICATIONS, initial="RED")
    presenter = forms.CharField(required=False, max_length=200)
    headline = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publish = forms.BooleanField(required=False)


class PaperForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=300)
    classification = forms.ChoiceField(choices=CLASSIFICATIONS, initial="RED")
    file = forms.FileField()


class AttendanceForm(forms.Form):
    name = forms.CharField(max_length=200)
    role = forms.ChoiceField(choices=[("member", "Member"), ("invitee", "Invitee"),
                                      ("expert", "Expert invitee"),
                                      ("secretariat", "Secretariat")])
    present = forms.BooleanField(required=False, initial=True)


class DecisionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    classification = forms.ChoiceField(choices=CLASSIFICATIONS, initial="RED")


class ActionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    owner_name = forms.CharField(max_length=200)
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class MinutesForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 16}))
