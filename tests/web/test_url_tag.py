"""`{% url %}` in every template answers as Django's does, and reverses each link once per
process (issue 8, "Throughput": list pages reverse hundreds of links per request)."""
import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse

from secassure.web.templatetags.urls import remembered_reverse

pytestmark = pytest.mark.nodb


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


def test_the_url_tag_gives_djangos_answers_and_remembers_them():
    remembered_reverse.cache_clear()
    page = render("{% for n in ids %}{% url 'assessment' n %} {% url 'clause' 'G8.29' %} "
                  "{% endfor %}", ids=[1, 2, 1, 2])
    expected = " ".join([reverse("assessment", args=[1]), reverse("clause", args=["G8.29"]),
                         reverse("assessment", args=[2]), reverse("clause", args=["G8.29"])])
    assert page.split() == (expected + " " + expected).split()
    info = remembered_reverse.cache_info()
    assert (info.misses, info.hits) == (3, 5)  # three different links, each reversed once


def test_an_object_argument_is_reversed_afresh_each_time():
    """An object's text may change (a renamed party): its link is never remembered."""
    class Named:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text
    remembered_reverse.cache_clear()
    thing = Named("G8.29")
    assert render("{% url 'clause' x %}", x=thing) == reverse("clause", args=["G8.29"])
    thing.text = "G8.30"
    assert render("{% url 'clause' x %}", x=thing) == reverse("clause", args=["G8.30"])
    assert remembered_reverse.cache_info().currsize == 0


def test_as_var_and_errors_behave_as_djangos():
    assert render("{% url 'no-such-view' as x %}[{{ x }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-view' %}")
    clause = reverse("clause", args=["G8.29"])
    assert render("{% url 'clause' 'G8.29' as x %}<{{ x }}>") == f"<{clause}>"
